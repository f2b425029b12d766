import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../io/writeAtomic.js';
import { generateDay, generatorNames } from './generator.js';
import type { GeneratorConfig } from './generatorTypes.js';
import { writeDayParquet } from './writeDayParquet.js';

export interface ExportDayTask {
  cfg: GeneratorConfig;
  dayIndex: number;
  outDir: string;
  rowGroupRows?: number;
}

export interface ExportDayResult {
  path: string;
  rows: number;
  bytes: number;
}

function dayStartMs(cfg: GeneratorConfig, dayIndex: number): number {
  return cfg.endMs - (cfg.days - dayIndex) * 86_400_000;
}

/** Hive-style day folders, so other engines can prune by day too. */
function dayFile(outDir: string, cfg: GeneratorConfig, dayIndex: number): string {
  const day = new Date(dayStartMs(cfg, dayIndex)).toISOString().slice(0, 10);
  return join(outDir, `day=${day}`, 'part-0.parquet');
}

export async function exportDay(task: ExportDayTask): Promise<ExportDayResult> {
  const rows = generateDay(task.cfg, task.dayIndex);
  const bytes = writeDayParquet(rows, generatorNames(task.cfg), task.rowGroupRows);
  const path = dayFile(task.outDir, task.cfg, task.dayIndex);
  await mkdir(join(path, '..'), { recursive: true });
  await writeAtomic(path, bytes);
  return { path, rows: rows.length, bytes: bytes.length };
}
