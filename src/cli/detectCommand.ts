import { loadSuppressions } from '../evaluate/suppressions.js';
import { describeWarning, type DataWarning } from '../pipeline/dataWarnings.js';
import { detect } from '../pipeline/detect.js';
import { inspectAll } from '../pipeline/inspectAll.js';
import type { FileInfo } from '../plan/inspectFile.js';
import type { Piscina } from 'piscina';
import { createPool } from '../pool/createPool.js';
import { emitFindings } from './emit.js';
import type { Finding } from '../evaluate/finding.js';
import type { Format } from '../output/formats.js';
import { isoOf, parseTime } from './parseOptions.js';
import { Progress, log } from './progress.js';
import { outputFormatOf, ruleParamsOf, workersOf, type RuleArgs } from './ruleOptions.js';

export interface DetectArgs extends RuleArgs {
  at?: string;
}

export function reportWarnings(warnings: DataWarning[], strict: boolean, quiet: boolean, cmd: string): void {
  if (warnings.length === 0) return;
  if (strict) throw new Error(`${cmd}: --strict: ${describeWarning(warnings[0])}`);
  for (const w of warnings) log(quiet, `${cmd}: warning: ${describeWarning(w)}`);
}

/** The pool and the input files' footers; workers boot (modules, wasm) while the footers are read. */
export async function openInputs(data: string, metricPatterns: string[], workers: number, quiet: boolean, cmd: string): Promise<{ pool: Piscina; files: FileInfo[] }> {
  const pool = createPool('scan', workers);
  try {
    const files = await inspectAll(data, metricPatterns);
    reportIgnoredColumns(files, quiet, cmd);
    return { pool, files };
  } catch (e) {
    await pool.destroy();
    throw e;
  }
}

export function reportIgnoredColumns(files: FileInfo[], quiet: boolean, cmd: string): void {
  const counts = new Map<string, number>();
  for (const f of files) for (const c of f.ignoredColumns) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size === 0) return;
  const list = [...counts].map(([c, n]) => `${c} in ${n} file${n === 1 ? '' : 's'}`).join(', ');
  log(quiet, `${cmd}: note: columns matching --metrics that hold no numbers are not metrics: ${list}`);
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
