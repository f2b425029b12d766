import { Dictionary, Int32, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { COLUMNS, DEST_COLUMN } from '../rule/rule.js';
import type { RecordColumns } from '../source/recordColumns.js';
import { ROW_GROUP_ROWS, layoutGroups, metricColumn, timestampColumn, writeCanonicalParquet } from './writeDayParquet.js';

/** A dictionary column holding only the values this file uses. */
function dictionaryColumn(ids: Int32Array, names: string[]): Vector {
  const n = ids.length;
  const remap = new Int32Array(names.length).fill(-1);
  const used: string[] = [];
  const data = new Int32Array(n);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const g = ids[i];
    if (g < 0) {
      nulls++;
      continue;
    }
    if (remap[g] < 0) {
      remap[g] = used.length;
      used.push(names[g]);
    }
    data[i] = remap[g];
    bitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(makeData({
    type: new Dictionary(new Utf8(), new Int32()),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls > 0 ? bitmap : undefined,
    data,
    dictionary: vectorFromArray(used, new Utf8()),
  }));
}

/** One canonical Parquet file (the generator's encodings and layout metadata) from source rows. */
export function writeRecordsParquet(rows: RecordColumns, rowGroupRows = ROW_GROUP_ROWS): Uint8Array {
  const columns: Record<string, Vector> = { [COLUMNS.timestamp]: timestampColumn(rows.timestamp) };
  for (const d of rows.dims) columns[d.name] = dictionaryColumn(d.ids, d.names);
  for (const m of rows.metrics) columns[m.name] = metricColumn(m.values);
  const lead = [COLUMNS.workload, COLUMNS.process, COLUMNS.cluster, DEST_COLUMN];
  const others = rows.dims.map((d) => d.name).filter((n) => !lead.includes(n)).sort();
  const sortedBy = [...lead.filter((n) => rows.dims.some((d) => d.name === n)), ...others, COLUMNS.timestamp];
  const w = rows.dims.find((d) => d.name === COLUMNS.workload);
  const p = rows.dims.find((d) => d.name === COLUMNS.process);
  const groups = w && p ? layoutGroups(rows.timestamp, w.ids, p.ids, w.names, p.names, rowGroupRows) : undefined;
  return writeCanonicalParquet(columns, rows.metrics.map((m) => m.name), rowGroupRows, sortedBy, groups, 'export');
}
