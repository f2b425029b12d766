/**
 * Independent reference implementation of the detection rule (SPEC §3) as plain DuckDB SQL.
 *
 * It deliberately shares no code with src/: the differential test compares the project's CLI
 * against this file. Aggregation happens in DuckDB (favg = Kahan-summed mean, stddev_samp =
 * Welford, on the values less their minimum); only the threshold test, the message formatting and
 * the final grouping happen in JS, on the doubles DuckDB returns.
 *
 * Semantics (SPEC §3, with the choices the brief fixes where the spec is silent):
 *  - timestamps normalised to epoch ms by flooring (TIMESTAMP of any unit; integer columns are
 *    epoch milliseconds);
 *  - rows with a null timestamp, workload or process are ignored everywhere; rows with a null
 *    cluster are ignored in the recent window but count in the baseline, which is pooled across
 *    clusters (SPEC §3.2);
 *  - metric values that are NaN, +-Infinity or negative are treated as null everywhere;
 *  - recent: T - window <= ts < T, bucket floor(ts / span) * span, value = mean per
 *    (cluster, workload, process, bucket, metric);
 *  - baseline: T - baseline <= ts < T - window, per (workload, process, metric) across clusters,
 *    avg = mean, stdev = sample stdev (undefined when n < 2); parity mode: stdev of udp.* := avg;
 *  - anomaly when value > avg + sigma * stdev; count = anomalous (bucket, metric) pairs per
 *    (cluster, workload, process); reported when count > minCount.
 */
import { statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export const RULE_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
export const RISK_SCORE = 20;
export const MITRE_ATTACK_ID = 'T1204';

export interface Finding {
  detection_time: string;
  host: string;
  'source.workload.name': string;
  'source.process.name': string;
  count: number;
  anomalies: string[];
  rule_id: string;
  risk_score: number;
  risk_message: string;
  mitre_attack_id: string;
}

export interface ReferenceOptions {
  sigma?: number;
  minCount?: number;
  windowMs?: number;
  spanMs?: number;
  baselineMs?: number;
  /** --baseline-model hour-of-day: only baseline rows in the window's hour on earlier days, ((ts - (T - window)) mod 1 d) < window */
  hourOfDay?: boolean;
  /** with hourOfDay, --weekday-split: only phase windows starting on a UTC day of T - window's kind (Mon-Fri or Sat-Sun) */
  weekdaySplit?: boolean;
  splunkParity?: boolean;
  /** Metric column patterns (`*` = any run of characters, `?` = one). Default tcp.*, udp.* */
  metrics?: string[];
  /** Connection to run on; by default a module-wide in-memory instance is used. */
  connection?: DuckDBConnection;
}

/** One anomalous (bucket, metric) pair, for debugging and for tests of the reference itself. */
export interface ReferencePair {
  cluster: string;
  workload: string;
  process: string;
  bucket: number;
  metric: string;
  value: number;
  avg: number;
  stdev: number;
  message: string;
}

export interface ReferenceResult {
  findings: Finding[];
  /** every anomalous pair, reported or not */
  pairs: ReferencePair[];
  /** metric columns discovered */
  metrics: string[];
  /** files read */
  files: string[];
}

let sharedInstance: DuckDBInstance | undefined;
let sharedConnection: DuckDBConnection | undefined;

/** The module-wide connection (created on first use). */
export async function referenceConnection(): Promise<DuckDBConnection> {
  if (!sharedConnection) {
    sharedInstance = await DuckDBInstance.create(':memory:');
    sharedConnection = await sharedInstance.connect();
    await sharedConnection.run(`SET TimeZone = 'UTC'`);
  }
  return sharedConnection;
}

/** Closes the module-wide instance (if one was created). */
export function closeReference(): void {
  sharedConnection?.closeSync();
  sharedInstance?.closeSync();
  sharedConnection = undefined;
  sharedInstance = undefined;
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
const INTEGER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function patternToRegExp(p: string): RegExp {
  const body = p
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** Floor division of two SQL BIGINT expressions (b > 0), correct for negative a as well. */
function floorDiv(a: string, b: string): string {
  return `(CASE WHEN (${a}) >= 0 THEN (${a}) // (${b}) ELSE -((-(${a}) + (${b}) - 1) // (${b})) END)`;
}

/** SQL: whether epoch ms `t` is on a UTC Saturday or Sunday (day 0, 1970-01-01, was a Thursday). */
function weekendSql(t: string): string {
  return `((((${floorDiv(t, '86400000')} + 4) % 7) + 7) % 7 IN (0, 6))`;
}

function tsExpression(column: string, type: string, file: string): string {
  const c = sqlIdent(column);
  if (type === 'TIMESTAMP_NS') return floorDiv(`epoch_ns(${c})`, '1000000');
  if (/^TIMESTAMP/.test(type)) return floorDiv(`epoch_us(${c})`, '1000');
  if (INTEGER_TYPE.test(type)) return `CAST(${c} AS BIGINT)`;
  if (type === 'FLOAT' || type === 'DOUBLE') return `CAST(floor(${c}) AS BIGINT)`;
  throw new Error(`reference: unsupported timestamp type ${type} in ${file}`);
}

/** JavaScript rounding of x to 2 decimals, half away from zero, on the exact binary value. */
export function roundHalfAway2(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const r = a < 1e21 ? Number(a.toFixed(2)) : a;
  return x < 0 ? -r : r;
}

export function formatZ(value: number, avg: number, stdev: number): string {
  const z = stdev === 0 ? (value > avg ? Infinity : value < avg ? -Infinity : NaN) : (value - avg) / stdev;
  if (z === Infinity) return 'inf';
  if (z === -Infinity) return '-inf';
  return String(roundHalfAway2(z));
}

export function formatMessage(metric: string, value: number, avg: number, stdev: number): string {
  const z = formatZ(value, avg, stdev);
  return (
    `${metric} higher than average by ${z} Standard Deviations. ` +
    `${metric}=${String(value)} avg_${metric}=${String(avg)} 'stdev_${metric}'=${String(stdev)}`
  );
}

export function codeUnitCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function resolveGlob(dataGlob: string): string {
  if (!/[*?[]/.test(dataGlob)) {
    try {
      if (statSync(dataGlob).isDirectory()) return `${dataGlob.replace(/\/+$/, '')}/**/*.parquet`;
    } catch {
      /* fall through: treat as a file path */
    }
  }
  return dataGlob;
}

function exactMean(mean: number, min: number, max: number): number {
  if (min === max) return min;
  return Math.min(max, Math.max(min, mean));
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`reference: expected a number, got ${String(v)}`);
}

export async function referenceDetect(
  dataGlob: string,
  atMs: number,
  opts: ReferenceOptions = {},
): Promise<Finding[]> {
  return (await referenceDetectDetailed(dataGlob, atMs, opts)).findings;
}

export async function referenceDetectDetailed(
  dataGlob: string,
  atMs: number,
  opts: ReferenceOptions = {},
): Promise<ReferenceResult> {
  const sigma = opts.sigma ?? 3;
  const minCount = opts.minCount ?? 5;
  const windowMs = opts.windowMs ?? 3_600_000;
  const spanMs = opts.spanMs ?? 10_000;
  const baselineMs = opts.baselineMs ?? 2_592_000_000;
  const parity = opts.splunkParity ?? false;
  const patterns = (opts.metrics ?? ['tcp.*', 'udp.*']).map(patternToRegExp);
  for (const [name, v] of Object.entries({ atMs, windowMs, spanMs, baselineMs })) {
    if (!Number.isSafeInteger(v)) throw new Error(`reference: ${name} must be an integer, got ${v}`);
  }
  if (spanMs <= 0) throw new Error('reference: spanMs must be > 0');
  const conn = opts.connection ?? (await referenceConnection());

  const glob = resolveGlob(dataGlob);
  const fileRows = (await conn.runAndReadAll(`SELECT file FROM glob(${sqlString(glob)}) ORDER BY file`)).getRows();
  const files = fileRows.map((r) => String(r[0]));
  if (files.length === 0) return { findings: [], pairs: [], metrics: [], files };

  // Schema of every file, read separately so that files may disagree on column order, column set
  // and timestamp unit.
  const schemas: Map<string, string>[] = [];
  const metricSet = new Set<string>();
  for (const file of files) {
    const rows = (
      await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`)
    ).getRows();
    const schema = new Map<string, string>();
    for (const r of rows) schema.set(String(r[0]), String(r[1]));
    schemas.push(schema);
    for (const [name, type] of schema) {
      if (NUMERIC_TYPE.test(type) && patterns.some((p) => p.test(name))) metricSet.add(name);
    }
  }
  const metrics = [...metricSet].sort(codeUnitCompare);
  if (metrics.length === 0) return { findings: [], pairs: [], metrics, files };

  const selects = files.map((file, i) => {
    const schema = schemas[i]!;
    const tsType = schema.get('timestamp');
    const ts = tsType === undefined ? 'CAST(NULL AS BIGINT)' : tsExpression('timestamp', tsType, file);
    const dim = (name: string) => (schema.has(name) ? `CAST(${sqlIdent(name)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)');
    const ms = metrics.map((m, j) => {
      const type = schema.get(m);
      if (type === undefined || !NUMERIC_TYPE.test(type)) return `CAST(NULL AS DOUBLE) AS m${j}`;
      const d = `CAST(${sqlIdent(m)} AS DOUBLE)`;
      return `(CASE WHEN isfinite(${d}) AND ${d} >= 0 THEN ${d} END) AS m${j}`;
    });
    return (
      `SELECT ${ts} AS ts, ${dim('k8s.cluster.name')} AS cluster, ${dim('source.workload.name')} AS workload, ` +
      `${dim('source.process.name')} AS process, ${ms.join(', ')} ` +
      `FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`
    );
  });

  const lo = atMs - baselineMs;
  const recentLo = atMs - windowMs;
  // a baseline row's offset into its day's copy of the window, [T - window - d days, T - d days)
  const phase = `((ts - ${recentLo}) % 86400000 + 86400000) % 86400000`;
  const long = metrics
    .map((_, j) => `SELECT cluster, workload, process, ts, ${j} AS metric, m${j} AS v FROM filtered WHERE m${j} IS NOT NULL`)
    .join(' UNION ALL ');
  const sql = `
    WITH raw AS (${selects.join(' UNION ALL ')}),
    filtered AS (
      SELECT * FROM raw
      WHERE ts IS NOT NULL AND workload IS NOT NULL AND process IS NOT NULL
        AND ts >= ${lo} AND ts < ${atMs}
    ),
    long AS (${long}),
    recent AS (
      SELECT cluster, workload, process, ${floorDiv('ts', String(spanMs))} * ${spanMs} AS bucket, metric,
             favg(v) AS value, min(v) AS vmin, max(v) AS vmax
      FROM long WHERE ts >= ${recentLo} AND cluster IS NOT NULL
      GROUP BY cluster, workload, process, bucket, metric
    ),
    base AS (
      SELECT workload, process, metric, favg(v) AS bavg, stddev_samp(v - shift) AS bsd, CAST(count(v) AS INTEGER) AS n,
             min(v) AS bmin, max(v) AS bmax
      FROM (
        -- Welford in float64 on data far from zero (2^40 + 0.1 noise) loses digits; on the data less
        -- its minimum it does not, and the sample standard deviation does not change
        SELECT *, min(v) OVER (PARTITION BY workload, process, metric) AS shift FROM long WHERE ts < ${recentLo}
          ${opts.hourOfDay ? `AND ${phase} < ${windowMs}` : ''}
          ${opts.hourOfDay && opts.weekdaySplit ? `AND ${weekendSql(`ts - ${phase}`)} = ${weekendSql(String(recentLo))}` : ''}
      )
      GROUP BY workload, process, metric
    )
    SELECT r.cluster, r.workload, r.process, CAST(r.bucket AS DOUBLE) AS bucket, r.metric, r.value, b.bavg, b.bsd, b.n,
           r.vmin, r.vmax, b.bmin, b.bmax
    FROM recent r JOIN base b ON r.workload = b.workload AND r.process = b.process AND r.metric = b.metric
  `;
  const rows = (await conn.runAndReadAll(sql)).getRows();

  const pairs: ReferencePair[] = [];
  for (const r of rows) {
    const metric = metrics[toNumber(r[4])]!;
    // A mean lies within [min, max]; a mean of equal values is that value exactly (the Kahan-summed
    // favg can be 1 ulp off, e.g. 300 x 0.1 gives 0.10000000000000002).
    const value = exactMean(toNumber(r[5]), toNumber(r[9]), toNumber(r[10]));
    const avg = exactMean(toNumber(r[6]), toNumber(r[11]), toNumber(r[12]));
    const n = toNumber(r[8]);
    let stdev: number | undefined;
    if (parity && metric.startsWith('udp.')) stdev = n >= 1 ? avg : undefined;
    else stdev = n >= 2 && r[7] !== null ? toNumber(r[7]) : undefined;
    if (stdev === undefined || Number.isNaN(stdev) || Number.isNaN(avg) || Number.isNaN(value)) continue;
    if (!(value > avg + sigma * stdev)) continue;
    pairs.push({
      cluster: String(r[0]),
      workload: String(r[1]),
      process: String(r[2]),
      bucket: toNumber(r[3]),
      metric,
      value,
      avg,
      stdev,
      message: formatMessage(metric, value, avg, stdev),
    });
  }

  const groups = new Map<string, { cluster: string; workload: string; process: string; count: number; messages: Set<string> }>();
  for (const p of pairs) {
    const key = JSON.stringify([p.cluster, p.workload, p.process]);
    let g = groups.get(key);
    if (!g) {
      g = { cluster: p.cluster, workload: p.workload, process: p.process, count: 0, messages: new Set() };
      groups.set(key, g);
    }
    g.count += 1;
    g.messages.add(p.message);
  }
  const detectionTime = new Date(atMs).toISOString();
  const findings: Finding[] = [...groups.values()]
    .filter((g) => g.count > minCount)
    .sort(
      (a, b) =>
        codeUnitCompare(a.cluster, b.cluster) ||
        codeUnitCompare(a.workload, b.workload) ||
        codeUnitCompare(a.process, b.process),
    )
    .map((g) => ({
      detection_time: detectionTime,
      host: g.cluster,
      'source.workload.name': g.workload,
      'source.process.name': g.process,
      count: g.count,
      anomalies: [...g.messages].sort(codeUnitCompare),
      rule_id: RULE_ID,
      risk_score: RISK_SCORE,
      risk_message: `Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster ${g.cluster}`,
      mitre_attack_id: MITRE_ATTACK_ID,
    }));
  pairs.sort(
    (a, b) =>
      codeUnitCompare(a.cluster, b.cluster) ||
      codeUnitCompare(a.workload, b.workload) ||
      codeUnitCompare(a.process, b.process) ||
      a.bucket - b.bucket ||
      codeUnitCompare(a.metric, b.metric),
  );
  return { findings, pairs, metrics, files };
}

/** SPEC §3 default T: floor(maxTimestamp / 10000) * 10000 + 10000 over every row with a timestamp. */
export async function referenceDefaultAt(dataGlob: string, connection?: DuckDBConnection): Promise<number | undefined> {
  const conn = connection ?? (await referenceConnection());
  const glob = resolveGlob(dataGlob);
  const files = (await conn.runAndReadAll(`SELECT file FROM glob(${sqlString(glob)}) ORDER BY file`))
    .getRows()
    .map((r) => String(r[0]));
  let max: number | undefined;
  for (const file of files) {
    const rows = (
      await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`)
    ).getRows();
    const type = rows.find((r) => String(r[0]) === 'timestamp')?.[1];
    if (type === undefined) continue;
    const v = (
      await conn.runAndReadAll(
        `SELECT CAST(max(${tsExpression('timestamp', String(type), file)}) AS DOUBLE) FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`,
      )
    ).getRows()[0]?.[0];
    if (v !== null && v !== undefined) max = Math.max(max ?? -Infinity, toNumber(v));
  }
  return max === undefined ? undefined : Math.floor(max / 10_000) * 10_000 + 10_000;
}
