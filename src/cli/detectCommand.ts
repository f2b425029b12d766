import { loadSuppressions } from '../evaluate/suppressions.js';
import { detect } from '../pipeline/detect.js';
import { openInputs, reportWarnings } from './inputs.js';
import { emitFindings } from './emit.js';
import type { Finding } from '../evaluate/finding.js';
import type { Format } from '../output/formats.js';
import { isoOf, parseTime } from './parseOptions.js';
import { Progress, log } from './progress.js';
import { outputFormatOf, ruleParamsOf, workersOf, type RuleArgs } from './ruleOptions.js';

export interface DetectArgs extends RuleArgs {
  at?: string;
}

/** detect as the CLI runs it; `alsoWrite` adds more renderings of the same findings (the demo's file). */
export async function detectCommand(a: DetectArgs, alsoWrite: { format: Format; out: string }[] = []): Promise<Finding[]> {
  const params = ruleParamsOf(a);
  const workers = workersOf(a.workers);
  const format = outputFormatOf(a);
  const atMs = a.at === undefined ? undefined : parseTime('at', a.at);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'detect');
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const r = await detect({ files, params, atMs, pool, suppress, onProgress: (phase, d, t) => progress.update(phase, d, t) });
    progress.done();
    reportWarnings(r.warnings, a.strict, a.quiet, 'detect');
    if (r.plan.metrics.length === 0) log(a.quiet, `detect: warning: no column matches --metrics ${params.metricPatterns.join(',')}`);
    await emitFindings(r.findings, format, a.out);
    for (const extra of alsoWrite) await emitFindings(r.findings, extra.format, extra.out);
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    log(a.quiet, `detect: T=${isoOf(r.atMs)}: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}; ` +
      `${r.state.stats.rowsRead} rows read from ${r.plan.tasks.length} row groups (${r.plan.rowGroupsPruned} of ${r.plan.rowGroupsTotal} pruned) ` +
      `in ${files.length} file${files.length === 1 ? '' : 's'}, ${workers} worker${workers === 1 ? '' : 's'}, ${secs} s` +
      (suppress ? `; ${[...suppress.matched.values()].reduce((s, v) => s + v, 0)} suppressed` : ''));
    return r.findings;
  } finally {
    progress.done();
    await pool.destroy();
  }
}
