import type { GeneratorConfig } from '../export/generatorTypes.js';
import { exportData, prepareOutDir } from '../pipeline/exportData.js';
import { createPool, defaultWorkers } from '../pool/createPool.js';
import { UsageError, isoOf, parseCount, parseTime } from './parseOptions.js';
import { Progress, log } from './progress.js';
import { workersOf } from './ruleOptions.js';

export interface ExportArgs {
  out: string;
  days: string;
  end?: string;
  seed: string;
  clusters: string;
  workloads: string;
  workers: string;
  force: boolean;
  quiet: boolean;
}

const DAY = 86_400_000;

export function exportConfigOf(a: ExportArgs): GeneratorConfig {
  const endMs = a.end === undefined ? Math.floor(Date.now() / DAY) * DAY : parseTime('end', a.end);
  if (endMs % DAY !== 0) throw new UsageError(`--end: must be a midnight UTC such as 2026-01-31T00:00:00Z, got "${a.end}"`);
  return {
    seed: parseCount('seed', a.seed, 0, 2 ** 32 - 1),
    days: parseCount('days', a.days, 1, 3660),
    clusters: parseCount('clusters', a.clusters, 1, 50),
    workloads: parseCount('workloads', a.workloads, 3, 2000), // the generator needs 3 (see generator.ts)
    endMs,
  };
}

export async function exportCommand(a: ExportArgs): Promise<void> {
  const cfg = exportConfigOf(a);
  const workers = a.workers === undefined ? defaultWorkers() : workersOf(a.workers);
  await prepareOutDir(a.out, a.force);
  const started = performance.now();
  const pool = createPool('export', workers);
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const s = await exportData(pool, cfg, a.out, (d, t, rows) => progress.update('export', d, t, `days, ${(rows / 1e6).toFixed(1)} M rows`));
    progress.done();
    const secs = (performance.now() - started) / 1000;
    log(a.quiet, `export: wrote ${s.rows} rows (${s.series} series, ${cfg.days} days to ${isoOf(cfg.endMs)}) in ${s.files} files, ` +
      `${(s.bytes / 1048576).toFixed(1)} MiB, to ${a.out} in ${secs.toFixed(1)} s (${Math.round(s.rows / secs)} rows/s, ${workers} workers)`);
  } finally {
    progress.done();
    await pool.destroy();
  }
}
