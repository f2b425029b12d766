/**
 * The benchmark datasets, generated once and cached (data/ is git-ignored):
 *
 *   <root>/exporter/   written by `egress-anomaly export` (one file per day, sorted, layout metadata)
 *   <root>/duckdb/     the same rows written by DuckDB with COPY's defaults, shuffled
 *   <root>/duckdb-day/ the same rows written by DuckDB: zstd, 100 k-row groups, day= folders,
 *                      shuffled by hour and workload (both: benchmarks/duckdbLayouts.ts)
 *   <root>/dataset.json  how they were made, and the export timings (the "exporter row")
 *
 * The cache is keyed on the dataset settings and a fingerprint of the compiled exporter, so a
 * change to the exporter's layout makes every layout again; a DuckDB layout missing from a cached
 * dataset is written on its own.
 *
 * root is data/bench (>= 25 M rows) or, with --quick, data/bench-quick (>= 2 M rows).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { lit, loadSqlFor, parquetBytes, withLoadedRows, writeDuckdbLayout, type Conn, type DuckdbLayout, type WriteTiming } from './duckdbLayouts.js';

export { parquetBytes, type WriteTiming } from './duckdbLayouts.js';

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

export interface Dataset {
  spec: DatasetSpec;
  /** hash of the compiled exporter: a cached dataset from another exporter version is made again */
  exporterFingerprint: string;
  exporterDir: string;
  duckdbDir: string;
  duckdbDayDir: string;
  rows: number;
  series: number;
  workloads: number;
  /** command that made the exporter layout */
  exportCommand: string;
  /** SQL that made each DuckDB layout (t: the exporter's rows loaded into DuckDB) */
  duckdbLayoutSql: string;
  duckdbDayLayoutSql: string;
  createdAt: string;
  /** `egress-anomaly export`: generate + encode + write, on the export pool */
  ourExport: WriteTiming;
  /** DuckDB COPY of the same rows, already in a DuckDB table in memory, to Parquet with default settings */
  duckdbExport: WriteTiming & { sql: string };
  /** DuckDB writing its layouts (shuffle, write rows it holds), for the record */
  duckdbLayoutWrite: WriteTiming;
  duckdbDayLayoutWrite: WriteTiming;
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

const LAYOUT_DIRS: Record<DuckdbLayout, string> = { duckdb: 'duckdb', 'duckdb-day': 'duckdb-day' };

/** Returns the cached dataset, or makes it (minutes for the full one); `fresh` when made now. */
export async function ensureDataset(spec: DatasetSpec, cli: string, log: (s: string) => void): Promise<{ dataset: Dataset; fresh: boolean }> {
  const manifestPath = join(spec.root, MANIFEST);
  const exporterDir = join(spec.root, 'exporter');
  const dirOf = (l: DuckdbLayout) => join(spec.root, LAYOUT_DIRS[l]);
  const fingerprint = exporterFingerprint(cli);
  const cores = availableParallelism();
  if (existsSync(manifestPath)) {
    const d = JSON.parse(readFileSync(manifestPath, 'utf8')) as Dataset;
    const same = sameSpec(d.spec, spec) && existsSync(exporterDir) && existsSync(dirOf('duckdb'));
    if (same && d.exporterFingerprint === fingerprint) {
      if (d.duckdbDayDir && existsSync(d.duckdbDayDir)) return { dataset: d, fresh: false };
      log(`dataset: the cached dataset has no duckdb-day layout; writing it`);
      rmSync(dirOf('duckdb-day'), { recursive: true, force: true });
      const w = await withLoadedRows(exporterDir, cores, log, (conn) => writeDuckdbLayout(conn, 'duckdb-day', dirOf('duckdb-day'), spec.duckdbLayoutThreads, d.rows, log));
      Object.assign(d, { duckdbDayDir: dirOf('duckdb-day'), duckdbDayLayoutSql: `${loadSqlFor(exporterDir)}; ${w.sql}`, duckdbDayLayoutWrite: timing(w) });
      writeFileSync(manifestPath, JSON.stringify(d, null, 2) + '\n');
      return { dataset: d, fresh: false };
    }
    log(`dataset: ${manifestPath} was made ${same ? 'by another version of the exporter' : 'with other settings'}; making it again`);
  }
  rmSync(manifestPath, { force: true });
  for (const dir of [exporterDir, dirOf('duckdb'), dirOf('duckdb-day')]) rmSync(dir, { recursive: true, force: true });

  // 1. Our exporter, raising --workloads until there are enough rows.
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

  // 2. DuckDB: the same rows into a table (untimed), the plain COPY (timed), then its layouts.
  const { duckdbExport, plain, day } = await withLoadedRows(exporterDir, cores, log, async (conn) => ({
    duckdbExport: await timeDuckdbCopy(conn, join(spec.root, 'duckdb-export-test.parquet'), cores, rows, log),
    plain: await writeDuckdbLayout(conn, 'duckdb', dirOf('duckdb'), spec.duckdbLayoutThreads, rows, log),
    day: await writeDuckdbLayout(conn, 'duckdb-day', dirOf('duckdb-day'), spec.duckdbLayoutThreads, rows, log),
  }));

  const loadSql = loadSqlFor(exporterDir);
  const d: Dataset = {
    spec, exporterFingerprint: fingerprint, exporterDir, duckdbDir: dirOf('duckdb'), duckdbDayDir: dirOf('duckdb-day'), rows, series: e.series, workloads,
    exportCommand: `egress-anomaly ${e.args.filter((a) => a !== '--force').join(' ')}`,
    duckdbLayoutSql: `${loadSql}; ${plain.sql}`, duckdbDayLayoutSql: `${loadSql}; ${day.sql}`,
    createdAt: new Date().toISOString(), ourExport: timingOf(e, cores), duckdbExport, duckdbLayoutWrite: timing(plain), duckdbDayLayoutWrite: timing(day),
  };
  writeFileSync(manifestPath, JSON.stringify(d, null, 2) + '\n');
  return { dataset: d, fresh: true };
}

const timing = ({ seconds, bytes, files, threads, rowsPerSecond }: WriteTiming): WriteTiming => ({ seconds, bytes, files, threads, rowsPerSecond });

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
  const duckdbExport = await withLoadedRows(d.exporterDir, cores, log,
    (conn) => timeDuckdbCopy(conn, join(d.spec.root, 'duckdb-export-test.parquet'), cores, d.rows, log));
  return { ourExport: timingOf(ours, cores), duckdbExport };
}
