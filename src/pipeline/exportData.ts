import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Piscina } from 'piscina';
import type { ExportDayResult } from '../export/exportDay.js';
import { scenarioLabels, seriesCount } from '../export/generator.js';
import type { GeneratorConfig } from '../export/generatorTypes.js';
import { writeAtomic } from '../io/writeAtomic.js';

export const EXPORT_MANIFEST = '_export.json';
export const LABELS_FILE = 'labels.json';

export interface ExportSummary {
  files: number;
  rows: number;
  bytes: number;
  series: number;
}

/** Refuses to mix two datasets in one folder unless asked to replace the old one. */
export async function prepareOutDir(outDir: string, force: boolean): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const entries = await readdir(outDir);
  const ours = entries.filter((e) => e.startsWith('day=') || e === EXPORT_MANIFEST || e === LABELS_FILE || e.endsWith('.parquet'));
  if (ours.length === 0) return;
  if (!force) throw new Error(`export: --out ${outDir} already holds a dataset (${ours.slice(0, 3).join(', ')}${ours.length > 3 ? ', …' : ''}); pass --force to replace it`);
  for (const e of ours) await rm(join(outDir, e), { recursive: true, force: true });
}

/** Generates one file per day on the pool, then writes the ground truth and a manifest. */
export async function exportData(
  pool: Piscina, cfg: GeneratorConfig, outDir: string,
  onProgress?: (done: number, total: number, rows: number) => void,
): Promise<ExportSummary> {
  let done = 0;
  let rows = 0;
  let bytes = 0;
  const results: ExportDayResult[] = await Promise.all(Array.from({ length: cfg.days }, async (_, dayIndex) => {
    const r = (await pool.run({ cfg, dayIndex, outDir })) as ExportDayResult;
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
    files: results.map((r) => ({ path: r.path.slice(outDir.length + 1), rows: r.rows, bytes: r.bytes })),
  };
  // Last and atomic: the demo takes this file as the sign of a complete dataset.
  await writeAtomic(join(outDir, EXPORT_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return { files: results.length, rows, bytes, series: seriesCount(cfg) };
}
