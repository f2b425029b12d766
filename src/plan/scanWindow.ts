import type { RuleParams } from '../rule/rule.js';

/** Where rows go: baseline cells and recent span buckets, all in epoch ms. */
export interface ScanWindow {
  baselineStart: number;
  baselineEnd: number;
  /** baseline cells: cell c covers [baselineStart + c * cellMs, + cellMs) clipped to baselineEnd */
  cellMs: number;
  recentStart: number;
  recentEnd: number;
  spanMs: number;
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

export function detectWindow(atMs: number, p: RuleParams): ScanWindow {
  return {
    baselineStart: atMs - p.baselineMs,
    baselineEnd: atMs - p.windowMs,
    cellMs: p.baselineMs - p.windowMs,
    recentStart: atMs - p.windowMs,
    recentEnd: atMs,
    spanMs: p.spanMs,
  };
}

/** The default T: the end of the last span bucket holding data. */
export function defaultDetectionTime(maxTimestamp: number, spanMs: number): number {
  return Math.floor(maxTimestamp / spanMs) * spanMs + spanMs;
}
