/**
 * Small Parquet inputs for tests, written by DuckDB (an independent writer): the SQL is the body of
 * `COPY (<sql>) TO '<path>' (FORMAT parquet)`. Column names with dots must be double-quoted.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let instance: DuckDBInstance | undefined;
let connection: DuckDBConnection | undefined;

async function conn(): Promise<DuckDBConnection> {
  if (!connection) {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  }
  return connection;
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Runs `COPY (sql) TO path (FORMAT parquet[, options])`, creating the parent folder. */
export async function writeParquetWithDuckDB(path: string, sql: string, options = ''): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const c = await conn();
  await c.run(`COPY (${sql}) TO ${sqlString(path)} (FORMAT parquet${options ? `, ${options}` : ''})`);
}

/** Releases the module-wide DuckDB instance (call from afterAll). */
export function closeDuckDB(): void {
  connection?.closeSync();
  instance?.closeSync();
  connection = undefined;
  instance = undefined;
}

/**
 * A SELECT of valid rows: `series` series (cluster c0, workload w<i>, process p<i>) with one row
 * every 10 s from `startIso` for `rows` rows each, tcp.bytes rising slowly. `metricSql` overrides
 * the metric expressions (use `i` for the row number and `s` for the series number).
 */
export function validRowsSql(opts: {
  startIso: string;
  rows: number;
  series?: number;
  metrics?: Partial<Record<'tcp.bytes' | 'tcp.new_sockets' | 'tcp.packets' | 'udp.bytes' | 'udp.packets', string>>;
  omit?: string[];
}): string {
  const m = {
    'tcp.bytes': '(100 + (i % 7))::DOUBLE',
    'tcp.new_sockets': '(i % 3)::DOUBLE',
    'tcp.packets': '(10 + (i % 5))::DOUBLE',
    'udp.bytes': '(50 + (i % 11))::DOUBLE',
    'udp.packets': '(5 + (i % 2))::DOUBLE',
    ...opts.metrics,
  };
  const cols: [string, string][] = [
    ['timestamp', `TIMESTAMP ${sqlString(opts.startIso.replace('T', ' ').replace('Z', ''))} + to_seconds(i * 10)`],
    ['k8s.cluster.name', `'c0'`],
    ['source.workload.name', `'w' || s`],
    ['source.process.name', `'p' || s`],
    ...Object.entries(m),
  ];
  const select = cols.filter(([n]) => !(opts.omit ?? []).includes(n)).map(([n, e]) => `${e} AS "${n}"`).join(', ');
  return `SELECT ${select} FROM range(${opts.rows}) r(i), range(${opts.series ?? 1}) q(s) ORDER BY s, i`;
}
