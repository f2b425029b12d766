import type { BaselineCells } from './baselineCells.js';
import { BUCKET_STRIDE } from './moments.js';
import { sketchBuffers, type PackedSketches } from './packedSketches.js';

/**
 * What one scan task knows after reading its rows: mergeable moments per key and baseline cell,
 * and compensated sums per series and span bucket. Every stage speaks this: a task's partial, the
 * merged state of one detection, and hunt's view of one T all have this shape.
 *
 * Layouts (row-major):
 *   baseline: key x cell x metric x MOMENT_STRIDE (see BaselineCells)
 *   recent:   series x bucket x metric x BUCKET_STRIDE
 */
export interface PartialState extends BaselineCells {
  clusters: string[];
  /** series s is (clusters[seriesCluster[s]], key seriesKey[s]) */
  seriesCluster: Int32Array;
  seriesKey: Int32Array;
  /** absolute span bucket (floor(ts / span)) of bucket 0 */
  firstBucket: number;
  bucketCount: number;
  recent: Float64Array;
  /**
   * When set, `recent` is sparse: its r-th bucket row is series floor(recentRows[r] / bucketCount),
   * bucket recentRows[r] % bucketCount. Tasks send this when most of their buckets are empty.
   */
  recentRows?: Int32Array;
  stats: ScanStats;
  /**
   * Where the window asks for them (ScanWindow.sketch: --baseline-model robust): a quantile sketch
   * per key, cell and metric of the same baseline values the moments hold, laid out as they are.
   */
  sketches?: PackedSketches;
  /** a task's partials for its ScanTask.moreKeyings, in order: one decode, several keyings folded */
  more?: PartialState[];
}

export interface ScanStats {
  rowsRead: number;
  rowsInRange: number;
  /** rows in range whose workload, process (or, for the recent window, cluster) is null */
  rowsMissingKey: number;
  /** rows whose timestamp is null: skipped everywhere */
  rowsNullTimestamp: number;
  /** per metric: values skipped because they were NaN, infinite or negative */
  invalidValues: number[];
  maxTimestamp: number;
  minTimestamp: number;
  /** object-storage input only: bytes and requests the task's reads cost (src/io/transferCounters.ts) */
  bytesFetched?: number;
  requests?: number;
}

export function emptyStats(metricCount: number): ScanStats {
  return {
    rowsRead: 0,
    rowsInRange: 0,
    rowsMissingKey: 0,
    rowsNullTimestamp: 0,
    invalidValues: new Array<number>(metricCount).fill(0),
    maxTimestamp: -Infinity,
    minTimestamp: Infinity,
  };
}

/** Visits every non-empty bucket row of a partial, dense or sparse, with its offset in `recent`. */
export function forEachBucketRow(p: PartialState, visit: (series: number, bucket: number, offset: number) => void): void {
  const stride = p.metrics.length * BUCKET_STRIDE;
  if (p.recentRows) {
    for (let r = 0; r < p.recentRows.length; r++) {
      const idx = p.recentRows[r];
      visit(Math.floor(idx / p.bucketCount), idx % p.bucketCount, r * stride);
    }
    return;
  }
  for (let s = 0; s < p.seriesCluster.length; s++) {
    for (let b = 0; b < p.bucketCount; b++) {
      const o = (s * p.bucketCount + b) * stride;
      for (let j = 0; j < stride; j += BUCKET_STRIDE) {
        if (p.recent[o + j] !== 0) {
          visit(s, b, o);
          break;
        }
      }
    }
  }
}

export function addStats(into: ScanStats, from: ScanStats): void {
  into.rowsRead += from.rowsRead;
  into.rowsInRange += from.rowsInRange;
  into.rowsMissingKey += from.rowsMissingKey;
  into.rowsNullTimestamp += from.rowsNullTimestamp ?? 0;
  for (let j = 0; j < into.invalidValues.length; j++) into.invalidValues[j] += from.invalidValues[j];
  into.maxTimestamp = Math.max(into.maxTimestamp, from.maxTimestamp);
  into.minTimestamp = Math.min(into.minTimestamp, from.minTimestamp);
  if (from.requests) {
    into.bytesFetched = (into.bytesFetched ?? 0) + (from.bytesFetched ?? 0);
    into.requests = (into.requests ?? 0) + from.requests;
  }
}

/** The buffers a worker hands back by transfer instead of cloning. */
export function transferablesOf(p: PartialState): ArrayBuffer[] {
  const list = [p.baseline.buffer, p.recent.buffer, p.seriesCluster.buffer, p.seriesKey.buffer];
  if (p.recentRows) list.push(p.recentRows.buffer);
  if (p.sketches) list.push(...sketchBuffers(p.sketches));
  for (const q of p.more ?? []) list.push(...transferablesOf(q));
  return list as ArrayBuffer[];
}
