import { loadSuppressions } from '../evaluate/suppressions.js';
import { partialsStore } from '../io/partialsStore.js';
import { detectShard, type ShardResult } from '../pipeline/detectShard.js';
import { huntShard } from '../pipeline/huntShard.js';
import { describeScanShape, planRuleScans, scanParamsOf } from '../pipeline/detectRules.js';
import type { RuleParams } from '../rule/rule.js';
import type { HuntSplit, Shard } from '../plan/shardPlan.js';
import type { DetectArgs } from './detectCommand.js';
import type { HuntArgs } from './huntCommand.js';
import { openInputs, reportWarnings } from './inputs.js';
import { UsageError, isoOf, parseTime } from './parseOptions.js';
import { Progress, log, warn } from './progress.js';
import { inspectOptionsOf, ruleParamsListOf, workersOf } from './ruleOptions.js';
import { selectionOption } from './selectRule.js';
import { checkPartials } from './shardOptions.js';

export interface ShardRequest {
  shard: Shard;
  partials: string;
  split: HuntSplit | 'auto';
}

/** The rules a shard runs: several only when they share one scan, as a shard's plan is one scan's. */
export function shardRulesOf(a: DetectArgs | HuntArgs, command: string): RuleParams[] {
  const rules = ruleParamsListOf(a);
  if (planRuleScans(rules).length > 1) {
    throw new UsageError(`${selectionOption(a)}: ${command} with shards runs several rules only when they share a window, span, baseline and baseline rows; these do not: ` +
      rules.map(describeScanShape).join(', ') +
      '; shard each group of rules into its own --partials');
  }
  return rules;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function summary(cmd: string, s: Shard, r: ShardResult, partials: string, started: number): string {
  const what = r.times
    ? `T ${r.times.first}..${r.times.end - 1} of ${r.times.count} (split by time), ${r.tasks} of ${r.taskCount} row groups`
    : `${r.tasks} of ${r.taskCount} row groups (split by row group)${r.atMs !== undefined ? `, T=${isoOf(r.atMs)}` : ''}`;
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  return `${cmd}: shard ${s.index}/${s.count}: wrote ${r.location} (${kib(r.bytes)}): ${what}, ${r.rowsRead} rows read, ${secs} s; ` +
    `no findings are printed: egress-anomaly merge --partials ${partials} gives them`;
}

/** detect --shard I/N --partials DIR: the shard's partial instead of findings. */
export async function detectShardCommand(a: DetectArgs, req: ShardRequest): Promise<void> {
  const rules = shardRulesOf(a, 'detect');
  const params = scanParamsOf(rules);
  const workers = workersOf(a.workers);
  const atMs = a.at === undefined ? undefined : parseTime('at', a.at);
  await checkPartials('detect', req.partials, true);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'detect', inspectOptionsOf(a, params));
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const r = await detectShard({ files, rules, atMs, pool, suppress, onProgress: (phase, d, t) => progress.update(phase, d, t) },
      { shard: req.shard, store: partialsStore(req.partials), beforeCommit: (w) => { progress.done(); reportWarnings(w, a.strict, 'detect'); } });
    progress.done();
    log(a.quiet, summary('detect', req.shard, r, req.partials, started));
  } finally {
    progress.done();
    await pool.destroy();
  }
}

/** hunt --shard I/N --partials DIR. */
export async function huntShardCommand(a: HuntArgs, req: ShardRequest, times: { fromMs: number; toMs: number; stepMs: number }): Promise<void> {
  if (a.state !== undefined) {
    throw new UsageError('--state: not with --shard or --shards: the shards of one hunt would share one manifest, each replacing the others\' days; shard without --state, or run the nightly hunt on one machine');
  }
  const rules = shardRulesOf(a, 'hunt');
  const params = scanParamsOf(rules);
  const workers = workersOf(a.workers);
  await checkPartials('hunt', req.partials, true);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'hunt', inspectOptionsOf(a, params));
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const r = await huntShard({
      files, params, rules, pool, suppress, ...times,
      onProgress: (phase, d, t) => progress.update(phase, d, t),
      onWarning: (msg) => { progress.done(); warn(`hunt: warning: ${msg}`); },
    }, { shard: req.shard, store: partialsStore(req.partials), beforeCommit: (w) => { progress.done(); reportWarnings(w, a.strict, 'hunt'); } }, req.split);
    progress.done();
    log(a.quiet, summary('hunt', req.shard, r, req.partials, started));
  } finally {
    progress.done();
    await pool.destroy();
  }
}
