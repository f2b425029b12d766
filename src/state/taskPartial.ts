import { createHash } from 'node:crypto';
import { BUCKET_STRIDE, MOMENT_STRIDE, initAllMoments } from './moments.js';
import type { PartialState, ScanStats } from './partialState.js';
import { sketchesProblem, type PackedSketches } from './packedSketches.js';

/**
 * One scan task's partial as a shard stores it: only the (key, cell) and (series, bucket) rows
 * that hold a value, the rest of the state as the worker produced it. Decoding gives back a
 * PartialState the reducers merge into exactly the bits the worker's own partial gives: every
 * value is kept bit for bit, and the rows left out hold only counts of zero, which every merge
 * skips.
 */
export interface EncodedTask {
  /** the task's index in the whole plan: the merge order */
  task: number;
  path: string;
  /** first timestamp of the task's rows (hunt's pass order), -Infinity where unknown */
  start: number;
  cellOrigin: number;
  cellCount: number;
  firstBucket: number;
  bucketCount: number;
  workloads: string[];
  processes: string[];
  clusters: string[];
  seriesCluster: Int32Array;
  seriesKey: Int32Array;
  /** key * cellCount + cell, per stored row of metrics x MOMENT_STRIDE values */
  baselineRows: Int32Array;
  baseline: Float64Array;
  /** series * bucketCount + bucket, per stored row of metrics x BUCKET_STRIDE values */
  recentRows: Int32Array;
  recent: Float64Array;
  /** rowsRead, rowsInRange, rowsMissingKey, rowsNullTimestamp, maxTimestamp, minTimestamp, invalid values per metric */
  stats: Float64Array;
  /** the partial's sketches as the worker packed them (--baseline-model robust only) */
  sketches?: PackedSketches;
}

function usedRows(values: Float64Array, rows: number, rowStride: number, slotStride: number): number {
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * rowStride;
    for (let j = 0; j < rowStride; j += slotStride) {
      if (values[o + j] !== 0) {
        used++;
        break;
      }
    }
  }
  return used;
}

/** The rows of a dense key/series-major array that hold a count, as (row index, values). */
function sparseRows(values: Float64Array, rows: number, rowStride: number, slotStride: number): { index: Int32Array; values: Float64Array } {
  const index = new Int32Array(usedRows(values, rows, rowStride, slotStride));
  const out = new Float64Array(index.length * rowStride);
  for (let r = 0, u = 0; r < rows && u < index.length; r++) {
    const o = r * rowStride;
    let any = false;
    for (let j = 0; j < rowStride && !any; j += slotStride) any = values[o + j] !== 0;
    if (!any) continue;
    index[u] = r;
    out.set(values.subarray(o, o + rowStride), u * rowStride);
    u++;
  }
  return { index, values: out };
}

export function encodeTaskState(p: PartialState, task: number, path: string, start: number): EncodedTask {
  const m = p.metrics.length;
  const base = sparseRows(p.baseline, p.workloads.length * p.cellCount, m * MOMENT_STRIDE, MOMENT_STRIDE);
  const recent = p.recentRows
    ? { index: Int32Array.from(p.recentRows), values: p.recent.slice(0, p.recentRows.length * m * BUCKET_STRIDE) }
    : sparseRows(p.recent, p.seriesCluster.length * p.bucketCount, m * BUCKET_STRIDE, BUCKET_STRIDE);
  const s = p.stats;
  return {
    task, path, start,
    cellOrigin: p.cellOrigin, cellCount: p.cellCount, firstBucket: p.firstBucket, bucketCount: p.bucketCount,
    workloads: p.workloads.slice(), processes: p.processes.slice(), clusters: p.clusters.slice(),
    seriesCluster: Int32Array.from(p.seriesCluster), seriesKey: Int32Array.from(p.seriesKey),
    baselineRows: base.index, baseline: base.values, recentRows: recent.index, recent: recent.values,
    stats: Float64Array.from([s.rowsRead, s.rowsInRange, s.rowsMissingKey, s.rowsNullTimestamp ?? 0, s.maxTimestamp, s.minTimestamp, ...s.invalidValues]),
    ...(p.sketches ? { sketches: p.sketches } : {}),
  };
}

export function statsOfTask(e: EncodedTask, metricCount: number): ScanStats {
  const s = e.stats;
  const invalidValues = new Array<number>(metricCount);
  for (let j = 0; j < metricCount; j++) invalidValues[j] = s[6 + j];
  return {
    rowsRead: s[0], rowsInRange: s[1], rowsMissingKey: s[2], rowsNullTimestamp: s[3], maxTimestamp: s[4], minTimestamp: s[5], invalidValues,
  };
}

/** Checks the shape against the metric count, then rebuilds the worker's partial (recent rows sparse). */
export function decodeTaskState(e: EncodedTask, metrics: string[]): PartialState {
  const m = metrics.length;
  const keys = e.workloads.length;
  const series = e.seriesCluster.length;
  const bStride = m * MOMENT_STRIDE;
  const rStride = m * BUCKET_STRIDE;
  const bad = (what: string) => new Error(`state: task ${e.task} (${e.path}): ${what}`);
  if (e.processes.length !== keys || e.seriesKey.length !== series) throw bad('key or series lists of different lengths');
  if (e.baseline.length !== e.baselineRows.length * bStride || e.recent.length !== e.recentRows.length * rStride) throw bad('value rows do not match their index');
  if (e.stats.length !== 6 + m) throw bad(`statistics for ${e.stats.length - 6} metrics, expected ${m}`);
  for (let s = 0; s < series; s++) {
    if (e.seriesCluster[s] < 0 || e.seriesCluster[s] >= e.clusters.length || e.seriesKey[s] < 0 || e.seriesKey[s] >= keys) throw bad('a series names a missing cluster or key');
  }
  const cellRows = keys * e.cellCount;
  const sketchProblem = e.sketches && sketchesProblem(e.sketches, cellRows * m);
  if (sketchProblem) throw bad(sketchProblem);
  const bucketRows = series * e.bucketCount;
  const baseline = new Float64Array(cellRows * bStride);
  initAllMoments(baseline, 0);
  for (let u = 0; u < e.baselineRows.length; u++) {
    const r = e.baselineRows[u];
    if (r < 0 || r >= cellRows) throw bad(`baseline row ${r} out of range`);
    baseline.set(e.baseline.subarray(u * bStride, (u + 1) * bStride), r * bStride);
  }
  for (let u = 0; u < e.recentRows.length; u++) {
    if (e.recentRows[u] < 0 || e.recentRows[u] >= bucketRows) throw bad(`bucket row ${e.recentRows[u]} out of range`);
  }
  return {
    metrics, workloads: e.workloads, processes: e.processes,
    cellOrigin: e.cellOrigin, cellCount: e.cellCount, baseline,
    clusters: e.clusters, seriesCluster: e.seriesCluster, seriesKey: e.seriesKey,
    firstBucket: e.firstBucket, bucketCount: e.bucketCount, recent: e.recent, recentRows: e.recentRows,
    stats: statsOfTask(e, m),
    ...(e.sketches ? { sketches: e.sketches } : {}),
  };
}

const bytesOf = (a: Int32Array | Uint32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** SHA-256 of everything the task holds, so a flipped bit anywhere in a stored task is caught. */
export function taskDigest(e: EncodedTask): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([e.path, e.workloads, e.processes, e.clusters]));
  h.update(bytesOf(Float64Array.of(e.task, e.start, e.cellOrigin, e.cellCount, e.firstBucket, e.bucketCount)));
  for (const a of [e.seriesCluster, e.seriesKey, e.baselineRows, e.baseline, e.recentRows, e.recent, e.stats]) {
    h.update(bytesOf(Float64Array.of(a.length)));
    h.update(bytesOf(a));
  }
  // a task without sketches keeps the digest it always had
  if (e.sketches) {
    for (const a of [e.sketches.lo, e.sketches.offsets, e.sketches.counts, e.sketches.zeros]) {
      h.update(bytesOf(Float64Array.of(a.length)));
      h.update(bytesOf(a));
    }
  }
  return h.digest('hex');
}
