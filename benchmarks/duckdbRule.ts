/**
 * The "DuckDB exact variant": the rule in DuckDB made to reproduce our means exactly (favg, a
 * compensated mean; min and max per metric in both windows to clamp a mean of equal values back
 * onto them; NaN, infinite and negative values made null by a CASE per value). About three
 * times the aggregates of the plain query (duckdbPlainRule.ts), so it is reported as an extra row
 * for the record: it is never the anchor of a ratio.
 *
 * Same semantics as test/reference/duckdbRule.ts, written wide (one column per metric).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { findingsOf, isMetricName, parquetGlob, type CandidateRow, type Finding, type RuleSettings } from './ruleFindings.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const id = (s: string) => `"${s.replace(/"/g, '""')}"`;

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/** A SQL literal comparable with the timestamp column as it is stored (so filters can be pushed down). */
function timeLiteral(type: string, ms: number): string {
  if (type.startsWith('TIMESTAMP WITH TIME ZONE')) return `TIMESTAMPTZ ${lit(new Date(ms).toISOString())}`;
  if (type.startsWith('TIMESTAMP')) return `CAST(${lit(new Date(ms).toISOString().replace('Z', ''))} AS ${type})`;
  return String(ms); // int64 epoch milliseconds
}

export async function duckdbDetect(data: string, s: RuleSettings, threads: number): Promise<{ findings: Finding[]; metrics: string[] }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const source = `read_parquet(${lit(parquetGlob(data))}, hive_partitioning = false, union_by_name = true)`;
    const schema = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRows()
      .map((r) => [String(r[0]), String(r[1])] as const);
    const metrics = schema.filter(([n, t]) => isMetricName(n) && NUMERIC.test(t)).map(([n]) => n)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const tsType = schema.find(([n]) => n === 'timestamp')?.[1];
    if (!tsType) throw new Error(`duckdb: ${data} has no timestamp column`);
    const ts = /^TIMESTAMP/.test(tsType) ? `epoch_ms("timestamp")` : `CAST("timestamp" AS BIGINT)`;
    const lo = s.atMs - s.baselineMs;
    const recentLo = s.atMs - s.windowMs;
    const m = metrics.map((name, j) => {
      const v = `CAST(${id(name)} AS DOUBLE)`;
      return `CASE WHEN isfinite(${v}) AND ${v} >= 0 THEN ${v} END AS m${j}`;
    });
    const j = metrics.map((_, k) => k);
    const clamp = (mean: string, mn: string, mx: string) => `CASE WHEN ${mn} = ${mx} THEN ${mn} ELSE least(${mx}, greatest(${mn}, ${mean})) END`;
    const sql = `
      WITH src AS (
        SELECT ${ts} AS ts, "k8s.cluster.name" AS c, "source.workload.name" AS w, "source.process.name" AS p, ${m.join(', ')}
        FROM ${source}
        WHERE "timestamp" >= ${timeLiteral(tsType, lo)} AND "timestamp" < ${timeLiteral(tsType, s.atMs)}
          AND "k8s.cluster.name" IS NOT NULL AND "source.workload.name" IS NOT NULL AND "source.process.name" IS NOT NULL
      ),
      recent AS (
        SELECT c, w, p, ts // ${s.spanMs} AS bucket,
          ${j.map((k) => `favg(m${k}) AS v${k}, min(m${k}) AS vn${k}, max(m${k}) AS vx${k}`).join(',\n          ')}
        FROM src WHERE ts >= ${recentLo} GROUP BY c, w, p, bucket
      ),
      base AS (
        SELECT w, p,
          ${j.map((k) => `favg(m${k}) AS a${k}, min(m${k}) AS an${k}, max(m${k}) AS ax${k}, stddev_samp(m${k}) AS s${k}`).join(',\n          ')}
        FROM src WHERE ts < ${recentLo} GROUP BY w, p
      )
      SELECT r.c, r.w, r.p,
        ${j.map((k) => `r.v${k}, r.vn${k}, r.vx${k}, b.a${k}, b.an${k}, b.ax${k}, b.s${k}`).join(',\n        ')}
      FROM recent r JOIN base b ON r.w = b.w AND r.p = b.p
      WHERE ${j.map((k) => `(${clamp(`r.v${k}`, `r.vn${k}`, `r.vx${k}`)} > ${clamp(`b.a${k}`, `b.an${k}`, `b.ax${k}`)} + ${s.sigma} * b.s${k})`).join(' OR ') || 'false'}
    `;
    const rows = (await conn.runAndReadAll(sql)).getRows();
    const candidates: CandidateRow[] = rows.map((r) => ({
      cluster: String(r[0]), workload: String(r[1]), process: String(r[2]),
      metrics: j.map((k) => {
        const o = 3 + 7 * k;
        return { value: num(r[o]), vmin: num(r[o + 1]), vmax: num(r[o + 2]), avg: num(r[o + 3]), amin: num(r[o + 4]), amax: num(r[o + 5]), stdev: num(r[o + 6]) };
      }),
    }));
    return { findings: findingsOf(candidates, metrics, s), metrics };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
