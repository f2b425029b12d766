/**
 * The anchor of every "ours/DuckDB" ratio: the rule as a data engineer would write it in DuckDB.
 * avg per metric over the recent 10 s buckets, avg and stddev_samp per metric over the baseline,
 * one join, the threshold `value > avg + 3 * stdev` and `count > 5` in SQL. Plain float sums, so
 * its numbers may differ from ours in the last digits; the harness compares them within 1e-9.
 *
 * Only the formatting of the messages (JavaScript's String(number)) is left to JS.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { finding, isMetricName, message, parquetGlob, type Finding, type RuleSettings } from './ruleFindings.js';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const id = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface PlainQuery {
  sql: string;
  metrics: string[];
}

function timeLiteral(tsType: string, ms: number): string {
  const iso = new Date(ms).toISOString();
  if (tsType.startsWith('TIMESTAMP WITH TIME ZONE')) return `TIMESTAMPTZ ${lit(iso)}`;
  return `TIMESTAMP ${lit(iso.replace('Z', ''))}`;
}

/** The query for the files under `data` at T; `schema` is DESCRIBE's (name, type) of those files. */
export function plainRuleSql(data: string, schema: readonly (readonly [string, string])[], s: RuleSettings): PlainQuery {
  const metrics = schema.filter(([n, t]) => isMetricName(n) && /^(DOUBLE|FLOAT|BIGINT|INTEGER)$/.test(t)).map(([n]) => n)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tsType = schema.find(([n]) => n === 'timestamp')?.[1] ?? '';
  if (!tsType.startsWith('TIMESTAMP')) throw new Error(`duckdb: the timestamp column of ${data} is ${tsType || 'missing'}, not a TIMESTAMP`);
  if (metrics.length === 0) throw new Error(`duckdb: ${data} has no tcp.* or udp.* columns`);
  const files = `read_parquet(${lit(parquetGlob(data))})`;
  const t = (ms: number) => timeLiteral(tsType, ms);
  const recentStart = s.atMs - s.windowMs;
  const sql = `WITH recent AS (
  SELECT "k8s.cluster.name" AS cluster, "source.workload.name" AS workload, "source.process.name" AS process,
    floor(epoch_ms("timestamp") / ${s.spanMs}) * ${s.spanMs} AS bucket,
    ${metrics.map((m) => `avg(${id(m)}) AS ${id(m)}`).join(',\n    ')}
  FROM ${files}
  WHERE "timestamp" >= ${t(recentStart)} AND "timestamp" < ${t(s.atMs)}
    AND "k8s.cluster.name" IS NOT NULL AND "source.workload.name" IS NOT NULL AND "source.process.name" IS NOT NULL
  GROUP BY cluster, workload, process, bucket
),
baseline AS (
  SELECT "source.workload.name" AS workload, "source.process.name" AS process,
    ${metrics.map((m) => `avg(${id(m)}) AS ${id(`avg_${m}`)}, stddev_samp(${id(m)}) AS ${id(`stdev_${m}`)}`).join(',\n    ')}
  FROM ${files}
  WHERE "timestamp" >= ${t(s.atMs - s.baselineMs)} AND "timestamp" < ${t(recentStart)}
  GROUP BY workload, process
),
joined AS (
  SELECT * FROM recent JOIN baseline USING (workload, process)
),
pairs AS (
  UNPIVOT joined
  ON ${metrics.map((m) => `(${id(m)}, ${id(`avg_${m}`)}, ${id(`stdev_${m}`)}) AS ${lit(m)}`).join(',\n     ')}
  INTO NAME metric VALUE value, avg, stdev
)
SELECT cluster, workload, process, metric, value, avg, stdev,
  count(*) OVER (PARTITION BY cluster, workload, process) AS count
FROM pairs
WHERE value > avg + ${s.sigma} * stdev
QUALIFY count > ${s.minCount}`;
  return { sql, metrics };
}

async function withDuckdb<T>(threads: number, f: (conn: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  try {
    return await f(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function describe(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, data: string): Promise<[string, string][]> {
  const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(parquetGlob(data))})`)).getRows();
  return rows.map((r) => [String(r[0]), String(r[1])]);
}

/** The SQL the plain engine runs on `data` at T, for the report. */
export function plainRuleSqlFor(data: string, s: RuleSettings): Promise<PlainQuery> {
  return withDuckdb(1, async (conn) => plainRuleSql(data, await describe(conn, data), s));
}

export function duckdbPlainDetect(data: string, s: RuleSettings, threads: number): Promise<{ findings: Finding[]; metrics: string[]; sql: string }> {
  return withDuckdb(threads, async (conn) => {
    const q = plainRuleSql(data, await describe(conn, data), s);
    const groups = new Map<string, { c: string; w: string; p: string; count: number; messages: Set<string> }>();
    for (const r of (await conn.runAndReadAll(q.sql)).getRows()) {
      const [c, w, p] = [String(r[0]), String(r[1]), String(r[2])];
      const key = `${c}\0${w}\0${p}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { c, w, p, count: Number(r[7]), messages: new Set() }));
      g.messages.add(message(String(r[3]), Number(r[4]), Number(r[5]), Number(r[6])));
    }
    const findings = [...groups.values()].map((g) => finding(g.c, g.w, g.p, g.count, [...g.messages], s.atMs));
    return { findings: sortFindings(findings), metrics: q.metrics, sql: q.sql };
  });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortFindings(f: Finding[]): Finding[] {
  return f.sort((a, b) => cmp(a.host, b.host) || cmp(a['source.workload.name'], b['source.workload.name']) ||
    cmp(a['source.process.name'], b['source.process.name']));
}
