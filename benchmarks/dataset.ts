/**
 * The benchmark datasets, generated once and cached (data/ is git-ignored):
 *
 *   <root>/exporter/   written by `egress-anomaly export` (one file per day, sorted, layout metadata)
 *   <root>/duckdb/     the same rows written by DuckDB its own way: shuffled, PER_THREAD_OUTPUT,
 *                      default COPY settings (TIMESTAMP WITH TIME ZONE in microseconds, plain strings)
 *   <root>/dataset.json  how they were made, and the export timings (the "exporter row")
 *
 * The cache is keyed on the dataset settings and a fingerprint of the compiled exporter, so a
 * change to the exporter's layout makes both layouts again.
 *
 * root is data/bench (>= 25 M rows) or, with --quick, data/bench-quick (>= 2 M rows).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface DatasetSpec {
  root: string;
  days: number;
  seed: number;
  clusters: number;
  /** starting point; raised until the export holds minRows */
  workloads: number;
  end: string;
  minRows: number;
  /** threads DuckDB uses to write its layout (PER_THREAD_OUTPUT: one file per thread) */
  duckdbLayoutThreads: number;
}

export interface WriteTiming {
  seconds: number;
  bytes: number;
  files: number;
  threads: number;
  rowsPerSecond: number;
}

export interface Dataset {
  spec: DatasetSpec;
  /** hash of the compiled exporter: a cached dataset from another exporter version is made again */
  exporterFingerprint: string;
  exporterDir: string;
  duckdbDir: string;
  rows: number;
  series: number;
  workloads: number;
  /** command that made the exporter layout */
  exportCommand: string;
  /** SQL that made the DuckDB layout (t: the exporter's rows loaded into DuckDB) */
  duckdbLayoutSql: string;
  createdAt: string;
  /** `egress-anomaly export`: generate + encode + write, on the export pool */
  ourExport: WriteTiming;
  /** DuckDB COPY of the same rows, already in a DuckDB table in memory, to Parquet with default settings */
  duckdbExport: WriteTiming & { sql: string };
  /** DuckDB writing its layout (read our files, shuffle, write), for the record */
  duckdbLayoutWrite: WriteTiming;
}

export const FULL: Omit<DatasetSpec, 'root'> = {
  days: 30, seed: 11, clusters: 4, workloads: 34, end: '2026-01-31T00:00:00Z', minRows: 25_000_000, duckdbLayoutThreads: 4,
};
export const QUICK: Omit<DatasetSpec, 'root'> = {
  days: 3, seed: 11, clusters: 4, workloads: 34, end: '2026-01-31T00:00:00Z', minRows: 2_000_000, duckdbLayoutThreads: 2,
};

const MANIFEST = 'dataset.json';

/**
 * What decides the exporter's output: its compiled code (dist/src/export, the layout metadata, the
 * export worker and pipeline, the rule's column names) and the parquet-wasm version.
 */
export function exporterFingerprint(cli: string): string {
  const dist = join(dirname(cli), '..', '..');
  const files = [
    ...readdirSync(join(dist, 'src', 'export')).filter((f) => f.endsWith('.js')).sort().map((f) => join(dist, 'src', 'export', f)),
    join(dist, 'src', 'plan', 'fileLayout.js'), join(dist, 'src', 'pipeline', 'exportData.js'), join(dist, 'src', 'rule', 'rule.js'),
    join(dist, 'workers', 'export.js'), join(dist, '..', 'node_modules', 'parquet-wasm', 'package.json'),
  ];
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f.slice(dist.length));
    h.update(existsSync(f) ? readFileSync(f) : 'missing');
  }
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[], log: (s: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); log(d.toString().trimEnd()); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`))));
  });
}

function sameSpec(a: DatasetSpec, b: DatasetSpec): boolean {
  const keys: (keyof DatasetSpec)[] = ['days', 'seed', 'clusters', 'end', 'minRows', 'duckdbLayoutThreads'];
  return keys.every((k) => a[k] === b[k]);
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

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

interface ExportRun { rows: number; series: number; files: number; seconds: number; bytes: number; args: string[] }

function exportArgs(spec: DatasetSpec, out: string, workloads: number, workers: number): string[] {
  return ['export', '--out', out, '--days', String(spec.days), '--seed', String(spec.seed), '--clusters', String(spec.clusters),
    '--workloads', String(workloads), '--end', spec.end, '--workers', String(workers), '--force'];
}

/** Runs `egress-anomaly export` and reads its summary line. */
async function runExport(cli: string, args: string[], log: (s: string) => void): Promise<ExportRun> {
  log(`dataset: node ${cli} ${args.join(' ')}`);
  const out = await run(process.execPath, [cli, ...args], () => {});
  // export: wrote N rows (S series, ...) in F files, X MiB, to DIR in T s (R rows/s, W workers)
  const m = /wrote (\d+) rows \((\d+) series.*? in (\d+) files, ([\d.]+) MiB, to .* in ([\d.]+) s/.exec(out);
  if (!m) throw new Error(`dataset: no summary line in the export's output:\n${out}`);
  log(`dataset: ${m[0]}`);
  const outDir = args[args.indexOf('--out') + 1];
  return { rows: Number(m[1]), series: Number(m[2]), files: Number(m[3]), seconds: Number(m[5]), bytes: parquetBytes(outDir).bytes, args };
}

function timingOf(e: ExportRun, threads: number): WriteTiming {
  return { seconds: e.seconds, bytes: e.bytes, files: e.files, threads, rowsPerSecond: e.rows / e.seconds };
}

type Conn = Awaited<ReturnType<DuckDBInstance['connect']>>;

const loadSqlFor = (exporterDir: string) =>
  `CREATE TABLE t AS SELECT * FROM read_parquet(${lit(`${exporterDir}/**/*.parquet`)}, hive_partitioning = false)`;

/** DuckDB writing rows it already holds (table t) to one Parquet file with default settings. */
async function timeDuckdbCopy(conn: Conn, scratch: string, threads: number, rows: number, log: (s: string) => void): Promise<Dataset['duckdbExport']> {
  const sql = `COPY t TO ${lit(scratch)} (FORMAT parquet)`;
  log(`dataset: timing ${sql} (${threads} threads)`);
  try {
    await conn.run(`SET threads = ${threads}`);
    const t0 = performance.now();
    await conn.run(sql);
    const secs = (performance.now() - t0) / 1000;
    const c = parquetBytes(scratch);
    return { seconds: secs, bytes: c.bytes, files: c.files, threads, rowsPerSecond: rows / secs, sql };
  } finally {
    rmSync(scratch, { force: true });
  }
}

/** Returns the cached dataset, or makes it (minutes for the full one); `fresh` when made now. */
export async function ensureDataset(spec: DatasetSpec, cli: string, log: (s: string) => void): Promise<{ dataset: Dataset; fresh: boolean }> {
  const manifestPath = join(spec.root, MANIFEST);
  const exporterDir = join(spec.root, 'exporter');
  const duckdbDir = join(spec.root, 'duckdb');
  const fingerprint = exporterFingerprint(cli);
  if (existsSync(manifestPath)) {
    const d = JSON.parse(readFileSync(manifestPath, 'utf8')) as Dataset;
    const same = sameSpec(d.spec, spec) && existsSync(exporterDir) && existsSync(duckdbDir);
    if (same && d.exporterFingerprint === fingerprint) return { dataset: d, fresh: false };
    log(`dataset: ${manifestPath} was made ${same ? 'by another version of the exporter' : 'with other settings'}; making it again`);
  }
  rmSync(manifestPath, { force: true });
  rmSync(exporterDir, { recursive: true, force: true });
  rmSync(duckdbDir, { recursive: true, force: true });

  // 1. Our exporter, raising --workloads until there are enough rows.
  const cores = availableParallelism();
  let workloads = spec.workloads;
  let e: ExportRun | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    e = await runExport(cli, exportArgs(spec, exporterDir, workloads, cores), log);
    if (e.rows >= spec.minRows) break;
    workloads = Math.ceil(workloads * (spec.minRows / e.rows) * 1.03);
    log(`dataset: ${e.rows} rows < ${spec.minRows}; again with --workloads ${workloads}`);
    e = undefined;
  }
  if (!e) throw new Error(`dataset: could not reach ${spec.minRows} rows`);
  const rows = e.rows;

  // 2. DuckDB: the same rows into a table (untimed), the plain COPY (timed), then its layout.
  const instance = await DuckDBInstance.create(':memory:', { threads: String(cores) });
  const conn = await instance.connect();
  const layoutSql =
    `COPY (SELECT * FROM t ORDER BY hash("timestamp", "k8s.cluster.name", "source.workload.name", "source.process.name", "dest.workload.name")) ` +
    `TO ${lit(duckdbDir)} (FORMAT parquet, PER_THREAD_OUTPUT true)`;
  const loadSql = loadSqlFor(exporterDir);
  let duckdbExport: Dataset['duckdbExport'];
  let duckdbLayoutWrite: WriteTiming;
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    log('dataset: loading the rows into DuckDB (untimed)');
    await conn.run(loadSql);
    duckdbExport = await timeDuckdbCopy(conn, join(spec.root, 'duckdb-export-test.parquet'), cores, rows, log);
    await conn.run(`SET threads = ${spec.duckdbLayoutThreads}`);
    log(`dataset: ${layoutSql} (${spec.duckdbLayoutThreads} threads)`);
    const t0 = performance.now();
    await conn.run(layoutSql);
    const secs = (performance.now() - t0) / 1000;
    const l = parquetBytes(duckdbDir);
    duckdbLayoutWrite = { seconds: secs, bytes: l.bytes, files: l.files, threads: spec.duckdbLayoutThreads, rowsPerSecond: rows / secs };
    const check = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${lit(`${duckdbDir}/**/*.parquet`)})`)).getRows()[0][0]);
    if (check !== rows) throw new Error(`dataset: DuckDB wrote ${check} rows, expected ${rows}`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }

  const d: Dataset = {
    spec, exporterFingerprint: fingerprint, exporterDir, duckdbDir, rows, series: e.series, workloads,
    exportCommand: `egress-anomaly ${e.args.filter((a) => a !== '--force').join(' ')}`,
    duckdbLayoutSql: `${loadSql}; SET threads = ${spec.duckdbLayoutThreads}; ${layoutSql}`,
    createdAt: new Date().toISOString(), ourExport: timingOf(e, cores), duckdbExport, duckdbLayoutWrite,
  };
  writeFileSync(manifestPath, JSON.stringify(d, null, 2) + '\n');
  return { dataset: d, fresh: true };
}

/**
 * The exporter row again, on a cached dataset: our export of the same rows into a scratch folder,
 * and DuckDB's COPY of them (loaded untimed from the exporter layout). Both on all cores.
 */
export async function measureExports(d: Dataset, cli: string, log: (s: string) => void): Promise<Pick<Dataset, 'ourExport' | 'duckdbExport'>> {
  const cores = availableParallelism();
  const scratch = join(d.spec.root, 'export-scratch');
  let ours: ExportRun;
  try {
    ours = await runExport(cli, exportArgs(d.spec, scratch, d.workloads, cores), log);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (ours.rows !== d.rows) throw new Error(`dataset: the export made ${ours.rows} rows this time, ${d.rows} before (same settings)`);
  const instance = await DuckDBInstance.create(':memory:', { threads: String(cores) });
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    log('dataset: loading the rows into DuckDB (untimed)');
    await conn.run(loadSqlFor(d.exporterDir));
    return { ourExport: timingOf(ours, cores), duckdbExport: await timeDuckdbCopy(conn, join(d.spec.root, 'duckdb-export-test.parquet'), cores, d.rows, log) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
