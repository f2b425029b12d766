/**
 * The decode-only floor: what a scan task costs with the aggregation taken out.
 *
 * Same path as src/scan/scanTask.ts: the same column projection (timestamp and cluster are left
 * out for row groups the planner placed wholly in one baseline cell), the same one-row-group
 * slice read with readRowGroupSlice, the same parquet-wasm decode into zero-copy Arrow views.
 * Then nothing: no string interning, no accumulation. The time left between this and a real
 * scan is what the aggregation costs.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { readFooterFromFd, type ParquetFooter } from '../plan/parquetFooter.js';
import { COLUMNS } from '../rule/rule.js';
import { decodeParquet } from '../scan/decodeParquet.js';
import type { ScanTask } from '../scan/scanTask.js';
import { readRowGroupSlice } from '../scan/sliceRowGroup.js';

export interface DecodeOnlyResult {
  rows: number;
  /** bytes of the row-group slices handed to parquet-wasm */
  sliceBytes: number;
  batches: number;
}

const footers = new Map<string, ParquetFooter>();

async function footerOf(fh: FileHandle, path: string): Promise<ParquetFooter> {
  const { size, mtimeMs } = await fh.stat();
  const key = `${path}\0${size}\0${mtimeMs}`;
  let f = footers.get(key);
  if (!f) {
    if (footers.size > 64) footers.clear();
    f = await readFooterFromFd(fh, size, path);
    footers.set(key, f);
  }
  return f;
}

/** The columns scanTask decodes for row group r of the task. */
export function columnsFor(task: ScanTask, r: number): string[] | null {
  if (task.allColumns) return null;
  const metricColumns = task.metricColumns.filter((c): c is string => c !== null);
  const keyed = [COLUMNS.workload, COLUMNS.process, ...metricColumns];
  if (task.timestampsOnly) return [COLUMNS.timestamp];
  return (task.wholeCell?.[r] ?? -1) >= 0 ? keyed : [COLUMNS.timestamp, COLUMNS.cluster, ...keyed];
}

export async function decodeOnlyTask(task: ScanTask): Promise<DecodeOnlyResult> {
  const out: DecodeOnlyResult = { rows: 0, sliceBytes: 0, batches: 0 };
  const fh = await open(task.path, 'r');
  try {
    const footer = await footerOf(fh, task.path);
    for (let r = 0; r < task.rowGroups.length; r++) {
      const slice = await readRowGroupSlice(fh, footer, task.rowGroups[r], columnsFor(task, r), { dictionaryStrings: true });
      out.sliceBytes += slice.length;
      decodeParquet(slice, undefined, (batch) => {
        out.rows += batch.numRows;
        out.batches++;
      });
    }
  } finally {
    await fh.close();
  }
  return out;
}
