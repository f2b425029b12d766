import type { RuleParams } from '../rule/rule.js';
import type { ScanTask } from './scanTask.js';
import { DAY_MS, baselinePhaseOf, type ScanWindow } from './scanWindow.js';
import type { FileInfo } from './inspectFile.js';
import { OUTBOUND_KEYING, type Keying } from '../rule/keying.js';
import { forEachRowGroup, metricsOf, rowGroupTask } from './planScan.js';

export interface HuntGrid {
  times: number[];
  /** baseline cells of cellMs from origin = from - baseline: every T's baseline is a run of them */
  origin: number;
  cellMs: number;
  cellCount: number;
  /** the whole pass: every row any T needs */
  window: ScanWindow;
  /**
   * [start, end): the rows every T's baseline holds, whole cells. Which of its cells a row lands in
   * changes no T's sums, so a row group inside it is folded into one cell, as detect folds one.
   * Absent with --state (its days keep every cell for later runs) and for periodic baselines.
   */
  common?: { start: number; end: number };
}

export interface HuntPlan {
  grid: HuntGrid;
  keying: Keying;
  metrics: string[];
  /** in the order their rows become complete: by first timestamp (unknown first) */
  tasks: ScanTask[];
  /** per task: its first timestamp, -Infinity where unknown */
  taskStart: number[];
  rowGroupsTotal: number;
  rowGroupsPruned: number;
}

export { DAY_MS };

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function detectionTimes(fromMs: number, toMs: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) out.push(t);
  return out;
}

/**
 * One pass serves every T when each T's window and baseline are unions of shared pieces: span
 * buckets (T and T - window on the bucket grid) and baseline cells of gcd(step, window, baseline).
 */
export function huntGrid(fromMs: number, toMs: number, stepMs: number, p: RuleParams, wholeDays = false): HuntGrid | undefined {
  const times = detectionTimes(fromMs, toMs, stepMs);
  if (fromMs % p.spanMs !== 0 || stepMs % p.spanMs !== 0 || p.windowMs % p.spanMs !== 0) return undefined;
  const last = times[times.length - 1];
  // hour-of-day: each T's phase is a run of cells on every earlier day, so cells divide a day too
  const cellMs = gcd(gcd(gcd(stepMs, p.windowMs), p.baselineMs), baselinePhaseOf(p).periodMs ?? 0);
  let origin = fromMs - p.baselineMs;
  let baselineEnd = last - p.windowMs;
  // Incremental state keeps whole days of cells: widen the pass to day boundaries on the grid.
  if (wholeDays && DAY_MS % cellMs === 0 && ((origin % cellMs) + cellMs) % cellMs === 0) {
    origin = Math.floor(origin / DAY_MS) * DAY_MS;
    baselineEnd = Math.ceil(baselineEnd / DAY_MS) * DAY_MS;
  }
  const window: ScanWindow = {
    baselineStart: origin,
    baselineEnd,
    cellMs,
    recentStart: fromMs - p.windowMs,
    recentEnd: last,
    spanMs: p.spanMs,
  };
  const common = { start: last - p.baselineMs, end: fromMs - p.windowMs };
  const shared = !wholeDays && baselinePhaseOf(p).periodMs === undefined && common.start < common.end;
  return { times, origin, cellMs, cellCount: Math.ceil((window.baselineEnd - origin) / cellMs), window, ...(shared ? { common } : {}) };
}

/** The task's slice of the pass window: only the cells and buckets its rows can fall in. */
function sliceWindow(w: ScanWindow, minTs: number, maxTs: number): ScanWindow {
  const c0 = Math.max(0, Math.floor((minTs - w.baselineStart) / w.cellMs));
  const start = w.baselineStart + c0 * w.cellMs;
  const end = Math.min(w.baselineEnd, Math.max(start, w.baselineStart + (Math.floor((maxTs - w.baselineStart) / w.cellMs) + 1) * w.cellMs));
  const rStart = Math.max(w.recentStart, Math.floor(minTs / w.spanMs) * w.spanMs);
  const rEnd = Math.min(w.recentEnd, Math.max(rStart, maxTs + 1));
  return { ...w, baselineStart: start, baselineEnd: end, recentStart: rStart, recentEnd: rEnd };
}

/** `keyings` as planScan takes them; the plan's keying is the first. */
export function planHunt(files: FileInfo[], grid: HuntGrid, keyings: readonly Keying[] = [OUTBOUND_KEYING]): HuntPlan {
  const metrics = metricsOf(files);
  const lo = grid.origin;
  const hi = grid.window.recentEnd;
  const entries: { task: ScanTask; start: number; order: number }[] = [];
  const counts = forEachRowGroup(files, metrics, lo, hi, (f, rg, metricColumns) => {
    const known = rg.timestampsComplete && rg.minTs !== undefined && rg.maxTs !== undefined;
    const c = grid.common;
    const inCommon = known && c !== undefined && rg.minTs! >= c.start && rg.maxTs! < c.end;
    const window = known ? sliceWindow(grid.window, rg.minTs!, inCommon ? rg.minTs! : rg.maxTs!) : grid.window;
    // in the common range the one-cell window holds the row group's first cell only: it goes there whole
    const task = rowGroupTask(f, rg, metrics, metricColumns, window, keyings, inCommon ? 0 : undefined);
    entries.push({ task, start: known ? rg.minTs! : -Infinity, order: entries.length });
  });
  entries.sort((a, b) => a.start - b.start || a.order - b.order);
  return {
    grid, keying: keyings[0], metrics, tasks: entries.map((e) => e.task), taskStart: entries.map((e) => e.start),
    ...counts,
  };
}
