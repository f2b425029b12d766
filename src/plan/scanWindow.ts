import type { RuleParams } from '../rule/rule.js';

export const DAY_MS = 86_400_000;

/** Where rows go: baseline cells and recent span buckets, all in epoch ms. */
export interface ScanWindow {
  baselineStart: number;
  baselineEnd: number;
  /** baseline cells: cell c covers [baselineStart + c * cellMs, + cellMs) clipped to baselineEnd */
  cellMs: number;
  recentStart: number;
  recentEnd: number;
  spanMs: number;
  /**
   * --baseline-model hour-of-day: 24 h. A baseline row then counts only in the recent window's
   * phase, the same hour-long window on each earlier day: (t - recentStart) mod periodMs <
   * recentEnd - recentStart. Absent: every baseline row counts (the flat, published baseline).
   */
  periodMs?: number;
  /**
   * --weekday-split, with periodMs: a baseline row counts only when its phase window starts on a
   * UTC day of the same kind (Monday to Friday, or Saturday and Sunday) as the recent window's.
   */
  weekdaySplit?: boolean;
  /**
   * --baseline-model robust: the scan also folds a quantile sketch per key and metric of the same
   * baseline values (PartialState.sketches), for a median and MAD. Absent: moments only.
   */
  sketch?: boolean;
}

/** Whether epoch ms t lies on a UTC Saturday or Sunday (1970-01-01 was a Thursday). */
export function isWeekend(t: number): boolean {
  const dow = (((Math.floor(t / DAY_MS) + 4) % 7) + 7) % 7;
  return dow === 0 || dow === 6;
}

/** Whether a baseline-range row at t counts under w's baseline model (see ScanWindow.periodMs). */
export function inBaselinePhase(t: number, w: ScanWindow): boolean {
  const p = w.periodMs;
  if (!p) return true;
  let d = (t - w.recentStart) % p;
  if (d < 0) d += p;
  if (d >= w.recentEnd - w.recentStart) return false;
  return !w.weekdaySplit || isWeekend(t - d) === isWeekend(w.recentStart);
}

/**
 * Under a periodic baseline, where [minTs, maxTs] lies: 'in' one phase window, 'out' in one gap
 * between two, or 'mixed'. Both ends in one period and on one side of the phase bound say which.
 */
export function rangePhase(minTs: number, maxTs: number, w: ScanWindow): 'in' | 'out' | 'mixed' {
  const p = w.periodMs!;
  if (Math.floor((minTs - w.recentStart) / p) !== Math.floor((maxTs - w.recentStart) / p)) return 'mixed';
  const lo = inBaselinePhase(minTs, w);
  return lo !== inBaselinePhase(maxTs, w) ? 'mixed' : lo ? 'in' : 'out';
}

export function cellCountOf(w: ScanWindow): number {
  return Math.max(0, Math.ceil((w.baselineEnd - w.baselineStart) / w.cellMs));
}

/** Bucket index 0 is the span bucket holding recentStart. */
export function firstBucketOf(w: ScanWindow): number {
  return Math.floor(w.recentStart / w.spanMs);
}

export function bucketCountOf(w: ScanWindow): number {
  if (w.recentEnd <= w.recentStart) return 0;
  return Math.floor((w.recentEnd - 1) / w.spanMs) - firstBucketOf(w) + 1;
}

/** Which baseline rows a rule's model keeps, as ScanWindow's fields: none for the flat (and robust) baseline's every row. */
export function baselinePhaseOf(p: RuleParams): Pick<ScanWindow, 'periodMs' | 'weekdaySplit'> {
  return p.baselineModel === 'hour-of-day' ? { periodMs: DAY_MS, ...(p.weekdaySplit ? { weekdaySplit: true } : {}) } : {};
}

export function detectWindow(atMs: number, p: RuleParams): ScanWindow {
  return {
    baselineStart: atMs - p.baselineMs,
    baselineEnd: atMs - p.windowMs,
    cellMs: p.baselineMs - p.windowMs,
    recentStart: atMs - p.windowMs,
    recentEnd: atMs,
    spanMs: p.spanMs,
    ...baselinePhaseOf(p),
    ...(p.baselineModel === 'robust' ? { sketch: true } : {}),
  };
}

/** The default T: the end of the last span bucket holding data. */
export function defaultDetectionTime(maxTimestamp: number, spanMs: number): number {
  return Math.floor(maxTimestamp / spanMs) * spanMs + spanMs;
}
