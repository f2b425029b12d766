import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../io/writeAtomic.js';
import { dayRowCounts, generateDay, generatorNames } from '../source/generator/generator.js';
import type { GeneratorConfig } from '../source/generator/generatorTypes.js';
import { writeDayParquet } from './writeDayParquet.js';

export interface ExportDayTask {
  cfg: GeneratorConfig;
  dayIndex: number;
  outDir: string;
  rowGroupRows?: number;
  /** rows per part file (default PART_ROWS) */
  partRows?: number;
}

export interface ExportDayResult {
  /** the day's part files, each at most PART_ROWS rows (one series is never split) */
  parts: { path: string; rows: number; bytes: number }[];
  rows: number;
  bytes: number;
}

/**
 * Rows per part file: a day is generated and written a part at a time, so memory stays fixed
 * (about 60 bytes a row in JS, plus parquet-wasm's copy of the part) whatever the fleet's size.
 */
export const PART_ROWS = 2_000_000;

function dayStartMs(cfg: GeneratorConfig, dayIndex: number): number {
  return cfg.endMs - (cfg.days - dayIndex) * 86_400_000;
}

/** Hive-style day folders, so other engines can prune by day too. */
function dayFolder(outDir: string, cfg: GeneratorConfig, dayIndex: number): string {
  return join(outDir, `day=${new Date(dayStartMs(cfg, dayIndex)).toISOString().slice(0, 10)}`);
}

export async function exportDay(task: ExportDayTask): Promise<ExportDayResult> {
  const { cfg, dayIndex } = task;
  const counts = dayRowCounts(cfg, dayIndex);
  const names = generatorNames(cfg);
  const folder = dayFolder(task.outDir, cfg, dayIndex);
  await mkdir(folder, { recursive: true });
  const out: ExportDayResult = { parts: [], rows: 0, bytes: 0 };
  const limit = task.partRows ?? PART_ROWS;
  let from = 0;
  do {
    let to = from;
    let rows = 0;
    while (to < counts.length && (to === from || rows + counts[to] <= limit)) rows += counts[to++];
    const part = generateDay(cfg, dayIndex, from, to);
    const path = join(folder, `part-${out.parts.length}.parquet`);
    try {
      const bytes = writeDayParquet(part, names, task.rowGroupRows);
      await writeAtomic(path, bytes);
      out.parts.push({ path, rows: part.length, bytes: bytes.length });
      out.rows += part.length;
      out.bytes += bytes.length;
    } catch (cause) {
      throw new Error(`export: cannot write ${path} (series ${from} to ${to - 1} of day ${dayIndex + 1}): ${(cause as Error).message}`, { cause });
    }
    from = to;
  } while (from < counts.length);
  return out;
}
