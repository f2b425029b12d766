import { loadSuppressions } from '../evaluate/suppressions.js';
import { compareFindings, type Finding } from '../evaluate/finding.js';
import { hunt } from '../pipeline/hunt.js';
import { openInputs, reportWarnings, transferNote } from './inputs.js';
import { deliverFindings, emitFindings } from './emit.js';
import { deliveryOf } from './deliveryOptions.js';
import { findingSeries, type FindingSeries } from '../evaluate/findingSeries.js';
import { UsageError, isoOf, parseDuration, parseTime } from './parseOptions.js';
import { Progress, log, warn } from './progress.js';
import { validateOutput } from './validateOutput.js';
import { shardOf, type ShardArgs } from './shardOptions.js';
import { inspectOptionsOf, outputFormatOf, ruleParamsListOf, workersOf, type RuleArgs } from './ruleOptions.js';
import { describeScanShape, scanParamsOf, scanShapeOf } from '../pipeline/detectRules.js';
import { selectionOption } from './selectRule.js';

export interface HuntArgs extends RuleArgs, ShardArgs {
  from: string;
  to: string;
  step: string;
  state?: string;
}

const MAX_DETECTION_TIMES = 100_000;

export async function huntCommand(a: HuntArgs): Promise<void> {
  const sharded = shardOf(a);
  const rules = ruleParamsListOf(a);
  if (rules.some((p) => scanShapeOf(p) !== scanShapeOf(rules[0]))) {
    throw new UsageError(`${selectionOption(a)}: hunt runs several rules in one pass only when they share a window, span, baseline and baseline rows; these do not: ` +
      rules.map(describeScanShape).join(', '));
  }
  const params = scanParamsOf(rules);
  const workers = workersOf(a.workers);
  const format = outputFormatOf(a);
  const delivery = deliveryOf(a, format);
  const fromMs = parseTime('from', a.from);
  const toMs = parseTime('to', a.to);
  const stepMs = parseDuration('step', a.step);
  if (toMs < fromMs) throw new UsageError(`--to (${a.to}) is before --from (${a.from})`);
  const count = Math.floor((toMs - fromMs) / stepMs) + 1;
  if (count > MAX_DETECTION_TIMES) throw new UsageError(`--step ${a.step} gives ${count} detection times from --from to --to; at most ${MAX_DETECTION_TIMES}`);
  if (sharded) return (await import('./shardCommand.js')).huntShardCommand(a, sharded, { fromMs, toMs, stepMs });
  await validateOutput('hunt', a.out, format);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'hunt', inspectOptionsOf(a, ...rules));
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  const series: FindingSeries[] = [];
  const clusters = new Set<string>();
  try {
    const r = await hunt({
      files, params, rules: rules.length > 1 ? rules : undefined, pool, suppress, fromMs, toMs, stepMs, stateDir: a.state,
      onProgress: (phase, d, t) => progress.update(phase, d, t),
      onWarning: (msg) => { progress.done(); warn(`hunt: warning: ${msg}`); },
      beforeCommit: (warnings) => { progress.done(); reportWarnings(warnings, a.strict, 'hunt'); },
      onEvaluated: delivery.report === undefined ? undefined : (view, t, found) => {
        for (const c of view.clusters) clusters.add(c);
        for (const p of rules) series.push(...findingSeries(view, p, found, t));
      },
    });
    progress.done();
    const findings: Finding[] = r.findings.sort(compareFindings);
    if (r.rowsRead === 0 && r.daysFromState === 0) warn(`hunt: warning: no rows fall between ${isoOf(fromMs - params.baselineMs)} and ${isoOf(toMs)}, the baselines and windows of every T: check --from and --to against the data`);
    await emitFindings(findings, format, a.out, { hec: delivery.hecEvent });
    await deliverFindings(findings, delivery, () => ({
      command: 'hunt', detectionTimes: Array.from({ length: count }, (_, i) => fromMs + i * stepMs), params, rules: rules.map((p) => p.rule!),
      clusters: [...clusters], findings, series,
    }), a.quiet, 'hunt');
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    log(a.quiet, `hunt: ${count} detection time${count === 1 ? '' : 's'} from ${isoOf(fromMs)} to ${isoOf(fromMs + (count - 1) * stepMs)}: ` +
      `${findings.length} finding${findings.length === 1 ? '' : 's'}; ${r.rowsRead} rows read${a.state ? ` (${r.daysFromState} days from --state)` : ''}${r.onePass ? ' in one pass' : ''}, ${pool.options.maxThreads} worker${pool.options.maxThreads === 1 ? '' : 's'}, ${secs} s` +
      `${r.mainMs !== undefined ? ` (${(r.mainMs / 1000).toFixed(2)} s of it reducing and evaluating on the main thread)` : ''}${transferNote(files)}`);
  } finally {
    progress.done();
    await pool.destroy();
  }
}
