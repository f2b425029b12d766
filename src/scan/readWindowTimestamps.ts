import type { Data } from 'apache-arrow';
import type { EpochUnit } from '../parquet/epochUnit.js';
import { inBaselinePhase, type ScanWindow } from '../plan/scanWindow.js';
import type { ScanStats } from '../state/partialState.js';
import { readTimestamps } from './columnReaders.js';
import { ensureScratch, scratch } from './scanScratch.js';

/**
 * A batch's timestamps, as epoch ms, into the thread's scratch (scratch.ts); counts the rows read
 * and the null timestamps, widens the time range seen, and returns how many rows fall in the
 * window's baseline (its phase, for hour-of-day) or recent range.
 */
export function readWindowTimestamps(d: Data, rawUnit: EpochUnit | undefined, w: ScanWindow, st: ScanStats): number {
  const n = d.length;
  ensureScratch(n);
  const ts = scratch.ts;
  readTimestamps(d, ts, rawUnit);
  st.rowsRead += n;
  if (d.nullCount > 0) st.rowsNullTimestamp += d.nullCount;
  const { baselineStart, baselineEnd, recentStart, recentEnd } = w;
  const periodic = w.periodMs !== undefined;
  let lo = st.minTimestamp;
  let hi = st.maxTimestamp;
  let inRange = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    if (t < lo) lo = t;
    if (t > hi) hi = t;
    if (t >= baselineStart && t < baselineEnd) {
      if (!periodic || inBaselinePhase(t, w)) inRange++;
    } else if (t >= recentStart && t < recentEnd) inRange++;
  }
  st.minTimestamp = lo;
  st.maxTimestamp = hi;
  return inRange;
}
