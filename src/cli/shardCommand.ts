import { loadSuppressions } from '../evaluate/suppressions.js';
import { partialsStore } from '../io/partialsStore.js';
import { detectShard, type ShardResult } from '../pipeline/detectShard.js';
import { huntShard } from '../pipeline/huntShard.js';
import type { HuntSplit, Shard } from '../plan/shardPlan.js';
import type { DetectArgs } from './detectCommand.js';
import type { HuntArgs } from './huntCommand.js';
import { openInputs, reportWarnings } from './inputs.js';
import { UsageError, isoOf, parseTime } from './parseOptions.js';
import { Progress, log, warn } from './progress.js';
import { inspectOptionsOf, ruleParamsOf, workersOf } from './ruleOptions.js';
import { checkPartials } from './shardOptions.js';

export interface ShardRequest {
  shard: Shard;
  partials: string;
  split: HuntSplit | 'auto';
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
  const params = ruleParamsOf(a, 'detect --shard');
  const workers = workersOf(a.workers);
  const atMs = a.at === undefined ? undefined : parseTime('at', a.at);
  await checkPartials('detect', req.partials, true);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'detect', inspectOptionsOf(a, params));
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const r = await detectShard({ files, params, atMs, pool, suppress, onProgress: (phase, d, t) => progress.update(phase, d, t) },
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
  const params = ruleParamsOf(a, 'hunt');
  const workers = workersOf(a.workers);
  await checkPartials('hunt', req.partials, true);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'hunt', inspectOptionsOf(a, params));
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const r = await huntShard({
      files, params, pool, suppress, ...times,
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
