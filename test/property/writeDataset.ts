/**
 * A DatasetSpec (arbitraries.ts) as Parquet files in a folder, and the logical rows those files
 * hold: what a file cannot store (a metric column it lacks, a string column, float32 rounding)
 * is applied to the rows, so that the references see exactly what the tool reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  Dictionary, Float32, Float64, Int32, Int64, Table, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, Utf8,
  makeData, makeVector, tableToIPC, vectorFromArray, type DataType, type Vector,
} from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { writeParquetFile, type FileLayout, type LRow, type MetricType } from '../reference/edgeCases.js';
import { rng, shuffle } from '../helpers/rng.js';
import { METRICS, T0, type ColumnKind, type DatasetSpec, type FileSpec } from './arbitraries.js';

export interface WrittenDataset {
  dir: string;
  at: number;
  /** every row as the files hold it */
  rows: LRow[];
  /** metric columns numeric in at least one file, as the tool and the references discover them */
  metrics: string[];
}

type Resolved = Exclude<ColumnKind, 'integer'> | 'int64' | 'int32';

const isValid = (v: number) => Number.isFinite(v) && v >= 0;

function resolveKind(kind: ColumnKind, values: (number | null)[], seed: number): Resolved {
  if (kind !== 'integer') return kind;
  const ints = values.every((v) => v === null || (Number.isSafeInteger(v) && !Object.is(v, -0)));
  if (!ints) return 'double';
  const small = values.every((v) => v === null || Math.abs(v) < 2 ** 31);
  return small && seed % 2 === 0 ? 'int32' : 'int64';
}

function stored(kind: Resolved, v: number | null): number | null {
  if (v === null || kind === 'absent' || kind === 'string') return null;
  return kind === 'float' ? Math.fround(v) : v;
}

const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
const cmpTs = (a: LRow, b: LRow) => (a.tsNs === b.tsNs ? 0 : a.tsNs === null ? -1 : b.tsNs === null ? 1 : a.tsNs < b.tsNs ? -1 : 1);

function orderRows(rows: LRow[], f: FileSpec): LRow[] {
  if (f.rowOrder === 'time') return [...rows].sort(cmpTs);
  if (f.rowOrder === 'key') {
    return [...rows].sort((a, b) => cmp(a.cluster, b.cluster) || cmp(a.workload, b.workload) || cmp(a.process, b.process) || cmpTs(a, b));
  }
  if (f.rowOrder === 'shuffled') return shuffle(rows, rng(f.seed));
  return rows;
}

function int64Vector(type: DataType, values: (bigint | null)[]): Vector {
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  const data = new BigInt64Array(n);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      data[i] = v;
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  });
  return makeVector(makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : undefined, data } as never));
}

function timestampVector(unit: FileSpec['ts'], rows: LRow[]): Vector {
  const div = unit === 'ns' ? 1n : unit === 'us' || unit === 'tz' ? 1000n : 1_000_000n;
  const type = {
    ms: new TimestampMillisecond('UTC'),
    us: new TimestampMicrosecond(),
    ns: new TimestampNanosecond('UTC'),
    tz: new TimestampMicrosecond('UTC'),
    epoch_ms: new Int64(),
  }[unit];
  return int64Vector(type, rows.map((r) => (r.tsNs === null ? null : r.tsNs / div)));
}

function metricVector(kind: Resolved, values: (number | null)[]): Vector {
  if (kind === 'string') return vectorFromArray(values.map((v) => (v === null ? null : `n${v}`)), new Utf8());
  if (kind === 'int64') return int64Vector(new Int64(), values.map((v) => (v === null ? null : BigInt(v))));
  const type = kind === 'int32' ? new Int32() : kind === 'float' ? new Float32() : new Float64();
  return vectorFromArray(values, type as never);
}

function orderColumns<T>(cols: [string, T][], f: FileSpec): [string, T][] {
  if (f.columnOrder === 'reversed') return [...cols].reverse();
  if (f.columnOrder === 'shuffled') return shuffle(cols, rng(f.seed ^ 0x5eed));
  return cols;
}

function writeWithParquetWasm(path: string, rows: LRow[], f: FileSpec, kinds: Resolved[], strings: (number | null)[][]): void {
  const dim = (get: (r: LRow) => string | null): Vector =>
    vectorFromArray(rows.map(get), f.dictionary ? new Dictionary(new Utf8(), new Int32()) : new Utf8());
  const cols: [string, Vector][] = [
    ['timestamp', timestampVector(f.ts, rows)],
    ['k8s.cluster.name', dim((r) => r.cluster)],
    ['source.workload.name', dim((r) => r.workload)],
    ['source.process.name', dim((r) => r.process)],
  ];
  METRICS.forEach((m, j) => {
    const kind = kinds[j]!;
    if (kind === 'absent') return;
    cols.push([m, metricVector(kind, kind === 'string' ? strings[j]! : rows.map((r) => r.m[m] ?? null))]);
  });
  const table = new Table(Object.fromEntries(orderColumns(cols, f)));
  const compression = { uncompressed: pq.Compression.UNCOMPRESSED, snappy: pq.Compression.SNAPPY, zstd: pq.Compression.ZSTD }[f.compression];
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(f.rowGroupRows).setCompression(compression).build();
  writeFileSync(path, pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props));
}

const DUCK_TYPE: Partial<Record<Resolved, MetricType>> = { double: 'DOUBLE', float: 'FLOAT', int64: 'BIGINT', int32: 'INTEGER' };

async function writeWithDuckDB(conn: DuckDBConnection, path: string, rows: LRow[], f: FileSpec, kinds: Resolved[], strings: (number | null)[][]): Promise<void> {
  const metrics: Record<string, MetricType> = {};
  const extras: FileLayout['extras'] = {};
  METRICS.forEach((m, j) => {
    const t = DUCK_TYPE[kinds[j]!];
    if (t) metrics[m] = t;
    else if (kinds[j] === 'string') extras[m] = 'VARCHAR';
  });
  const staged = rows.map((r, i) => ({
    ...r,
    x: Object.fromEntries(METRICS.flatMap((m, j) => (kinds[j] === 'string' ? [[m, strings[j]![i] === null ? null : `n${strings[j]![i]}`]] : []))),
  }));
  await writeParquetFile(conn, path, staged, {
    ts: f.ts, metrics, extras, order: f.columnOrder, seed: f.seed, copyOptions: `COMPRESSION ${f.compression}`,
  });
}

export async function writeDataset(conn: DuckDBConnection, dir: string, spec: DatasetSpec): Promise<WrittenDataset> {
  mkdirSync(dir, { recursive: true });
  const at = T0 + spec.atOffset;
  const all: LRow[] = [];
  const numeric = new Set<string>();
  for (let fi = 0; fi < spec.files.length; fi++) {
    const f: FileSpec = spec.nanos ? { ...spec.files[fi]!, ts: 'ns' } : spec.files[fi]!;
    const specs = spec.rows.filter((r) => r.file === fi);
    // noise below 0.01 far from zero is past the tool's known double-double limit (numericLimits.test.ts)
    const raw = specs.map((r) => r.values.map((v) => (v !== null && isValid(v) && (v === 0 || v >= 0.01) ? v + spec.valueOffset : v)));
    const kinds = METRICS.map((_, j) => resolveKind(f.columns[j]!, raw.map((vs) => vs[j]!), f.seed));
    kinds.forEach((k, j) => { if (k !== 'absent' && k !== 'string') numeric.add(METRICS[j]!); });
    const rows = specs.map((r, i): LRow => ({
      tsNs: r.offsetMs === null ? null : BigInt(at + r.offsetMs) * 1_000_000n + BigInt(spec.nanos ? r.subNs : 0),
      cluster: r.cluster,
      workload: r.workload,
      process: r.process,
      m: Object.fromEntries(METRICS.map((m, j) => [m, stored(kinds[j]!, raw[i]![j]!)])),
      x: { order: i },
    }));
    const ordered = orderRows(rows, f);
    const strings = METRICS.map((_, j) => ordered.map((r) => raw[(r.x!.order as number)]![j]!));
    const path = join(dir, `part-${fi}.parquet`);
    if (f.writer === 'duckdb') await writeWithDuckDB(conn, path, ordered, f, kinds, strings);
    else writeWithParquetWasm(path, ordered, f, kinds, strings);
    all.push(...rows);
  }
  return { dir, at, rows: all, metrics: [...numeric].sort() };
}
