/**
 * Independent reference for the rule family (outbound, inbound, network edge, newly seen TCP / UDP
 * edge) as DuckDB SQL over Parquet. Shares no code with src/; the message format and the
 * string helpers come from the outbound reference (duckdbRule.ts), whose SQL this generalises.
 *
 * zscore (SPEC §3 with the rule's own key): recent T - window <= ts < T, bucket mean per
 * (cluster, k0, k1, bucket, metric), rows with a null cluster skipped there; baseline
 * T - baseline <= ts < T - window pooled across clusters (null cluster included); anomaly when
 * value > avg + sigma * stdev; reported when count > minCount.
 * new-entity: count of valid points of the metric per (cluster, edge) in the recent window
 * (null cluster skipped), reported when the edge has no valid point in the baseline (any cluster).
 * Everywhere: null timestamp or key column skipped; NaN, infinite or negative values are null.
 */
import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { codeUnitCompare, formatMessage, sqlIdent, sqlString } from './duckdbRule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface FamilyRule {
  id: string;
  kind: 'zscore' | 'new-entity';
  key: [string, string];
  /** zscore: column globs; new-entity: the one metric column */
  metrics: string[];
  riskScore: number;
  /** risk message with $host$ */
  message: string;
  windowMs: number;
  baselineMs: number;
  spanMs: number;
  sigma: number;
  minCount: number;
}

const family = (r: Pick<FamilyRule, 'id' | 'kind' | 'key' | 'metrics' | 'riskScore' | 'message'>): FamilyRule => ({
  ...r,
  windowMs: HOUR,
  baselineMs: 30 * DAY,
  spanMs: 10_000,
  sigma: 3,
  minCount: 5,
});

const ZMETRICS = ['tcp.*', 'udp.*'];
export const OUTBOUND = family({
  id: 'dd6afee6-e0a3-4028-a089-f47dd2842c22', kind: 'zscore', key: ['source.workload.name', 'source.process.name'],
  metrics: ZMETRICS, riskScore: 20, message: 'Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster $host$',
});
export const INBOUND = family({
  id: '10442d8b-0701-4c25-911d-d67b906e713c', kind: 'zscore', key: ['dest.workload.name', 'dest.process.name'],
  metrics: ZMETRICS, riskScore: 25, message: 'Kubernetes Anomalous Inbound Network Activity from Process in kubernetes cluster $host$',
});
export const NETWORK_EDGE = family({
  id: '886c7e51-2ea1-425d-8705-faaca5a64cc6', kind: 'zscore', key: ['source.workload.name', 'dest.workload.name'],
  metrics: ZMETRICS, riskScore: 25, message: 'Kubernetes Anomalous Traffic on Network Edge in kubernetes cluster $host$',
});
export const NEW_TCP_EDGE = family({
  id: '13f081d6-7052-428a-bbb0-892c79ca7c65', kind: 'new-entity', key: ['source.workload.name', 'dest.workload.name'],
  metrics: ['tcp.packets'], riskScore: 25, message: 'Kubernetes newly seen TCP edge in kubernetes cluster $host$',
});
export const NEW_UDP_EDGE = family({
  id: '49b7daca-4e3c-4899-ba15-9a175e056fa9', kind: 'new-entity', key: ['source.workload.name', 'dest.workload.name'],
  metrics: ['udp.packets'], riskScore: 25, message: 'Kubernetes newly seen UDP edge in kubernetes cluster $host$',
});
export const FAMILY_RULES: readonly FamilyRule[] = [OUTBOUND, INBOUND, NETWORK_EDGE, NEW_TCP_EDGE, NEW_UDP_EDGE];

/** A finding as the CLI prints it: fields in this order, the key fields named after the rule's columns. */
export type FamilyFinding = Record<string, unknown> & { host: string; count: number; anomalies: string[]; rule_id: string };

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

function floorDiv(a: string, b: string): string {
  return `(CASE WHEN (${a}) >= 0 THEN (${a}) // (${b}) ELSE -((-(${a}) + (${b}) - 1) // (${b})) END)`;
}

function tsSql(type: string | undefined): string {
  const c = sqlIdent('timestamp');
  if (type === undefined) return 'CAST(NULL AS BIGINT)';
  if (type === 'TIMESTAMP_NS') return floorDiv(`epoch_ns(${c})`, '1000000');
  if (type.startsWith('TIMESTAMP')) return floorDiv(`epoch_us(${c})`, '1000');
  if (INTEGER.test(type)) return `CAST(${c} AS BIGINT)`;
  throw new Error(`family reference: unsupported timestamp type ${type}`);
}

function globToRegExp(p: string): RegExp {
  const body = [...p].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`family reference: expected a number, got ${String(v)}`);
}

/** A mean lies in [min, max], and a mean of equal values is that value (favg can be 1 ulp off). */
function exactMean(mean: number, min: number, max: number): number {
  return min === max ? min : Math.min(max, Math.max(min, mean));
}

interface Source {
  /** UNION ALL of every file as (ts, cluster, k0, k1, m0..mN), invalid values already null */
  sql: string;
  metrics: string[];
}

async function readSource(conn: DuckDBConnection, data: string, rule: FamilyRule): Promise<Source | undefined> {
  let glob = data;
  try {
    if (statSync(data).isDirectory()) glob = `${data.replace(/\/+$/, '')}/**/*.parquet`;
  } catch {
    /* a glob or a file */
  }
  const files = (await conn.runAndReadAll(`SELECT file FROM glob(${sqlString(glob)}) ORDER BY file`)).getRows().map((r) => String(r[0]));
  const schemas: Map<string, string>[] = [];
  const found = new Set<string>();
  const patterns = rule.kind === 'zscore' ? rule.metrics.map(globToRegExp) : [];
  for (const file of files) {
    const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`)).getRows();
    const schema = new Map(rows.map((r) => [String(r[0]), String(r[1])]));
    schemas.push(schema);
    for (const [name, type] of schema) {
      if (!NUMERIC.test(type)) continue;
      if (rule.kind === 'zscore' ? patterns.some((p) => p.test(name)) : rule.metrics.includes(name)) found.add(name);
    }
  }
  const metrics = [...found].sort(codeUnitCompare);
  if (metrics.length === 0) return undefined;
  const selects = files.map((file, i) => {
    const schema = schemas[i]!;
    const dim = (c: string) => (schema.has(c) ? `CAST(${sqlIdent(c)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)');
    const ms = metrics.map((m, j) => {
      if (!NUMERIC.test(schema.get(m) ?? '')) return `CAST(NULL AS DOUBLE) AS m${j}`;
      const d = `CAST(${sqlIdent(m)} AS DOUBLE)`;
      return `(CASE WHEN isfinite(${d}) AND ${d} >= 0 THEN ${d} END) AS m${j}`;
    });
    return (
      `SELECT ${tsSql(schema.get('timestamp'))} AS ts, ${dim('k8s.cluster.name')} AS cluster, ` +
      `${dim(rule.key[0])} AS k0, ${dim(rule.key[1])} AS k1, ${ms.join(', ')} FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`
    );
  });
  return { sql: selects.join(' UNION ALL '), metrics };
}

function finding(rule: FamilyRule, at: number, host: string, k0: string, k1: string, count: number, anomalies: string[]): FamilyFinding {
  return {
    detection_time: new Date(at).toISOString(),
    host,
    [rule.key[0]]: k0,
    [rule.key[1]]: k1,
    count,
    anomalies,
    rule_id: rule.id,
    risk_score: rule.riskScore,
    risk_message: rule.message.replaceAll('$host$', host),
    mitre_attack_id: 'T1204',
  } as FamilyFinding;
}

async function zscore(conn: DuckDBConnection, src: Source, rule: FamilyRule, at: number): Promise<FamilyFinding[]> {
  const lo = at - rule.baselineMs;
  const recentLo = at - rule.windowMs;
  const long = src.metrics.map((_, j) => `SELECT cluster, k0, k1, ts, ${j} AS metric, m${j} AS v FROM f WHERE m${j} IS NOT NULL`).join(' UNION ALL ');
  const sql = `
    WITH f AS (SELECT * FROM (${src.sql}) WHERE ts IS NOT NULL AND k0 IS NOT NULL AND k1 IS NOT NULL AND ts >= ${lo} AND ts < ${at}),
    long AS (${long}),
    recent AS (
      SELECT cluster, k0, k1, ${floorDiv('ts', String(rule.spanMs))} AS bucket, metric, favg(v) AS value, min(v) AS vmin, max(v) AS vmax
      FROM long WHERE ts >= ${recentLo} AND cluster IS NOT NULL GROUP BY cluster, k0, k1, bucket, metric
    ),
    base AS (
      -- the sample deviation of the values less their minimum: the same, without Welford's lost digits far from zero
      SELECT k0, k1, metric, favg(v) AS bavg, stddev_samp(v - shift) AS bsd, count(v) AS n, min(v) AS bmin, max(v) AS bmax
      FROM (SELECT *, min(v) OVER (PARTITION BY k0, k1, metric) AS shift FROM long WHERE ts < ${recentLo})
      GROUP BY k0, k1, metric
    )
    SELECT r.cluster, r.k0, r.k1, r.metric, r.value, r.vmin, r.vmax, b.bavg, b.bmin, b.bmax, b.bsd, b.n
    FROM recent r JOIN base b ON r.k0 = b.k0 AND r.k1 = b.k1 AND r.metric = b.metric`;
  const groups = new Map<string, { host: string; k0: string; k1: string; count: number; messages: Set<string> }>();
  for (const r of (await conn.runAndReadAll(sql)).getRows()) {
    const metric = src.metrics[num(r[3])]!;
    const value = exactMean(num(r[4]), num(r[5]), num(r[6]));
    const avg = exactMean(num(r[7]), num(r[8]), num(r[9]));
    if (num(r[11]) < 2 || r[10] === null) continue;
    const stdev = num(r[10]);
    if (!(value > avg + rule.sigma * stdev)) continue;
    const k = JSON.stringify([r[0], r[1], r[2]]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { host: String(r[0]), k0: String(r[1]), k1: String(r[2]), count: 0, messages: new Set() }));
    g.count += 1;
    g.messages.add(formatMessage(metric, value, avg, stdev));
  }
  return [...groups.values()]
    .filter((g) => g.count > rule.minCount)
    .map((g) => finding(rule, at, g.host, g.k0, g.k1, g.count, [...g.messages].sort(codeUnitCompare)));
}

async function newEntity(conn: DuckDBConnection, src: Source, rule: FamilyRule, at: number): Promise<FamilyFinding[]> {
  const recentLo = at - rule.windowMs;
  const sql = `
    WITH f AS (
      SELECT * FROM (${src.sql})
      WHERE ts IS NOT NULL AND k0 IS NOT NULL AND k1 IS NOT NULL AND m0 IS NOT NULL AND ts >= ${at - rule.baselineMs} AND ts < ${at}
    ),
    recent AS (SELECT cluster, k0, k1, count(*) AS n FROM f WHERE ts >= ${recentLo} AND cluster IS NOT NULL GROUP BY cluster, k0, k1),
    seen AS (SELECT DISTINCT k0, k1 FROM f WHERE ts < ${recentLo})
    SELECT r.cluster, r.k0, r.k1, r.n FROM recent r ANTI JOIN seen s ON r.k0 = s.k0 AND r.k1 = s.k1`;
  const metric = src.metrics[0]!;
  return (await conn.runAndReadAll(sql)).getRows().map((r) => {
    const n = num(r[3]);
    return finding(rule, at, String(r[0]), String(r[1]), String(r[2]), n, [`${metric}_count=${n}`]);
  });
}

/** The order the CLI prints: detection time, rule id, host, then the two key fields (code units). */
export function compareFamilyFindings(a: FamilyFinding, b: FamilyFinding): number {
  const keys = (f: FamilyFinding) => Object.keys(f).slice(2, 4).map((k) => String(f[k]));
  const [a0, a1] = keys(a);
  const [b0, b1] = keys(b);
  return (
    codeUnitCompare(String(a.detection_time), String(b.detection_time)) ||
    codeUnitCompare(a.rule_id, b.rule_id) ||
    codeUnitCompare(a.host, b.host) ||
    codeUnitCompare(a0!, b0!) ||
    codeUnitCompare(a1!, b1!)
  );
}

/** Findings of one rule at T, sorted as the CLI prints them. */
export async function familyDetect(conn: DuckDBConnection, data: string, rule: FamilyRule, at: number): Promise<FamilyFinding[]> {
  if (!Number.isSafeInteger(at)) throw new Error(`family reference: T must be an integer, got ${at}`);
  const src = await readSource(conn, data, rule);
  if (!src) return [];
  const out = rule.kind === 'zscore' ? await zscore(conn, src, rule, at) : await newEntity(conn, src, rule, at);
  return out.sort(compareFamilyFindings);
}

/** Findings of several rules at T, merged in the CLI's order. */
export async function familyDetectAll(conn: DuckDBConnection, data: string, rules: readonly FamilyRule[], at: number): Promise<FamilyFinding[]> {
  const all: FamilyFinding[] = [];
  for (const r of rules) all.push(...(await familyDetect(conn, data, r, at)));
  return all.sort(compareFamilyFindings);
}
