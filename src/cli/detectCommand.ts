import { loadSuppressions } from '../evaluate/suppressions.js';
import { detectRules, keyingSeries, scanParamsOf } from '../pipeline/detectRules.js';
import { openInputs, reportWarnings, transferNote } from './inputs.js';
import { emptyWindowWarnings } from '../pipeline/emptyWindows.js';
import { deliverFindings, emitFindings } from './emit.js';
import { deliveryOf } from './deliveryOptions.js';
import type { Finding } from '../evaluate/finding.js';
import type { Format } from '../output/formats.js';
import { isoOf, parseTime } from './parseOptions.js';
import { Progress, log, warn } from './progress.js';
import { validateOutput } from './validateOutput.js';
import { shardOf, type ShardArgs } from './shardOptions.js';
import { inspectOptionsOf, outputFormatOf, ruleParamsListOf, workersOf, type RuleArgs } from './ruleOptions.js';

export interface DetectArgs extends RuleArgs, ShardArgs {
  at?: string;
}

/** detect as the CLI runs it; `alsoWrite` adds more renderings of the same findings (the demo's file). */
export async function detectCommand(a: DetectArgs, alsoWrite: { format: Format; out: string }[] = []): Promise<Finding[]> {
  const sharded = shardOf(a);
  if (sharded) {
    await (await import('./shardCommand.js')).detectShardCommand(a, sharded);
    return [];
  }
  const rules = ruleParamsListOf(a);
  const params = rules[0];
  const workers = workersOf(a.workers);
  const format = outputFormatOf(a);
  const delivery = deliveryOf(a, format);
  const atMs = a.at === undefined ? undefined : parseTime('at', a.at);
  await validateOutput('detect', a.out, format);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const patterns = scanParamsOf(rules).metricPatterns;
  const { pool, files } = await openInputs(a.data, patterns, workers, a.quiet, 'detect', inspectOptionsOf(a, ...rules));
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const all = await detectRules({ files, rules, atMs, pool, suppress, onProgress: (phase, d, t) => progress.update(phase, d, t) });
    progress.done();
    const r = all.scans[0].result;
    const findings = all.findings;
    reportWarnings(r.warnings, a.strict, 'detect');
    if (r.plan.metrics.length === 0) warn(`detect: warning: no column matches --metrics ${patterns.join(',')}`);
    for (const w of emptyWindowWarnings(files, r.state, r.atMs, params.windowMs, params.baselineMs)) warn(`detect: warning: ${w}`);
    await emitFindings(findings, format, a.out, { hec: delivery.hecEvent });
    for (const extra of alsoWrite) await emitFindings(findings, extra.format, extra.out);
    await deliverFindings(findings, delivery, () => ({
      command: 'detect', detectionTimes: [r.atMs], params, rules: rules.map((p) => p.rule!), clusters: r.state.clusters.slice(), findings,
      series: all.scans.flatMap((scan) => scan.keyings.flatMap((pass) => keyingSeries(pass, r.atMs))),
    }), a.quiet, 'detect');
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    const passes = all.scans.length;
    log(a.quiet, `detect: T=${isoOf(r.atMs)}: ${findings.length} finding${findings.length === 1 ? '' : 's'}` +
      `${rules.length > 1 ? ` of ${rules.length} rules in ${passes} scan${passes === 1 ? '' : 's'}` : ''}; ` +
      `${r.state.stats.rowsRead} rows read from ${r.plan.tasks.length} row groups (${r.plan.rowGroupsPruned} of ${r.plan.rowGroupsTotal} pruned) ` +
      `in ${files.length} file${files.length === 1 ? '' : 's'}${passes > 1 ? ' per scan' : ''}, ${pool.options.maxThreads} worker${pool.options.maxThreads === 1 ? '' : 's'}, ${secs} s` +
      (suppress ? `; ${[...suppress.matched.values()].reduce((s, v) => s + v, 0)} suppressed` : '') +
      transferNote(files));
    return findings;
  } finally {
    progress.done();
    await pool.destroy();
  }
}
