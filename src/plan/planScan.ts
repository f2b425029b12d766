import type { ScanTask } from './scanTask.js';
import { rangePhase, type ScanWindow } from './scanWindow.js';
import type { FileInfo, RowGroupInfo } from './inspectFile.js';
import { OUTBOUND_KEYING, sameKeying, type Keying } from '../rule/keying.js';

export interface ScanPlan {
  metrics: string[];
  tasks: ScanTask[];
  rowGroupsTotal: number;
  rowGroupsPruned: number;
}

/** Every metric column any file has, in code-unit order: the metric axis of all partial state. */
export function metricsOf(files: FileInfo[]): string[] {
  const all = new Set<string>();
  for (const f of files) for (const m of f.metricColumns) all.add(m);
  return [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One task per row group that can hold rows in [lo, hi): row groups whose recorded time range
 * lies outside are never read. Task order is file path then row group, which fixes merge order.
 */
/** `keyings`: the first is the task's own; any others are folded from the same decoded rows (ScanTask.moreKeyings). */
export function planScan(
  files: FileInfo[], window: ScanWindow, lo: number, hi: number, keyings: readonly Keying[] = [OUTBOUND_KEYING],
): ScanPlan {
  const metrics = metricsOf(files);
  const tasks: ScanTask[] = [];
  const counts = forEachRowGroup(files, metrics, lo, hi, (f, rg, metricColumns) => {
    tasks.push(rowGroupTask(f, rg, metrics, metricColumns, window, keyings));
  }, window.periodMs ? (rg) => outsidePhase(rg, window) : undefined);
  return { metrics, tasks, ...counts };
}

/** Visits, in file then row-group order, every row group that may hold rows in [lo, hi). */
export function forEachRowGroup(
  files: FileInfo[], metrics: string[], lo: number, hi: number,
  visit: (f: FileInfo, rg: RowGroupInfo, metricColumns: (string | null)[]) => void,
  prune?: (rg: RowGroupInfo) => boolean,
): { rowGroupsTotal: number; rowGroupsPruned: number } {
  let total = 0;
  let pruned = 0;
  for (const f of files) {
    const metricColumns = metrics.map((m) => (f.metricColumns.includes(m) ? m : null));
    for (const rg of f.rowGroups) {
      total++;
      if (rg.rows === 0 || (rg.maxTs !== undefined && rg.maxTs < lo) || (rg.minTs !== undefined && rg.minTs >= hi) || prune?.(rg)) pruned++;
      else visit(f, rg, metricColumns);
    }
  }
  return { rowGroupsTotal: total, rowGroupsPruned: pruned };
}

/** `cell`: the one baseline cell holding every row, -1 for none; by default what the metadata proves (wholeCellOf). */
export function rowGroupTask(
  f: FileInfo, rg: RowGroupInfo, metrics: string[], metricColumns: (string | null)[], window: ScanWindow, keyings: readonly Keying[],
  cell = wholeCellOf(rg, window),
): ScanTask {
  const keying = keyings[0];
  // the exporter's key runs are runs of its sort key, the outbound rule's: no other keying may use them
  const runs = sameKeying(keying, OUTBOUND_KEYING) ? rg.keys ?? null : null;
  return {
    path: f.path, size: f.size, mtimeMs: f.mtimeMs, rowGroups: [rg.index], metrics, metricColumns, window, keying, allColumns: false,
    ...(keyings.length > 1 ? { moreKeyings: keyings.slice(1) } : {}),
    wholeCell: [cell], keyRuns: [runs],
    ...(f.timestampUnit ? { timestampUnit: f.timestampUnit } : {}),
    ...(f.etag ? { etag: f.etag } : {}),
  };
}

/**
 * Under a periodic baseline (hour-of-day): the row group provably holds no row that counts, every
 * row lying before the recent window in one gap between two phase windows.
 */
export function outsidePhase(rg: RowGroupInfo, w: ScanWindow): boolean {
  if (!rg.timestampsComplete || rg.minTs === undefined || rg.maxTs === undefined || rg.maxTs >= w.recentStart) return false;
  return rangePhase(rg.minTs, rg.maxTs, w) === 'out';
}

/** The one baseline cell holding every row of the row group, if the metadata proves there is one. */
export function wholeCellOf(rg: RowGroupInfo, w: ScanWindow): number {
  if (!rg.timestampsComplete || rg.minTs === undefined || rg.maxTs === undefined) return -1;
  // a periodic baseline counts a row by its time: only a row group inside one phase window is whole
  if (w.periodMs && rangePhase(rg.minTs, rg.maxTs, w) !== 'in') return -1;
  if (rg.minTs < w.baselineStart || rg.maxTs >= w.baselineEnd) return -1;
  if (rg.maxTs >= w.recentStart && rg.minTs < w.recentEnd) return -1;
  const lo = Math.floor((rg.minTs - w.baselineStart) / w.cellMs);
  const hi = Math.floor((rg.maxTs - w.baselineStart) / w.cellMs);
  return lo === hi ? lo : -1;
}
