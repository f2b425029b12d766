import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Piscina } from 'piscina';
import type { ExportDayResult } from '../export/exportDay.js';
import { scenarioLabels, seriesCount } from '../source/generator/generator.js';
import type { GeneratorConfig } from '../source/generator/generatorTypes.js';
import { sweepTempFilesOnExit } from '../io/tempFiles.js';
import { writeAtomic } from '../io/writeAtomic.js';
import { poolFailure } from '../pool/createPool.js';

export const EXPORT_MANIFEST = '_export.json';
export const LABELS_FILE = 'labels.json';

export interface ExportSummary {
  files: number;
  rows: number;
  bytes: number;
  series: number;
}

/**
 * Refuses to mix two datasets in one folder unless asked to replace the old one. The manifest is
 * written last, so day folders without one are an export that was interrupted, not a dataset.
 */
export async function prepareOutDir(outDir: string, force: boolean): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const entries = await readdir(outDir);
  const ours = entries.filter((e) => e.startsWith('day=') || e === EXPORT_MANIFEST || e === LABELS_FILE || e.endsWith('.parquet'));
  if (ours.length === 0) return;
  const incomplete = !entries.includes(EXPORT_MANIFEST) && ours.some((e) => e.startsWith('day=') || e === LABELS_FILE);
  if (!force && incomplete) {
    throw new Error(`export: --out ${outDir} holds an incomplete export (no ${EXPORT_MANIFEST}: it was interrupted); pass --force to replace it`);
  }
  if (!force) throw new Error(`export: --out ${outDir} already holds a dataset (${ours.slice(0, 3).join(', ')}${ours.length > 3 ? ', …' : ''}); pass --force to replace it`);
  for (const e of ours) await rm(join(outDir, e), { recursive: true, force: true });
}

/** Generates one file per day on the pool, then writes the ground truth and a manifest. */
export async function exportData(
  pool: Piscina, cfg: GeneratorConfig, outDir: string,
  onProgress?: (done: number, total: number, rows: number) => void,
): Promise<ExportSummary> {
  // the day files are written by worker threads, whose temporary files this thread cannot track
  sweepTempFilesOnExit(outDir);
  let done = 0;
  let rows = 0;
  let bytes = 0;
  const results: ExportDayResult[] = await Promise.all(Array.from({ length: cfg.days }, async (_, dayIndex) => {
    let r: ExportDayResult;
    try {
      r = (await pool.run({ cfg, dayIndex, outDir })) as ExportDayResult;
    } catch (cause) {
      throw poolFailure(pool) ?? cause;
    }
    rows += r.rows;
    bytes += r.bytes;
    done++;
    onProgress?.(done, cfg.days, rows);
    return r;
  }));
  const labels = scenarioLabels(cfg);
  await writeAtomic(join(outDir, LABELS_FILE), JSON.stringify(labels, null, 2) + '\n');
  const manifest = {
    generator: 'egress-anomaly export',
    config: { ...cfg, end: new Date(cfg.endMs).toISOString() },
    files: results.flatMap((r) => r.parts.map((f) => ({ path: f.path.slice(outDir.length + 1), rows: f.rows, bytes: f.bytes }))),
  };
  // Last and atomic: the demo takes this file as the sign of a complete dataset.
  await writeAtomic(join(outDir, EXPORT_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return { files: results.reduce((n, r) => n + r.parts.length, 0), rows, bytes, series: seriesCount(cfg) };
}
