import {
  Dictionary, Float64, Int32, Table, TimestampMillisecond, Utf8,
  makeData, makeVector, tableToIPC, vectorFromArray, type Vector,
} from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { COLUMNS, DEST_COLUMN, DEST_PROCESS_COLUMN } from '../rule/rule.js';
import type { DayRows, GeneratedNames } from '../source/generator/generatorTypes.js';
import { METRIC_NAMES } from '../source/generator/generatorTypes.js';
import type { LayoutRowGroup } from './fileLayout.js';
import { stampLayout } from './stampLayout.js';

export const ROW_GROUP_ROWS = 131_072;

function dictionaryColumn(ids: Uint16Array, names: string[]): Vector {
  const dict = vectorFromArray(names, new Utf8());
  return makeVector(makeData({
    type: new Dictionary(new Utf8(), new Int32()),
    length: ids.length,
    nullCount: 0,
    data: Int32Array.from(ids),
    dictionary: dict,
  }));
}

export function timestampColumn(ms: Float64Array): Vector {
  const words = new Int32Array(ms.length * 2);
  for (let i = 0; i < ms.length; i++) {
    const v = ms[i];
    const hi = Math.floor(v / 4294967296);
    words[2 * i] = v - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  return makeVector(makeData({
    type: new TimestampMillisecond('UTC'),
    length: ms.length,
    nullCount: 0,
    data: new BigInt64Array(words.buffer),
  }));
}

export function metricColumn(values: Float64Array): Vector {
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === values[i]) bitmap[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return makeVector(makeData({
    type: new Float64(),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls > 0 ? bitmap : undefined,
    data: values,
  }));
}

/**
 * Each row group's time range and key runs (see fileLayout.ts), for rows in file order; undefined
 * when a row lacks a workload or process (id < 0), which key runs cannot say.
 */
export function layoutGroups(
  timestamp: Float64Array, workload: ArrayLike<number>, process: ArrayLike<number>,
  workloadNames: string[], processNames: string[], rowGroupRows: number,
): Omit<LayoutRowGroup, 'chunks'>[] | undefined {
  const groups: Omit<LayoutRowGroup, 'chunks'>[] = [];
  for (let start = 0; start < timestamp.length; start += rowGroupRows) {
    const end = Math.min(timestamp.length, start + rowGroupRows);
    let minTs = Infinity;
    let maxTs = -Infinity;
    const keys: [string, string, number][] = [];
    let prevW = -1;
    let prevP = -1;
    for (let i = start; i < end; i++) {
      const t = timestamp[i];
      if (t < minTs) minTs = t;
      if (t > maxTs) maxTs = t;
      const w = workload[i];
      const p = process[i];
      if (w < 0 || p < 0) return undefined;
      if (w !== prevW || p !== prevP) {
        prevW = w;
        prevP = p;
        keys.push([workloadNames[w], processNames[p], 0]);
      }
      keys[keys.length - 1][2]++;
    }
    groups.push({ rows: end - start, minTs, maxTs, keys });
  }
  return groups;
}

/** A canonical file: the exporter's encodings, then its layout stamped into the footer where it can be told. */
export function writeCanonicalParquet(
  columns: Record<string, Vector>, metrics: readonly string[], rowGroupRows: number,
  sortedBy: string[], groups: Omit<LayoutRowGroup, 'chunks'>[] | undefined, path: string,
): Uint8Array {
  const ipc = tableToIPC(new Table(columns), 'stream');
  const bytes = pq.writeParquet(pq.Table.fromIPCStream(ipc), canonicalWriterProperties(metrics, rowGroupRows));
  return groups ? stampLayout(bytes, sortedBy, groups, path) : bytes;
}

export function writeDayParquet(rows: DayRows, names: GeneratedNames, rowGroupRows = ROW_GROUP_ROWS): Uint8Array {
  const columns: Record<string, Vector> = {
    [COLUMNS.timestamp]: timestampColumn(rows.timestamp),
    [COLUMNS.cluster]: dictionaryColumn(rows.cluster, names.clusters),
    [COLUMNS.workload]: dictionaryColumn(rows.workload, names.workloads),
    [COLUMNS.process]: dictionaryColumn(rows.process, names.processes),
    [DEST_COLUMN]: dictionaryColumn(rows.dest, names.dests),
    [DEST_PROCESS_COLUMN]: dictionaryColumn(rows.destProcess, names.destProcesses),
  };
  METRIC_NAMES.forEach((m, j) => { columns[m] = metricColumn(rows.metrics[j]); });
  const groups = layoutGroups(rows.timestamp, rows.workload, rows.process, names.workloads, names.processes, rowGroupRows);
  const sortedBy = [COLUMNS.workload, COLUMNS.process, COLUMNS.cluster, DEST_COLUMN, COLUMNS.timestamp];
  return writeCanonicalParquet(columns, METRIC_NAMES, rowGroupRows, sortedBy, groups, 'generated day');
}

/** The exporter's encodings. */
function canonicalWriterProperties(metrics: readonly string[], rowGroupRows: number): pq.WriterProperties {
  let builder = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupRows)
    .setCreatedBy('egress-anomaly export')
    .setColumnDictionaryEnabled(COLUMNS.timestamp, false)
    .setColumnEncoding(COLUMNS.timestamp, pq.Encoding.DELTA_BINARY_PACKED);
  // Measured on a generated day (the LZ4_RAW pages of the five metric columns, decompressed):
  // BYTE_STREAM_SPLIT + LZ4_RAW pages are 0.6x the size of PLAIN + LZ4_RAW ones and decompress in
  // half the time (the exponent bytes and an integer's zero low bytes make long matches), and the
  // split is undone with SIMD shuffles; BYTE_STREAM_SPLIT + ZSTD is smaller still but decodes in
  // twice the time. Decode time is what every detection pays, so metrics take the fast pair;
  // timestamps (delta-coded) and strings (dictionaries) are small either way and keep ZSTD.
  for (const m of metrics) {
    builder = builder.setColumnDictionaryEnabled(m, false).setColumnEncoding(m, pq.Encoding.BYTE_STREAM_SPLIT)
      .setColumnCompression(m, pq.Compression.LZ4_RAW);
  }
  return builder.build();
}
