import type { GeneratorConfig } from '../source/generator/generatorTypes.js';
import { SOURCE_KINDS, type SourceKind } from '../source/sourceTypes.js';
import { exportData, prepareOutDir } from '../pipeline/exportData.js';
import { capWorkers, createPool, defaultWorkers } from '../pool/createPool.js';
import { UsageError, isoOf, parseCount, parseDuration, parseTime } from './parseOptions.js';
import { Progress, log } from './progress.js';
import { workersOf } from './ruleOptions.js';

export interface ExportArgs {
  out: string;
  days: string;
  end?: string;
  seed: string;
  clusters: string;
  workloads: string;
  interval?: string;
  busyHours?: string;
  weeklyBatches?: string;
  slowDrips?: string;
  workers: string;
  force: boolean;
  quiet: boolean;
  source?: string;
  in?: string[];
  aggregation?: string;
  strict?: boolean;
}

const DAY = 86_400_000;

function intervalOf(raw: string | undefined): number {
  const ms = raw === undefined ? 10_000 : parseDuration('interval', raw);
  if (ms % 10_000 !== 0 || DAY % ms !== 0) throw new UsageError(`--interval: must be a multiple of 10s that divides a day, such as 30s, got "${raw}"`);
  return ms;
}

export function exportConfigOf(a: ExportArgs): GeneratorConfig {
  const endMs = a.end === undefined ? Math.floor(Date.now() / DAY) * DAY : parseTime('end', a.end);
  if (endMs % DAY !== 0) throw new UsageError(`--end: must be a midnight UTC such as 2026-01-31T00:00:00Z, got "${a.end}"`);
  const busyHours = parseCount('busy-hours', a.busyHours ?? '0', 0, 100);
  const weeklyBatches = parseCount('weekly-batches', a.weeklyBatches ?? '0', 0, 100);
  const slowDrips = parseCount('slow-drips', a.slowDrips ?? '0', 0, 100);
  return {
    seed: parseCount('seed', a.seed, 0, 2 ** 32 - 1),
    days: parseCount('days', a.days, 1, 3660),
    clusters: parseCount('clusters', a.clusters, 1, 50),
    workloads: parseCount('workloads', a.workloads, 3, 10_000), // the generator needs 3 (see generatorTopology.ts)
    endMs,
    intervalMs: intervalOf(a.interval),
    // absent at 0, so the manifest's config (and every row) is what it was before the options
    ...(busyHours > 0 ? { busyHours } : {}),
    ...(weeklyBatches > 0 ? { weeklyBatches } : {}),
    ...(slowDrips > 0 ? { slowDrips } : {}),
  };
}

export async function exportCommand(a: ExportArgs): Promise<void> {
  const source = a.source ?? 'generator';
  if (source !== 'generator') {
    for (const [option, raw] of [['busy-hours', a.busyHours], ['weekly-batches', a.weeklyBatches], ['slow-drips', a.slowDrips]] as const) {
      if (raw !== undefined && Number(raw) !== 0) throw new UsageError(`--${option}: adds generated workloads; --source ${source} generates none`);
    }
    return exportSourceCommand(a, source);
  }
  if (a.in !== undefined && a.in.length > 0) throw new UsageError('--in: names input files for --source otlp or splunk-csv; the generator reads none');
  const cfg = exportConfigOf(a);
  const workers = a.workers === undefined ? defaultWorkers() : workersOf(a.workers);
  await prepareOutDir(a.out, a.force);
  const started = performance.now();
  const pool = createPool('export', capWorkers(workers, (m) => log(a.quiet, `export: note: ${m}`)), cfg.days);
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

/** `export --source otlp|splunk-csv --in PATH...`: archives to the canonical layout. */
export async function exportSourceCommand(a: ExportArgs, source: string): Promise<void> {
  if (!(SOURCE_KINDS as readonly string[]).includes(source)) {
    throw new UsageError(`--source: expected one of generator, ${SOURCE_KINDS.join(', ')}, got "${source}"`);
  }
  const inputs = (a.in ?? []).map(String).filter((p) => p.length > 0);
  if (inputs.length === 0) throw new UsageError(`--in: --source ${source} needs at least one input file or folder`);
  const aggregation = String(a.aggregation ?? 'az_az').trim();
  if (!/^[\w.-]+$/.test(aggregation)) throw new UsageError(`--aggregation: expected a value such as az_az or id_id, got "${aggregation}"`);
  const workers = a.workers === undefined ? defaultWorkers() : workersOf(a.workers);
  // loaded here: the generator's path need not load the Parquet writer in this thread
  const { exportRecords } = await import('../pipeline/exportRecords.js');
  const started = performance.now();
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const s = await exportRecords({
      kind: source as SourceKind, inputs, outDir: a.out, aggregation, strict: a.strict === true, workers, force: a.force,
      onProgress: (d, t, points) => progress.update('export', d, t, `files, ${(points / 1e6).toFixed(1)} M points`),
      note: (m) => { progress.done(); log(a.quiet, m); },
    });
    progress.done();
    const secs = (performance.now() - started) / 1000;
    const skipped = s.skippedInputs > 0 ? ` (${s.skippedInputs} already exported, skipped)` : '';
    if (s.inputs === 0) log(a.quiet, `export: nothing new in ${s.skippedInputs} input file(s); ${a.out} is unchanged`);
    else {
      log(a.quiet, `export: read ${s.inputs} input file(s)${skipped}, ${s.points} points, wrote ${s.rows} rows in ${s.files} files, ` +
        `${(s.bytes / 1048576).toFixed(1)} MiB, to ${a.out} in ${secs.toFixed(1)} s`);
    }
  } finally {
    progress.done();
  }
}
