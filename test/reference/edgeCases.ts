/**
 * Generators of small edge-case Parquet datasets for the differential test.
 *
 * Every dataset is written with DuckDB (COPY ... TO 'x.parquet' (FORMAT parquet)), from rows built
 * in JS with a seeded PRNG (no Math.random), so the bytes written are deterministic for a given
 * DuckDB version. A dataset is a folder; the project's CLI reads it with `--data <folder>` and the
 * reference reads `<folder>/**\/*.parquet`.
 *
 * Logical content and physical layout are separate: a scenario (scenarioA, scenarioB, ...) makes
 * logical rows with nanosecond timestamps; a layout writes them as files with a given timestamp
 * unit, column order, metric types, extra columns, compression and folder structure.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from './duckdbRule.js';
import { rng } from '../helpers/rng.js';

// ---------------------------------------------------------------------------------------------
// Time constants
// ---------------------------------------------------------------------------------------------

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WINDOW = HOUR;
export const BASELINE = 30 * DAY;
export const SPAN = 10 * SECOND;
/** Detection time used by most datasets: 2026-01-10T12:00:00Z (aligned to the 10 s span). */
export const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

export const FIVE_METRICS = ['tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'udp.bytes', 'udp.packets'] as const;

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

export type Rng = () => number;

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
export const mulberry32: (seed: number) => Rng = rng;

export function randInt(rng: Rng, lo: number, hiExclusive: number): number {
  return lo + Math.floor(rng() * (hiExclusive - lo));
}

/** Standard normal via Box-Muller. */
export function gauss(rng: Rng): number {
  const u1 = 1 - rng(); // (0, 1]
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// Logical rows and physical writing
// ---------------------------------------------------------------------------------------------

export type Value = number | null;

export interface LRow {
  /** epoch nanoseconds, or null for a row with a null timestamp */
  tsNs: bigint | null;
  cluster: string | null;
  workload: string | null;
  process: string | null;
  /** metric values by column name; absent = null */
  m: Record<string, Value>;
  /** extra (non-metric) column values by column name; absent = null */
  x?: Record<string, string | number | null>;
}

/** Timestamp representation: Parquet TIMESTAMP in ms/us/ns unit, TIMESTAMPTZ (us), or int64 epoch ms. */
export type TsUnit = 'ms' | 'us' | 'ns' | 'tz' | 'epoch_ms';
export type MetricType = 'DOUBLE' | 'FLOAT' | 'BIGINT' | 'INTEGER' | 'SMALLINT' | 'UBIGINT' | 'UINTEGER';
export type ExtraType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'BOOLEAN';

export interface FileLayout {
  ts: TsUnit;
  /** metric columns written, with their Parquet type (metrics of the rows not listed are dropped) */
  metrics: Record<string, MetricType>;
  /** extra columns written */
  extras?: Record<string, ExtraType>;
  /** column order: canonical (timestamp, dims, extras, metrics), reversed, or PRNG-shuffled */
  order?: 'canonical' | 'reversed' | 'shuffled';
  /** extra COPY options, e.g. "COMPRESSION zstd" */
  copyOptions?: string;
  /** seed for the shuffled column order */
  seed?: number;
}

let stagingCounter = 0;

/** Granularity (ns) that a timestamp unit can represent. */
export function unitNs(ts: TsUnit): bigint {
  return ts === 'ns' ? 1n : ts === 'us' || ts === 'tz' ? 1000n : 1_000_000n;
}

/** Writes rows as one Parquet file (creating parent folders). */
export async function writeParquetFile(
  conn: DuckDBConnection,
  path: string,
  rows: LRow[],
  layout: FileLayout,
): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await conn.run(`SET TimeZone = 'UTC'`);
  const metricNames = Object.keys(layout.metrics);
  const extraNames = Object.keys(layout.extras ?? {});
  const table = `edge_stage_${++stagingCounter}`;
  const stageCols = [
    'ts BIGINT',
    'cluster VARCHAR',
    'workload VARCHAR',
    'process VARCHAR',
    ...metricNames.map((_, i) => `m${i} DOUBLE`),
    ...extraNames.map((n, i) => `x${i} ${layout.extras![n] === 'VARCHAR' ? 'VARCHAR' : 'DOUBLE'}`),
  ];
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} (${stageCols.join(', ')})`);
  const gran = unitNs(layout.ts);
  const app = await conn.createAppender(table);
  const str = (s: string | null) => (s === null ? app.appendNull() : app.appendVarchar(s));
  for (const r of rows) {
    if (r.tsNs === null) app.appendNull();
    else {
      if (r.tsNs % gran !== 0n) throw new Error(`edge-case: timestamp ${r.tsNs} not representable in unit ${layout.ts}`);
      app.appendBigInt(r.tsNs);
    }
    str(r.cluster);
    str(r.workload);
    str(r.process);
    for (const m of metricNames) {
      const v = r.m[m];
      if (v === null || v === undefined) app.appendNull();
      else {
        const t = layout.metrics[m]!;
        if (t !== 'DOUBLE' && t !== 'FLOAT' && (!Number.isInteger(v) || (t.startsWith('U') && v < 0))) {
          throw new Error(`edge-case: value ${v} not representable as ${t}`);
        }
        app.appendDouble(v);
      }
    }
    for (const n of extraNames) {
      const v = r.x?.[n];
      if (v === null || v === undefined) app.appendNull();
      else if (layout.extras![n] === 'VARCHAR') app.appendVarchar(String(v));
      else app.appendDouble(Number(v));
    }
    app.endRow();
  }
  app.flushSync();
  app.closeSync();

  const tsExpr: Record<TsUnit, string> = {
    ns: 'make_timestamp_ns(ts)',
    us: 'make_timestamp(ts // 1000)',
    ms: 'CAST(make_timestamp(ts // 1000) AS TIMESTAMP_MS)',
    tz: 'CAST(make_timestamp(ts // 1000) AS TIMESTAMPTZ)',
    epoch_ms: 'CAST(ts // 1000000 AS BIGINT)',
  };
  const cols: [string, string][] = [
    ['timestamp', tsExpr[layout.ts]],
    ['k8s.cluster.name', 'cluster'],
    ['source.workload.name', 'workload'],
    ['source.process.name', 'process'],
    ...extraNames.map((n, i): [string, string] => [n, `CAST(x${i} AS ${layout.extras![n]})`]),
    ...metricNames.map((n, i): [string, string] => [n, `CAST(m${i} AS ${layout.metrics[n]})`]),
  ];
  const order = layout.order ?? 'canonical';
  if (order === 'reversed') cols.reverse();
  if (order === 'shuffled') shuffle(mulberry32(layout.seed ?? 12345), cols);
  const select = cols.map(([name, expr]) => `${expr} AS ${sqlIdent(name)}`).join(', ');
  const options = ['FORMAT parquet', layout.copyOptions].filter(Boolean).join(', ');
  await conn.run(`COPY (SELECT ${select} FROM ${table}) TO ${sqlString(path)} (${options})`);
  await conn.run(`DROP TABLE ${table}`);
}

// ---------------------------------------------------------------------------------------------
// Scenario helpers
// ---------------------------------------------------------------------------------------------

export type Granularity = 'ms' | 'us' | 'ns';
const GRAN_NS: Record<Granularity, bigint> = { ms: 1_000_000n, us: 1000n, ns: 1n };

/** ms + a sub-millisecond offset in ns (0 <= subNs < 1e6). */
export function tsAt(ms: number, subNs = 0): bigint {
  return BigInt(ms) * 1_000_000n + BigInt(subNs);
}

/** The instant `offsetNs` before `ms`, rounded away from `ms` to the granularity (so floor(ts/1ms) is the same). */
export function before(ms: number, offsetNs: number, g: Granularity): bigint {
  const gran = GRAN_NS[g];
  const off = ((BigInt(offsetNs) + gran - 1n) / gran) * gran;
  return BigInt(ms) * 1_000_000n - off;
}

function randomSub(rng: Rng, g: Granularity): number {
  const gran = Number(GRAN_NS[g]);
  return Math.floor(randInt(rng, 0, 1_000_000) / gran) * gran;
}

interface Profile {
  [metric: string]: [mean: number, sd: number];
}

const PROFILE: Profile = {
  'tcp.bytes': [1000, 50],
  'tcp.new_sockets': [2, 0.5],
  'tcp.packets': [100, 5],
  'udp.bytes': [200, 20],
  'udp.packets': [20, 2],
};

function baselineValues(rng: Rng, profile: Profile, integer = false): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [m, [mean, sd]] of Object.entries(profile)) {
    const v = Math.max(0, mean + sd * gauss(rng));
    out[m] = integer ? Math.round(v) : round3(v);
  }
  return out;
}

/** Recent "normal" values: uniform in mean +- 1.5 sd, never anomalous against a sane baseline. */
function normalValues(rng: Rng, profile: Profile, integer = false): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [m, [mean, sd]] of Object.entries(profile)) {
    const v = Math.max(0, mean + sd * (rng() * 3 - 1.5));
    out[m] = integer ? Math.round(v) : round3(v);
  }
  return out;
}

/** A random baseline timestamp well inside [T - 30d, T - 1h). */
function baselineTs(rng: Rng, at: number, g: Granularity): bigint {
  const ms = randInt(rng, at - BASELINE + SECOND, at - WINDOW - SECOND);
  return tsAt(ms, randomSub(rng, g));
}

/** Start (ms) of recent bucket k (0..359) for T aligned to the span. */
function bucketStart(at: number, k: number): number {
  return at - WINDOW + k * SPAN;
}

class RowSet {
  readonly rows: LRow[] = [];
  /** recent rows by cluster|workload|process|k, so that anomalies can be injected into them */
  private readonly recent = new Map<string, LRow>();
  constructor(
    readonly rng: Rng,
    readonly at: number,
    readonly g: Granularity,
  ) {}

  add(row: LRow): LRow {
    this.rows.push(row);
    return row;
  }

  baseline(clusters: string[], workload: string, process: string, n: number, values: (i: number) => Record<string, Value>): void {
    for (let i = 0; i < n; i++) {
      this.add({
        tsNs: baselineTs(this.rng, this.at, this.g),
        cluster: clusters[i % clusters.length]!,
        workload,
        process,
        m: values(i),
      });
    }
  }

  /** One row in bucket k at a random offset (or at `offsetMs`). */
  recentRow(cluster: string, workload: string, process: string, k: number, m: Record<string, Value>, offsetMs?: number): LRow {
    const off = offsetMs ?? randInt(this.rng, 0, SPAN);
    const row = this.add({
      tsNs: tsAt(bucketStart(this.at, k) + off, offsetMs === undefined ? randomSub(this.rng, this.g) : 0),
      cluster,
      workload,
      process,
      m,
    });
    this.recent.set(`${cluster}|${workload}|${process}|${k}`, row);
    return row;
  }

  normals(cluster: string, workload: string, process: string, profile: Profile, integer = false, ks?: number[]): void {
    for (const k of ks ?? range(0, 360)) this.recentRow(cluster, workload, process, k, normalValues(this.rng, profile, integer));
  }

  /** Sets metric values of the recent row of bucket k (creating it if absent). */
  set(cluster: string, workload: string, process: string, k: number, m: Record<string, Value>): LRow {
    const row = this.recent.get(`${cluster}|${workload}|${process}|${k}`);
    if (row) {
      Object.assign(row.m, m);
      return row;
    }
    return this.recentRow(cluster, workload, process, k, { ...m });
  }
}

export function range(lo: number, hiExclusive: number): number[] {
  return Array.from({ length: hiExclusive - lo }, (_, i) => lo + i);
}

// ---------------------------------------------------------------------------------------------
// Scenario A: the five canonical metrics, many keys, every semantic edge case
// ---------------------------------------------------------------------------------------------

export interface ScenarioOptions {
  /** granularity of timestamps (sub-millisecond boundary cases when 'us' or 'ns') */
  granularity?: Granularity;
  /** add rows after T (excluded at T; they move the default T) */
  futureRows?: boolean;
  seed?: number;
  at?: number;
}

export const SURROGATE_WORKLOAD = 'svc-\u{1F600}';
export const HALFWIDTH_WORKLOAD = 'svc-\uFF21';

export const EXTRA_COLUMNS: Record<string, ExtraType> = {
  'dest.workload.name': 'VARCHAR',
  note: 'VARCHAR',
  bytes_total: 'BIGINT',
  'net.tcp.bytes': 'DOUBLE',
};

/**
 * Scenario A. Keys (cluster / workload / process):
 *  - prod-east & prod-west / checkout / java: one baseline shared by two clusters (300 rows, plus
 *    boundary rows at exactly T-30d (in), T-30d-1ms (out), T-1h-1ms (baseline)); prod-east has
 *    15 anomalous pairs (row exactly at T-1h, duplicate messages, a row 1 unit before a bucket
 *    boundary, a row just before T), plus an anomalous row exactly at T (excluded); prod-west has
 *    exactly 5 (not reported; 3 in parity mode).
 *  - prod-east / payments / envoy: exactly 6 pairs (duplicate timestamps, a bucket whose value is
 *    the mean of two rows, a bucket with one null and one value); 4 in parity mode.
 *  - prod-east / batch / python: recent spikes but no baseline at all.
 *  - Zeta & alpha / cache / redis: constant baseline (stdev 0): z = inf; recent equal values.
 *  - prod-east / auth / node: near-threshold values (avg + 3 sd (1 +- 1e-5)).
 *  - prod-west / edge / curl: tiny (1e-7) and huge (1e21) numbers (exponent formatting).
 *  - prod-east / ingest / fluentd: NaN, +-Infinity, negative and null values in baseline and recent.
 *  - prod-east / lonely / sh: one baseline row (stdev undefined; parity mode finds udp anomalies).
 *  - prod-east / stream / gst: anomalous only in parity mode (avg < real stdev).
 *  - prod-east / checkout / Java: a second process differing only in case.
 *  - prod-east / svc-😀 and svc-Ａ / x: code-unit vs code-point ordering.
 *  - rows with a null workload, process, cluster (recent only) or timestamp, with spikes.
 *  - rows far outside the baseline window; optionally rows after T.
 */
export function scenarioA(opts: ScenarioOptions = {}): { rows: LRow[]; at: number } {
  const g = opts.granularity ?? 'ms';
  const at = opts.at ?? T0;
  const rng = mulberry32(opts.seed ?? 1);
  const s = new RowSet(rng, at, g);
  const P = PROFILE;
  const dests = ['db', 'cache', 'external', 'kube-dns'];

  // K1 checkout/java in two clusters, shared baseline
  s.baseline(['prod-east', 'prod-west'], 'checkout', 'java', 300, () => baselineValues(rng, P));
  s.add({ tsNs: tsAt(at - BASELINE), cluster: 'prod-west', workload: 'checkout', process: 'java', m: { 'tcp.new_sockets': 40 } });
  s.add({ tsNs: before(at - BASELINE, 1, g), cluster: 'prod-west', workload: 'checkout', process: 'java', m: { 'tcp.new_sockets': 5000 } });
  s.add({ tsNs: before(at - WINDOW, 1, g), cluster: 'prod-west', workload: 'checkout', process: 'java', m: { 'tcp.packets': 400 } });
  s.add({ tsNs: tsAt(at - BASELINE - DAY), cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 1e7 } });
  for (const c of ['prod-east', 'prod-west']) s.normals(c, 'checkout', 'java', P);
  // prod-east: bucket 0 row exactly at T-1h
  s.add({ tsNs: tsAt(at - WINDOW), cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 5000 } });
  s.set('prod-east', 'checkout', 'java', 0, { 'tcp.bytes': null });
  s.set('prod-east', 'checkout', 'java', 50, { 'tcp.bytes': 5200.5 });
  s.set('prod-east', 'checkout', 'java', 51, { 'tcp.bytes': 5200.5 });
  // a row 1 unit before the start of bucket 100 belongs to bucket 99
  s.add({ tsNs: before(bucketStart(at, 100), 1, g), cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 4000 } });
  s.set('prod-east', 'checkout', 'java', 200, { 'tcp.bytes': 4800 });
  // 400 us before T: still in bucket 359
  s.add({ tsNs: before(at, 400_000, g), cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 6000 } });
  // exactly at T: excluded
  s.add({ tsNs: tsAt(at), cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 7777, 'udp.bytes': 7777 } });
  for (const k of range(10, 16)) s.set('prod-east', 'checkout', 'java', k, { 'tcp.new_sockets': 20 + k });
  for (const k of range(20, 23)) s.set('prod-east', 'checkout', 'java', k, { 'tcp.packets': 300 });
  // prod-west: exactly 5 anomalous pairs
  s.set('prod-west', 'checkout', 'java', 30, { 'tcp.bytes': 4000 });
  s.set('prod-west', 'checkout', 'java', 31, { 'tcp.bytes': 4100 });
  s.set('prod-west', 'checkout', 'java', 32, { 'tcp.bytes': 4200 });
  s.set('prod-west', 'checkout', 'java', 40, { 'udp.bytes': 400 });
  s.set('prod-west', 'checkout', 'java', 41, { 'udp.bytes': 410 });

  // K2 payments/envoy: exactly 6 pairs
  s.baseline(['prod-east'], 'payments', 'envoy', 250, () => baselineValues(rng, P));
  s.normals('prod-east', 'payments', 'envoy', P);
  const r5 = s.set('prod-east', 'payments', 'envoy', 5, { 'tcp.bytes': 3500, 'tcp.packets': 200 });
  s.add({ tsNs: r5.tsNs, cluster: 'prod-east', workload: 'payments', process: 'envoy', m: { 'tcp.bytes': 2500 } }); // duplicate timestamp
  s.set('prod-east', 'payments', 'envoy', 6, { 'tcp.bytes': null, 'tcp.packets': 200 });
  s.add({ tsNs: tsAt(bucketStart(at, 6) + 9999), cluster: 'prod-east', workload: 'payments', process: 'envoy', m: { 'tcp.bytes': 3000 } });
  s.set('prod-east', 'payments', 'envoy', 7, { 'udp.packets': 60 });
  s.set('prod-east', 'payments', 'envoy', 8, { 'udp.packets': 61 });

  // K3 batch/python: no baseline
  for (const k of range(100, 120)) s.recentRow('prod-east', 'batch', 'python', k, { 'tcp.bytes': 1e6, 'udp.bytes': 1e6 });

  // K4 cache/redis: constant baseline
  s.baseline(['Zeta', 'alpha'], 'cache', 'redis', 200, () => ({ 'tcp.bytes': 0.1, 'tcp.packets': 500 }));
  for (const c of ['Zeta', 'alpha']) {
    for (const k of range(0, 360)) s.recentRow(c, 'cache', 'redis', k, { 'tcp.bytes': 0.05, 'tcp.packets': 500, 'tcp.new_sockets': 3 });
  }
  for (const k of range(100, 107)) s.set('Zeta', 'cache', 'redis', k, { 'tcp.bytes': 0.3 });
  for (const k of range(200, 206)) s.set('alpha', 'cache', 'redis', k, { 'tcp.packets': 501 });

  // K5 auth/node: near threshold
  s.baseline(['prod-east'], 'auth', 'node', 200, (i) => ({ 'tcp.bytes': i % 2 === 0 ? 90 : 110 }));
  const sd5 = Math.sqrt(20000 / 199);
  for (const k of range(0, 360)) s.recentRow('prod-east', 'auth', 'node', k, { 'tcp.bytes': 100 });
  for (const k of range(10, 16)) s.set('prod-east', 'auth', 'node', k, { 'tcp.bytes': 100 + 3 * sd5 * (1 + 1e-5) + k * 1e-9 });
  s.set('prod-east', 'auth', 'node', 16, { 'tcp.bytes': 100 + 3 * sd5 * (1 - 1e-5) });
  s.set('prod-east', 'auth', 'node', 17, { 'tcp.bytes': 100 + 4.567 * sd5 });

  // K6 edge/curl: tiny and huge numbers
  s.baseline(['prod-west'], 'edge', 'curl', 50, () => ({
    'tcp.bytes': randInt(rng, 1, 6) * 1e-7,
    'udp.bytes': 1e20 * (1 + 0.1 * gauss(rng)),
  }));
  for (const k of range(300, 306)) s.recentRow('prod-west', 'edge', 'curl', k, { 'tcp.bytes': 5e-6, 'udp.bytes': 2.5e21 });

  // K7 ingest/fluentd: poison values
  s.baseline(['prod-east'], 'ingest', 'fluentd', 200, (i) => {
    const v = baselineValues(rng, P);
    const poison: Value[] = [null, NaN, -5, -1000, Infinity, -Infinity];
    if (i < 24) v['tcp.bytes'] = poison[i % poison.length]!;
    if (i % 7 === 0) v['udp.packets'] = null;
    return v;
  });
  s.normals('prod-east', 'ingest', 'fluentd', P);
  const fl = (k: number, m: Record<string, Value>) =>
    s.add({ tsNs: tsAt(bucketStart(at, k) + 1234), cluster: 'prod-east', workload: 'ingest', process: 'fluentd', m });
  s.set('prod-east', 'ingest', 'fluentd', 60, { 'tcp.bytes': 5000 });
  fl(60, { 'tcp.bytes': -1e9 });
  s.set('prod-east', 'ingest', 'fluentd', 61, { 'tcp.bytes': 5000.25 });
  fl(61, { 'tcp.bytes': NaN });
  s.set('prod-east', 'ingest', 'fluentd', 62, { 'tcp.bytes': 5000.5 });
  fl(62, { 'tcp.bytes': null });
  s.set('prod-east', 'ingest', 'fluentd', 63, { 'tcp.bytes': 5001 });
  fl(63, { 'tcp.bytes': Infinity });
  s.set('prod-east', 'ingest', 'fluentd', 64, { 'tcp.bytes': 5002 });
  fl(64, {});
  s.set('prod-east', 'ingest', 'fluentd', 65, { 'tcp.bytes': 5003 });
  s.set('prod-east', 'ingest', 'fluentd', 66, { 'tcp.bytes': NaN });
  s.set('prod-east', 'ingest', 'fluentd', 67, { 'tcp.bytes': -Infinity });

  // K8 lonely/sh: one baseline row
  s.add({ tsNs: tsAt(at - 2 * DAY), cluster: 'prod-east', workload: 'lonely', process: 'sh', m: { 'tcp.bytes': 10, 'udp.bytes': 10, 'udp.packets': 1 } });
  for (const k of range(0, 8)) s.recentRow('prod-east', 'lonely', 'sh', k, { 'tcp.bytes': 1000, 'udp.bytes': 1000, 'udp.packets': 100 });

  // K9 stream/gst: only anomalous in parity mode
  s.baseline(['prod-east'], 'stream', 'gst', 200, (i) => ({ 'udp.bytes': i % 4 === 3 ? 1000 : 1 }));
  for (const k of range(0, 7)) s.recentRow('prod-east', 'stream', 'gst', k, { 'udp.bytes': 1200 });

  // K10 checkout/Java
  s.baseline(['prod-east'], 'checkout', 'Java', 100, () => baselineValues(rng, P));
  for (const k of range(120, 126)) s.recentRow('prod-east', 'checkout', 'Java', k, { 'tcp.bytes': 9000 + k });

  // K11 code-unit ordering
  for (const w of [SURROGATE_WORKLOAD, HALFWIDTH_WORKLOAD]) {
    s.baseline(['prod-east'], w, 'x', 60, () => baselineValues(rng, P));
    for (const k of range(0, 6)) s.recentRow('prod-east', w, 'x', k, { 'udp.packets': 90 + k });
  }

  // null dimensions / timestamps, with spikes
  for (const k of range(0, 10)) {
    const t = tsAt(bucketStart(at, 150 + k) + 500);
    s.add({ tsNs: t, cluster: 'prod-east', workload: null, process: 'java', m: { 'tcp.bytes': 1e5 } });
    s.add({ tsNs: t, cluster: 'prod-east', workload: 'checkout', process: null, m: { 'tcp.bytes': 1e5 } });
    s.add({ tsNs: t, cluster: null, workload: 'checkout', process: 'java', m: { 'tcp.bytes': 1e5 } });
    s.add({ tsNs: null, cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 1e5 } });
  }
  for (let i = 0; i < 20; i++) {
    const t = baselineTs(rng, at, g);
    s.add({ tsNs: t, cluster: 'prod-east', workload: null, process: 'java', m: { 'tcp.bytes': 1 } });
    s.add({ tsNs: t, cluster: 'prod-east', workload: 'checkout', process: null, m: { 'tcp.bytes': 1 } });
  }

  if (opts.futureRows) {
    for (const k of range(0, 20)) {
      s.add({ tsNs: tsAt(at + k * 7 * MINUTE + 1), cluster: 'prod-east', workload: 'checkout', process: 'java', m: { 'tcp.bytes': 1e6 } });
    }
  }

  // extra columns on every row
  for (const r of s.rows) {
    const d = dests[randInt(rng, 0, dests.length)]!;
    const tb = r.m['tcp.bytes'];
    r.x = {
      'dest.workload.name': rng() < 0.1 ? null : d,
      note: rng() < 0.5 ? null : `n${randInt(rng, 0, 1000)}`,
      bytes_total: randInt(rng, 0, 1_000_000),
      'net.tcp.bytes': typeof tb === 'number' && Number.isFinite(tb) ? tb * 1000 : null,
    };
  }
  return { rows: shuffle(rng, s.rows), at };
}

// ---------------------------------------------------------------------------------------------
// Scenario B: tcp only, integer metric types, an extra tcp.retransmits metric
// ---------------------------------------------------------------------------------------------

export const TCP_INT_METRICS: Record<string, MetricType> = {
  'tcp.retransmits': 'UBIGINT',
  'tcp.packets': 'INTEGER',
  'tcp.new_sockets': 'SMALLINT',
  'tcp.bytes': 'BIGINT',
};

export function scenarioB(opts: ScenarioOptions = {}): { rows: LRow[]; at: number } {
  const g = opts.granularity ?? 'us';
  const at = opts.at ?? T0;
  const rng = mulberry32(opts.seed ?? 2);
  const s = new RowSet(rng, at, g);
  const P: Profile = { 'tcp.bytes': [1000, 50], 'tcp.packets': [100, 5], 'tcp.new_sockets': [3, 1], 'tcp.retransmits': [1, 1] };
  const Pn: Profile = { 'tcp.bytes': [1000, 30], 'tcp.packets': [100, 3], 'tcp.new_sockets': [3, 0.3], 'tcp.retransmits': [1, 0.6] };

  // B1 api/gunicorn in c1 and c2
  s.baseline(['c1', 'c2'], 'api', 'gunicorn', 300, () => baselineValues(rng, P, true));
  for (const c of ['c1', 'c2']) s.normals(c, 'api', 'gunicorn', Pn, true);
  for (const k of range(10, 17)) s.set('c1', 'api', 'gunicorn', k, { 'tcp.retransmits': 50 });
  for (const k of range(50, 53)) s.set('c1', 'api', 'gunicorn', k, { 'tcp.new_sockets': 60 });
  for (const k of range(20, 25)) s.set('c2', 'api', 'gunicorn', k, { 'tcp.retransmits': 40 });
  s.set('c2', 'api', 'gunicorn', 30, { 'tcp.bytes': 5000 });
  // sub-ms boundaries
  s.add({ tsNs: before(at, 1, g), cluster: 'c1', workload: 'api', process: 'gunicorn', m: { 'tcp.bytes': 9000 } });
  s.add({ tsNs: tsAt(at), cluster: 'c1', workload: 'api', process: 'gunicorn', m: { 'tcp.bytes': 9999 } });
  s.add({ tsNs: before(at - WINDOW, 1, g), cluster: 'c1', workload: 'api', process: 'gunicorn', m: { 'tcp.packets': 1000 } });
  s.add({ tsNs: tsAt(at - WINDOW), cluster: 'c2', workload: 'api', process: 'gunicorn', m: { 'tcp.packets': 1000 } });
  s.add({ tsNs: tsAt(at - BASELINE), cluster: 'c1', workload: 'api', process: 'gunicorn', m: { 'tcp.new_sockets': 100 } });
  s.add({ tsNs: before(at - BASELINE, 1, g), cluster: 'c1', workload: 'api', process: 'gunicorn', m: { 'tcp.new_sockets': 30000 } });
  s.add({ tsNs: before(bucketStart(at, 200), 1, g), cluster: 'c2', workload: 'api', process: 'gunicorn', m: { 'tcp.bytes': 8000 } });

  // B2 api/nginx: negative integers
  s.baseline(['c1'], 'api', 'nginx', 200, (i) => {
    const v = baselineValues(rng, P, true);
    if (i % 40 === 0) v['tcp.bytes'] = -500;
    if (i % 40 === 1) v['tcp.bytes'] = -1;
    return v;
  });
  s.normals('c1', 'api', 'nginx', Pn, true);
  for (const k of range(40, 46)) {
    s.set('c1', 'api', 'nginx', k, { 'tcp.bytes': 3000 });
    s.add({ tsNs: tsAt(bucketStart(at, k) + 1), cluster: 'c1', workload: 'api', process: 'nginx', m: { 'tcp.bytes': -100000 } });
  }

  // B3 db/postgres: exactly 5
  s.baseline(['c2'], 'db', 'postgres', 200, () => baselineValues(rng, P, true));
  s.normals('c2', 'db', 'postgres', Pn, true);
  for (const k of range(70, 75)) s.set('c2', 'db', 'postgres', k, { 'tcp.packets': 500 });

  for (const r of s.rows) {
    r.x = { 'dest.workload.name': ['db', 'cache', 'web'][randInt(rng, 0, 3)]!, 'tcp.state': 'ESTABLISHED', 'udp.note': rng() < 0.5 ? null : 'x' };
  }
  return { rows: shuffle(rng, s.rows), at };
}

// ---------------------------------------------------------------------------------------------
// Scenario C: float traps (constant 0.1 baseline with recent values equal to it; float32 column)
// ---------------------------------------------------------------------------------------------

export function scenarioC(opts: ScenarioOptions = {}): { rows: LRow[]; at: number } {
  const at = opts.at ?? T0;
  const rng = mulberry32(opts.seed ?? 3);
  const s = new RowSet(rng, at, 'ms');
  // constant 0.1 (not representable): the mean of many 0.1s must compare equal to a recent 0.1
  s.baseline(['f1', 'f2'], 'const', 'tenth', 300, () => ({ 'tcp.bytes': 0.1, 'udp.bytes': 0.7 }));
  for (const c of ['f1', 'f2']) for (const k of range(0, 360)) s.recentRow(c, 'const', 'tenth', k, { 'tcp.bytes': 0.1, 'udp.bytes': 0.7 });
  for (const k of range(0, 6)) s.set('f1', 'const', 'tenth', k, { 'tcp.bytes': 0.2 });
  for (const k of range(0, 7)) s.set('f2', 'const', 'tenth', k, { 'udp.bytes': 0.75 });
  // float32 column values (cast exactly to double by both sides)
  s.baseline(['f1'], 'float', 'single', 200, () => ({ 'tcp.packets': Math.fround(10 + gauss(rng)) }));
  for (const k of range(0, 360)) s.recentRow('f1', 'float', 'single', k, { 'tcp.packets': Math.fround(10 + rng()) });
  for (const k of range(100, 108)) s.set('f1', 'float', 'single', k, { 'tcp.packets': Math.fround(17.3 + k / 10) });
  // a bucket averaging two float32 values
  s.add({ tsNs: tsAt(bucketStart(at, 100) + 5), cluster: 'f1', workload: 'float', process: 'single', m: { 'tcp.packets': Math.fround(19.9) } });
  return { rows: shuffle(rng, s.rows), at };
}

// ---------------------------------------------------------------------------------------------
// Hand-computed case (used to validate the reference itself)
// ---------------------------------------------------------------------------------------------

/**
 * Tiny dataset with hand-computable results at T0 (see HAND_EXPECTED):
 *  baseline (w/p) tcp.bytes 10, 12 (c1), 14 (c2) -> avg 12, stdev 2; udp.bytes 5, 5, 5 -> stdev 0.
 *  c1 recent tcp.bytes per bucket: 20, 20, 21, 19, 30, 18.5, 18.25, mean(17, 19) = 18 (= threshold,
 *  not an anomaly); udp.bytes 6 in one bucket (z = inf). c2: 5 anomalous pairs (not reported).
 */
export function handRows(): LRow[] {
  const at = T0;
  const rows: LRow[] = [];
  const r = (ms: number, cluster: string, m: Record<string, Value>) =>
    rows.push({ tsNs: tsAt(ms), cluster, workload: 'w', process: 'p', m });
  r(at - 2 * HOUR, 'c1', { 'tcp.bytes': 10, 'udp.bytes': 5 });
  r(at - 3 * HOUR, 'c1', { 'tcp.bytes': 12, 'udp.bytes': 5 });
  r(at - 4 * HOUR, 'c2', { 'tcp.bytes': 14, 'udp.bytes': 5 });
  const b = (k: number) => at - WINDOW + k * SPAN;
  [20, 20, 21, 19, 30, 18.5, 18.25].forEach((v, k) => r(b(k) + 3, 'c1', { 'tcp.bytes': v }));
  r(b(7), 'c1', { 'tcp.bytes': 17 });
  r(b(7) + 9999, 'c1', { 'tcp.bytes': 19 });
  r(b(8), 'c1', { 'udp.bytes': 6, 'tcp.bytes': 12 });
  [40, 41, 42, 43, 44].forEach((v, k) => r(b(20 + k), 'c2', { 'tcp.bytes': v }));
  return rows;
}

const HAND_MESSAGES = [
  'tcp.bytes higher than average by 3.13 Standard Deviations. tcp.bytes=18.25 avg_tcp.bytes=12 \'stdev_tcp.bytes\'=2',
  'tcp.bytes higher than average by 3.25 Standard Deviations. tcp.bytes=18.5 avg_tcp.bytes=12 \'stdev_tcp.bytes\'=2',
  'tcp.bytes higher than average by 3.5 Standard Deviations. tcp.bytes=19 avg_tcp.bytes=12 \'stdev_tcp.bytes\'=2',
  'tcp.bytes higher than average by 4 Standard Deviations. tcp.bytes=20 avg_tcp.bytes=12 \'stdev_tcp.bytes\'=2',
  'tcp.bytes higher than average by 4.5 Standard Deviations. tcp.bytes=21 avg_tcp.bytes=12 \'stdev_tcp.bytes\'=2',
  'tcp.bytes higher than average by 9 Standard Deviations. tcp.bytes=30 avg_tcp.bytes=12 \'stdev_tcp.bytes\'=2',
  'udp.bytes higher than average by inf Standard Deviations. udp.bytes=6 avg_udp.bytes=5 \'stdev_udp.bytes\'=0',
];

/** The findings of handRows() at T0 (default options), written out by hand. */
export const HAND_EXPECTED = [
  {
    detection_time: '2026-01-10T12:00:00.000Z',
    host: 'c1',
    'source.workload.name': 'w',
    'source.process.name': 'p',
    count: 8,
    anomalies: HAND_MESSAGES,
    rule_id: 'dd6afee6-e0a3-4028-a089-f47dd2842c22',
    risk_score: 20,
    risk_message: 'Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster c1',
    mitre_attack_id: 'T1204',
  },
];

/** handRows() in parity mode: udp stdev := avg = 5, so 6 is not above 5 + 15; c1 keeps 7 tcp pairs. */
export const HAND_EXPECTED_PARITY = [{ ...HAND_EXPECTED[0]!, count: 7, anomalies: HAND_MESSAGES.slice(0, 6) }];

// ---------------------------------------------------------------------------------------------
// Physical datasets
// ---------------------------------------------------------------------------------------------

export interface EdgeDataset {
  name: string;
  description: string;
  /** the dataset folder */
  dir: string;
  /** detection time to use */
  at: number;
  /** the logical rows written (for cross-checks that bypass Parquet) */
  rows: LRow[];
  /** the metric columns written */
  metrics: string[];
}

const ALL_DOUBLE: Record<string, MetricType> = Object.fromEntries(FIVE_METRICS.map((m) => [m, 'DOUBLE'])) as Record<string, MetricType>;

function splitBy<T>(xs: T[], n: number, f: (x: T, i: number) => number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  xs.forEach((x, i) => out[f(x, i)]!.push(x));
  return out;
}

/** Scenario A, TIMESTAMP(ms), three flat files with different column orders, compression, string encodings. */
export async function writeCore(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioA({ granularity: 'ms', futureRows: false, seed: 11 });
  const parts = splitBy(rows, 3, (_, i) => i % 3);
  const base = { ts: 'ms' as const, metrics: ALL_DOUBLE, extras: EXTRA_COLUMNS };
  await writeParquetFile(conn, join(dir, 'part-0.parquet'), parts[0]!, { ...base, order: 'canonical' });
  await writeParquetFile(conn, join(dir, 'part-1.parquet'), parts[1]!, { ...base, order: 'reversed', copyOptions: 'COMPRESSION zstd' });
  await writeParquetFile(conn, join(dir, 'part-2.parquet'), parts[2]!, {
    ...base,
    order: 'shuffled',
    seed: 5,
    copyOptions: 'COMPRESSION uncompressed, DICTIONARY_SIZE_LIMIT 1',
  });
  return { rows, metrics: [...FIVE_METRICS], name: 'core', description: 'scenario A, TIMESTAMP(ms), 3 flat files, no rows after T', dir, at };
}

/** Scenario B with microsecond TIMESTAMP (and one TIMESTAMPTZ file), integer metrics, no udp columns. */
export async function writeMicrosIntegerTcpOnly(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioB({ granularity: 'us', seed: 21 });
  const extras: Record<string, ExtraType> = { 'dest.workload.name': 'VARCHAR' };
  const parts = splitBy(rows, 2, (_, i) => i % 2);
  await writeParquetFile(conn, join(dir, 'a.parquet'), parts[0]!, { ts: 'us', metrics: TCP_INT_METRICS, extras, order: 'reversed' });
  await writeParquetFile(conn, join(dir, 'b.parquet'), parts[1]!, {
    ts: 'tz',
    metrics: TCP_INT_METRICS,
    extras,
    order: 'shuffled',
    seed: 9,
    copyOptions: 'COMPRESSION gzip',
  });
  return {
    rows,
    metrics: Object.keys(TCP_INT_METRICS),
    name: 'micros-int-tcp-only',
    description: 'scenario B: TIMESTAMP(us) + TIMESTAMPTZ, sub-ms boundaries, BIGINT/INTEGER/SMALLINT/UBIGINT metrics, tcp.retransmits, no udp',
    dir,
    at,
  };
}

/** Scenario A with nanosecond TIMESTAMP and ns-precision boundary rows, rows after T. */
export async function writeNanos(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioA({ granularity: 'ns', futureRows: true, seed: 31 });
  const parts = splitBy(rows, 2, (_, i) => (i < rows.length / 2 ? 0 : 1));
  await writeParquetFile(conn, join(dir, 'n0.parquet'), parts[0]!, { ts: 'ns', metrics: ALL_DOUBLE, extras: EXTRA_COLUMNS });
  await writeParquetFile(conn, join(dir, 'n1.parquet'), parts[1]!, { ts: 'ns', metrics: ALL_DOUBLE, extras: EXTRA_COLUMNS, order: 'shuffled', seed: 3 });
  return { rows, metrics: [...FIVE_METRICS], name: 'nanos', description: 'scenario A, TIMESTAMP(ns), ns boundary rows, rows after T', dir, at };
}

/** Scenario A with an int64 epoch-millisecond `timestamp` column. */
export async function writeEpochMs(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioA({ granularity: 'ms', futureRows: true, seed: 41 });
  await writeParquetFile(conn, join(dir, 'epoch.parquet'), rows, { ts: 'epoch_ms', metrics: ALL_DOUBLE, extras: EXTRA_COLUMNS, order: 'reversed' });
  return { rows, metrics: [...FIVE_METRICS], name: 'epoch-ms', description: 'scenario A, BIGINT epoch-ms timestamp, one file', dir, at };
}

/**
 * Scenario A in a hive layout: day=YYYY-MM-DD/ folders, one file per cluster per day, varied column
 * orders, compressions and row-group sizes; files without udp columns; an empty file; a deeper
 * nested folder; rows after T.
 */
export async function writeHive(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioA({ granularity: 'ms', futureRows: true, seed: 51 });
  const byFile = new Map<string, LRow[]>();
  for (const r of rows) {
    const day = r.tsNs === null ? '2026-01-10' : new Date(Number(r.tsNs / 1_000_000n)).toISOString().slice(0, 10);
    const key = `${day}|${r.cluster ?? 'none'}`;
    let list = byFile.get(key);
    if (!list) byFile.set(key, (list = []));
    list.push(r);
  }
  const orders = ['canonical', 'reversed', 'shuffled'] as const;
  const compressions = ['snappy', 'zstd', 'gzip', 'uncompressed'];
  let i = 0;
  const keys = [...byFile.keys()].sort();
  for (const key of keys) {
    const [day, cluster] = key.split('|') as [string, string];
    const list = byFile.get(key)!;
    const noUdp = list.every((r) => (r.m['udp.bytes'] ?? null) === null && (r.m['udp.packets'] ?? null) === null);
    const metrics: Record<string, MetricType> = noUdp ? { 'tcp.bytes': 'DOUBLE', 'tcp.new_sockets': 'DOUBLE', 'tcp.packets': 'DOUBLE' } : ALL_DOUBLE;
    const safe = Buffer.from(cluster, 'utf8').toString('hex');
    const sub = i % 11 === 5 ? join(`day=${day}`, 'nested', 'deeper') : `day=${day}`;
    await writeParquetFile(conn, join(dir, sub, `part-${safe}.parquet`), list, {
      ts: 'ms',
      metrics,
      extras: i % 2 === 0 ? EXTRA_COLUMNS : { 'dest.workload.name': 'VARCHAR' },
      order: orders[i % 3],
      seed: i,
      copyOptions: `COMPRESSION ${compressions[i % 4]}${list.length > 4096 ? ', ROW_GROUP_SIZE 2048' : ''}`,
    });
    i++;
  }
  await writeParquetFile(conn, join(dir, 'day=2026-01-10', 'empty.parquet'), [], { ts: 'ms', metrics: ALL_DOUBLE });
  return { rows, metrics: [...FIVE_METRICS], name: 'hive', description: `scenario A, ${i + 1} files in day=YYYY-MM-DD/ folders (one empty, some without udp columns)`, dir, at };
}

/** Scenario A split over five files with different timestamp representations. */
export async function writeMixedUnits(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioA({ granularity: 'ms', futureRows: true, seed: 61 });
  const units: TsUnit[] = ['ms', 'us', 'ns', 'tz', 'epoch_ms'];
  const parts = splitBy(rows, units.length, (_, i) => i % units.length);
  for (const [j, unit] of units.entries()) {
    await writeParquetFile(conn, join(dir, `sub${j % 2}`, `${unit}.parquet`), parts[j]!, {
      ts: unit,
      metrics: ALL_DOUBLE,
      extras: EXTRA_COLUMNS,
      order: j % 2 ? 'reversed' : 'canonical',
    });
  }
  return { rows, metrics: [...FIVE_METRICS], name: 'mixed-units', description: 'scenario A over files with ms, us, ns, TIMESTAMPTZ and epoch-ms timestamps', dir, at };
}

/** Scenario B plus VARCHAR columns named like metrics (tcp.state, udp.note): not metrics. */
export async function writeStringMetricLike(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioB({ granularity: 'ms', seed: 71 });
  await writeParquetFile(conn, join(dir, 's.parquet'), rows, {
    ts: 'ms',
    metrics: { 'tcp.bytes': 'DOUBLE', 'tcp.packets': 'BIGINT', 'tcp.new_sockets': 'DOUBLE', 'tcp.retransmits': 'INTEGER' },
    extras: { 'dest.workload.name': 'VARCHAR', 'tcp.state': 'VARCHAR', 'udp.note': 'VARCHAR' },
  });
  return { rows, metrics: ['tcp.bytes', 'tcp.packets', 'tcp.new_sockets', 'tcp.retransmits'], name: 'string-metric-like', description: 'scenario B with VARCHAR columns tcp.state and udp.note (must be ignored)', dir, at };
}

/** Scenario C: constant 0.1 baselines with equal recent values, FLOAT (float32) metric column. */
export async function writeFloatTraps(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioC({ seed: 81 });
  const parts = splitBy(rows, 4, (_, i) => i % 4);
  for (const [j, part] of parts.entries()) {
    await writeParquetFile(conn, join(dir, `c${j}.parquet`), part, {
      ts: 'ms',
      metrics: { 'tcp.bytes': 'DOUBLE', 'udp.bytes': 'DOUBLE', 'tcp.packets': 'FLOAT' },
    });
  }
  return {
    rows,
    metrics: ['tcp.bytes', 'udp.bytes', 'tcp.packets'],
    name: 'float-traps',
    description: 'scenario C: constant 0.1/0.7 baselines (stdev 0) with recent values equal to them, FLOAT column',
    dir,
    at,
  };
}

/** Scenario A written with Parquet V2 data pages (DELTA / BYTE_STREAM_SPLIT encodings), as newer writers do. */
export async function writeParquetV2(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const { rows, at } = scenarioA({ granularity: 'us', futureRows: true, seed: 91 });
  const parts = splitBy(rows, 2, (_, i) => i % 2);
  await writeParquetFile(conn, join(dir, 'v2-a.parquet'), parts[0]!, {
    ts: 'us',
    metrics: ALL_DOUBLE,
    extras: EXTRA_COLUMNS,
    copyOptions: 'PARQUET_VERSION v2, COMPRESSION zstd',
  });
  await writeParquetFile(conn, join(dir, 'v2-b.parquet'), parts[1]!, {
    ts: 'tz',
    metrics: ALL_DOUBLE,
    extras: EXTRA_COLUMNS,
    order: 'reversed',
    copyOptions: 'PARQUET_VERSION v2, COMPRESSION snappy, DICTIONARY_SIZE_LIMIT 1',
  });
  return { rows, metrics: [...FIVE_METRICS], name: 'parquet-v2', description: 'scenario A, Parquet V2 data pages, TIMESTAMP(us) and TIMESTAMPTZ files', dir, at };
}

/** The hand-computed dataset (see handRows). */
export async function writeHand(conn: DuckDBConnection, dir: string): Promise<EdgeDataset> {
  const rows = handRows();
  await writeParquetFile(conn, join(dir, 'hand.parquet'), rows, { ts: 'ms', metrics: { 'tcp.bytes': 'DOUBLE', 'udp.bytes': 'DOUBLE' } });
  return { rows, metrics: ['tcp.bytes', 'udp.bytes'], name: 'hand', description: 'hand-computed tiny case', dir, at: T0 };
}

export const DATASET_WRITERS: Record<string, (conn: DuckDBConnection, dir: string) => Promise<EdgeDataset>> = {
  hand: writeHand,
  core: writeCore,
  'micros-int-tcp-only': writeMicrosIntegerTcpOnly,
  nanos: writeNanos,
  'epoch-ms': writeEpochMs,
  hive: writeHive,
  'mixed-units': writeMixedUnits,
  'string-metric-like': writeStringMetricLike,
  'float-traps': writeFloatTraps,
  'parquet-v2': writeParquetV2,
};

/** Writes every dataset into `<root>/<name>/`. */
export async function writeAllEdgeCases(conn: DuckDBConnection, root: string): Promise<EdgeDataset[]> {
  const out: EdgeDataset[] = [];
  for (const [name, write] of Object.entries(DATASET_WRITERS)) out.push(await write(conn, join(root, name)));
  return out;
}
