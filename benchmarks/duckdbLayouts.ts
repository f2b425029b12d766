/**
 * The same rows written by DuckDB, two ways, from the exporter's files loaded into a table t:
 *
 * - duckdb:     COPY's defaults (Snappy, DuckDB's row groups), rows shuffled by a hash of every
 *               key and the timestamp, PER_THREAD_OUTPUT (one file per thread).
 * - duckdb-day: what a data engineer's own pipeline would write: zstd, ROW_GROUP_SIZE 100000,
 *               hive `day=YYYY-MM-DD/` folders, rows ordered by hour, then by a hash of the
 *               workload, then shuffled within (not sorted by time inside an hour).
 *
 * Both keep every column of the exporter's rows: timestamp, the 4 string columns (cluster, source
 * workload, source process, dest.workload.name) and the metrics.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export type DuckdbLayout = 'duckdb' | 'duckdb-day';

export interface WriteTiming {
  seconds: number;
  bytes: number;
  files: number;
  threads: number;
  rowsPerSecond: number;
}

export type Conn = Awaited<ReturnType<DuckDBInstance['connect']>>;

export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Total size and count of the *.parquet files under a folder (or one file). */
export function parquetBytes(path: string): { bytes: number; files: number } {
  if (!existsSync(path)) return { bytes: 0, files: 0 };
  if (statSync(path).isFile()) return { bytes: statSync(path).size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.parquet')) continue;
    bytes += statSync(join(e.parentPath, e.name)).size;
    files++;
  }
  return { bytes, files };
}

export const loadSqlFor = (exporterDir: string) =>
  `CREATE TABLE t AS SELECT * FROM read_parquet(${lit(`${exporterDir}/**/*.parquet`)}, hive_partitioning = false)`;

export function duckdbLayoutSql(layout: DuckdbLayout, dir: string): string {
  if (layout === 'duckdb') {
    return `COPY (SELECT * FROM t ORDER BY hash("timestamp", "k8s.cluster.name", "source.workload.name", "source.process.name", "dest.workload.name")) ` +
      `TO ${lit(dir)} (FORMAT parquet, PER_THREAD_OUTPUT true)`;
  }
  return `COPY (SELECT *, strftime("timestamp", '%Y-%m-%d') AS day FROM t ` +
    `ORDER BY date_trunc('hour', "timestamp"), hash("source.workload.name"), ` +
    `hash("timestamp", "k8s.cluster.name", "source.process.name", "dest.workload.name")) ` +
    `TO ${lit(dir)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, PARTITION_BY (day))`;
}

/** Opens DuckDB on `threads` threads with the exporter's rows in table t (loading is not timed). */
export async function withLoadedRows<T>(exporterDir: string, threads: number, log: (s: string) => void, f: (conn: Conn) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    log('dataset: loading the rows into DuckDB (untimed)');
    await conn.run(loadSqlFor(exporterDir));
    return await f(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Writes one layout from table t, timed, and checks that every row arrived. */
export async function writeDuckdbLayout(conn: Conn, layout: DuckdbLayout, dir: string, threads: number, rows: number, log: (s: string) => void): Promise<WriteTiming & { sql: string }> {
  const sql = duckdbLayoutSql(layout, dir);
  await conn.run(`SET threads = ${threads}`);
  log(`dataset: ${sql} (${threads} threads)`);
  const t0 = performance.now();
  await conn.run(sql);
  const seconds = (performance.now() - t0) / 1000;
  const l = parquetBytes(dir);
  const check = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${lit(`${dir}/**/*.parquet`)})`)).getRows()[0][0]);
  if (check !== rows) throw new Error(`dataset: DuckDB wrote ${check} rows to ${dir}, expected ${rows}`);
  return { seconds, bytes: l.bytes, files: l.files, threads, rowsPerSecond: rows / seconds, sql: `SET threads = ${threads}; ${sql}` };
}
