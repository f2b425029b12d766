import { openInput } from '../io/openInput.js';
import type { Data } from 'apache-arrow';
import { COLUMNS } from '../rule/rule.js';
import { OUTBOUND_KEYING, type Keying } from '../rule/keying.js';
import type { ParquetFooter } from '../parquet/parquetFooter.js';
import { cachedFooter } from '../parquet/footerCache.js';
import type { PartialState } from '../state/partialState.js';
import type { ScanTask } from '../plan/scanTask.js';
import { foldKeyings, type KeyingInput } from './foldKeyings.js';
import { Accumulator, type BatchColumns } from './accumulator.js';
import { checkUnchanged } from './checkUnchanged.js';
import { metricTypeProblem, stringTypeProblem, timestampTypeProblem } from './columnReaders.js';
import { decodeParquet } from '../parquet/decodeParquet.js';
import { readRowGroupSlice } from '../parquet/sliceRowGroup.js';
import { arrowSchemaUsable } from '../parquet/arrowSchema.js';
import { checkSkippedChunks } from './checkSkippedChunks.js';
import { decodeRowGroup, type ColumnBatch } from './decodeRowGroup.js';


/** footers whose slices parquet-rs would not decode with the dictionary-strings hint */
const hintRejected = new WeakSet<ParquetFooter>();

function column(batch: ColumnBatch, name: string, path: string, problem: (t: never) => string | undefined): Data {
  const v = batch.getChild(name);
  if (!v) throw new Error(`scan: ${path} has no column "${name}"`);
  const p = problem(v.type as never);
  if (p) throw new Error(`scan: column "${name}" in ${path} ${p}`);
  return v.data[0];
}

/** The columns one keying's accumulator reads from a row group; `cell` >= 0 needs no timestamp or group. */
function keyingColumnsOf(k: Keying, cell: number): string[] {
  return cell >= 0 ? [k.key[0], k.key[1]] : [COLUMNS.timestamp, k.group, k.key[0], k.key[1]];
}

export async function scanTask(task: ScanTask): Promise<PartialState> {
  const { path } = task;
  const acc = new Accumulator(task.metrics, task.window);
  const more = (task.moreKeyings ?? []).map((k) => ({ k, acc: new Accumulator(task.metrics, task.window) }));
  const metricColumns = task.metricColumns.filter((c): c is string => c !== null);
  const main = task.keying ?? OUTBOUND_KEYING;
  // an object is read without a HEAD: its size and ETag as planned, checked on every ranged answer
  const fh = await openInput(path, { subsystem: 'scan', known: task });
  try {
    const stat = await fh.stat();
    checkUnchanged(task, stat);
    const footer = await cachedFooter(fh, path, stat);
    for (let r = 0; r < task.rowGroups.length; r++) {
      const rg = task.rowGroups[r];
      const cell = task.wholeCell?.[r] ?? -1;
      const layoutRuns = task.keyRuns?.[r] ?? null;
      // in one baseline cell: neither keys nor times decoded; else (a hunt's hourly cells, say) the keys still come from the runs
      const runs = cell >= 0 ? layoutRuns : null;
      const keyRuns = cell < 0 && !task.timestampsOnly ? layoutRuns : null;
      // the plan took this row group's time range and keys from the exporter's layout
      if (runs) await checkSkippedChunks(fh, footer, rg, [COLUMNS.timestamp, COLUMNS.cluster, COLUMNS.workload, COLUMNS.process]);
      if (keyRuns) await checkSkippedChunks(fh, footer, rg, [COLUMNS.workload, COLUMNS.process]);
      if (runs && metricColumns.length === 0 && more.length === 0) {
        acc.addRuns([], footer.rowGroups[rg].numRows, cell, runs);
        continue;
      }
      const needed = task.timestampsOnly ? [COLUMNS.timestamp] : [
        ...(runs ? [] : keyRuns ? [COLUMNS.timestamp, main.group] : keyingColumnsOf(main, cell)), ...more.flatMap((m) => keyingColumnsOf(m.k, cell)), ...metricColumns,
      ];
      const columns = task.allColumns ? null : [...new Set(needed)];
      let visited = false;
      const visit = (batch: ColumnBatch) => {
        visited = true;
        if (task.timestampsOnly) {
          acc.addTimestamps(column(batch, COLUMNS.timestamp, path, timestampTypeProblem), task.timestampUnit);
          return;
        }
        const metrics = task.metricColumns.map((c) => (c === null ? null : column(batch, c, path, metricTypeProblem)));
        if (more.length > 0) {
          const first: KeyingInput = runs ? { runs, rows: batch.numRows } : { batch: batchColumns(batch, main, cell, metrics, task, path, keyRuns) };
          foldKeyings([acc, ...more.map((m) => m.acc)], [first, ...more.map((m) => ({ batch: batchColumns(batch, m.k, cell, metrics, task, path) }))], metrics, cell);
        } else if (runs) acc.addRuns(metrics, batch.numRows, cell, runs);
        else acc.add(batchColumns(batch, main, cell, metrics, task, path, keyRuns), cell);
      };
      try {
        const decoded = columns === null ? null : await decodeRowGroup(fh, footer, rg, columns);
        if (decoded) {
          visit(decoded);
          continue;
        }
        // files without an Arrow schema parquet-rs can use get a hint so their strings decode as
        // dictionaries (arrowSchemaHint.ts); an unusable one (Polars' Categorical) is dropped either way
        const hinted = !arrowSchemaUsable(footer) && !hintRejected.has(footer);
        const slice = await readRowGroupSlice(fh, footer, rg, columns, { dictionaryStrings: hinted });
        try {
          decodeParquet(slice, undefined, visit);
        } catch (cause) {
          // the hint only saves time: if parquet-rs refuses it, decode this file without one
          if (!hinted || visited) throw cause;
          hintRejected.add(footer);
          decodeParquet(await readRowGroupSlice(fh, footer, rg, columns), undefined, visit);
        }
      } catch (cause) {
        const msg = (cause as Error).message;
        if (msg.startsWith('scan: ')) throw cause;
        // the built-in decoder's messages name the file and row group themselves
        const own = `parquet: ${footer.path} row group ${rg} `;
        throw new Error(`scan: cannot decode row group ${rg} of ${path}: ${msg.startsWith(own) ? msg.slice(own.length) : msg}`, { cause });
      }
    }
  } finally {
    await fh.close();
  }
  const state = acc.finish();
  return more.length ? { ...state, more: more.map((m) => m.acc.finish()) } : state;
}

function batchColumns(
  batch: ColumnBatch, k: Keying, cell: number, metrics: (Data | null)[], task: ScanTask, path: string, runs: [string, string, number][] | null = null,
): BatchColumns {
  return {
    timestamp: cell >= 0 ? undefined : column(batch, COLUMNS.timestamp, path, timestampTypeProblem),
    timestampUnit: task.timestampUnit,
    cluster: cell >= 0 ? undefined : column(batch, k.group, path, stringTypeProblem),
    ...(runs ? { runs } : { workload: column(batch, k.key[0], path, stringTypeProblem), process: column(batch, k.key[1], path, stringTypeProblem) }),
    metrics,
  };
}
