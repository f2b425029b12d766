import type { Piscina } from 'piscina';
import { describeWarning, type DataWarning } from '../pipeline/dataWarnings.js';
import { inspectAll } from '../pipeline/inspectAll.js';
import type { FileInfo, InspectOptions } from '../plan/inspectFile.js';
import { capWorkers, createPool } from '../pool/createPool.js';
import { log, warn } from './progress.js';
import { locationProblem } from '../io/objectUrl.js';
import { describeTransfers, transferTotals } from '../io/transferCounters.js';
import { UsageError } from './parseOptions.js';

export function reportWarnings(warnings: DataWarning[], strict: boolean, cmd: string): void {
  if (warnings.length === 0) return;
  if (strict) throw new Error(`${cmd}: --strict: ${describeWarning(warnings[0])}`);
  for (const w of warnings) warn(`${cmd}: warning: ${describeWarning(w)}`);
}

/** The pool and the input files' footers; workers boot (modules, wasm) while the footers are read. */
export async function openInputs(
  data: string, metricPatterns: string[], workers: number, quiet: boolean, cmd: string, inspect: InspectOptions = {},
): Promise<{ pool: Piscina; files: FileInfo[] }> {
  const problem = locationProblem(data);
  if (problem) throw new UsageError(`--data ${data} ${problem}`);
  const pool = createPool('scan', capWorkers(workers, (m) => log(quiet, `${cmd}: note: ${m}`)));
  try {
    const files = await inspectAll(data, metricPatterns, inspect);
    reportIgnoredColumns(files, quiet, cmd);
    for (const f of files) for (const n of f.notes ?? []) log(quiet, `${cmd}: note: ${n}`);
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

/** For object-storage input: "; fetched 1.20 MiB of 4.02 MiB stored (29.9%) in 31 requests". */
export function transferNote(files: { size: number }[]): string {
  const note = describeTransfers(transferTotals(), files.reduce((s, f) => s + f.size, 0));
  return note ? `; ${note}` : '';
}
