/**
 * The decode-only floor: what a scan task costs with the aggregation taken out.
 *
 * Same path as src/scan/scanTask.ts: the same column projection (timestamp and cluster are left
 * out for row groups the planner placed wholly in one baseline cell, strings too where the
 * exporter's key runs place the rows), the same decoder: the built-in one straight from the column
 * chunks where every chunk allows it (decodeRowGroup), else the same one-row-group slice read with
 * readRowGroupSlice and dictionary-strings hint and the same parquet-wasm decode.
 * Then nothing: no string interning, no accumulation. The time left between this and a real
 * scan is what the aggregation costs.
 */
import { open } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import type { ParquetFooter } from '../src/parquet/parquetFooter.js';
import { cachedFooter } from '../src/parquet/footerCache.js';
import { COLUMNS } from '../src/rule/rule.js';
import { decodeParquet } from '../src/parquet/decodeParquet.js';
import type { ScanTask } from '../src/plan/scanTask.js';
import { readRowGroupSlice } from '../src/parquet/sliceRowGroup.js';
import { ARROW_SCHEMA } from '../src/parquet/arrowSchemaHint.js';
import { decodeRowGroup } from '../src/scan/decodeRowGroup.js';

export interface DecodeOnlyResult {
  rows: number;
  /** bytes decoded: the column chunks the built-in decoder read, or the slices handed to parquet-wasm */
  sliceBytes: number;
  batches: number;
}


/**
 * The columns scanTask decodes for row group r of the task (kept in step with src/scan/scanTask.ts):
 * none when the exporter's key runs place every row and there is no metric; only the metrics with
 * key runs; workload, process and metrics for a row group inside one baseline cell; else also
 * timestamp and cluster.
 */
export function columnsFor(task: ScanTask, r: number): string[] | null {
  if (task.allColumns) return null;
  const metricColumns = task.metricColumns.filter((c): c is string => c !== null);
  if (task.timestampsOnly) return [COLUMNS.timestamp];
  const cell = task.wholeCell?.[r] ?? -1;
  const runs = cell >= 0 ? task.keyRuns?.[r] ?? null : null;
  if (runs) return metricColumns.length ? metricColumns : [];
  const keyed = [COLUMNS.workload, COLUMNS.process, ...metricColumns];
  return cell >= 0 ? keyed : [COLUMNS.timestamp, COLUMNS.cluster, ...keyed];
}

/** footers whose slices parquet-rs would not decode with the dictionary-strings hint */
const hintRejected = new WeakSet<ParquetFooter>();

export async function decodeOnlyTask(task: ScanTask): Promise<DecodeOnlyResult> {
  const out: DecodeOnlyResult = { rows: 0, sliceBytes: 0, batches: 0 };
  const fh = await open(task.path, 'r');
  try {
    const footer = await cachedFooter(fh, task.path);
    for (let r = 0; r < task.rowGroups.length; r++) {
      const rg = task.rowGroups[r];
      const columns = columnsFor(task, r);
      if (columns !== null && columns.length === 0) {
        out.rows += footer.rowGroups[rg].numRows; // placed from the layout alone, nothing to decode
        continue;
      }
      // as the scan: the built-in decoder where every chunk allows it, else parquet-wasm
      if (columns !== null) {
        const decoded = await decodeRowGroup(fh, footer, rg, columns);
        if (decoded) {
          out.rows += decoded.numRows;
          out.batches++;
          out.sliceBytes += columns.reduce((sum, name) => {
            const col = footer.columns.find((c) => c.name === name)!;
            return sum + footer.rowGroups[rg].columns[col.index].totalCompressedSize;
          }, 0);
          continue;
        }
      }
      // files without an Arrow schema get the hint that decodes strings as dictionaries
      const hinted = !footer.keyValueMetadata.has(ARROW_SCHEMA) && !hintRejected.has(footer);
      let slice = await readRowGroupSlice(fh, footer, rg, columns, { dictionaryStrings: hinted });
      const visit = (batch: RecordBatch) => {
        out.rows += batch.numRows;
        out.batches++;
      };
      const before = out.batches;
      try {
        decodeParquet(slice, undefined, visit);
      } catch (cause) {
        if (!hinted || out.batches !== before) throw cause;
        hintRejected.add(footer);
        slice = await readRowGroupSlice(fh, footer, rg, columns);
        decodeParquet(slice, undefined, visit);
      }
      out.sliceBytes += slice.length;
    }
  } finally {
    await fh.close();
  }
  return out;
}
