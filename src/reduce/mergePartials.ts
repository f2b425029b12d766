import { BUCKET_STRIDE, MOMENT_STRIDE, mergeBucket, mergeMoments, newMoments } from '../state/moments.js';
import {
  bucketCountOf, cellCountOf, emptyStats, firstBucketOf, type PartialState, type ScanStats, type ScanWindow,
} from '../state/partialState.js';

/**
 * Folds task partials, in task order, into one PartialState with global key and series ids.
 * Keys are (workload, process) pairs; series are (cluster, key).
 */
export class PartialMerger {
  private readonly keyIndex = new Map<string, number>();
  private readonly seriesIndex = new Map<string, number>();
  private readonly clusterIndex = new Map<string, number>();
  private workloads: string[] = [];
  private processes: string[] = [];
  private clusters: string[] = [];
  private seriesCluster: number[] = [];
  private seriesKey: number[] = [];
  private baseline: Float64Array = new Float64Array(0);
  private recent: Float64Array = new Float64Array(0);
  private readonly stats: ScanStats;
  private readonly m: number;

  private readonly cellOrigin: number;
  private readonly cellCount: number;
  private readonly firstBucket: number;
  private readonly bucketCount: number;

  /** All partials must share this window (detect's tasks do; hunt slices windows, see HuntMerger). */
  constructor(private readonly metrics: string[], w: ScanWindow) {
    this.cellOrigin = w.baselineStart;
    this.cellCount = cellCountOf(w);
    this.firstBucket = firstBucketOf(w);
    this.bucketCount = bucketCountOf(w);
    this.m = metrics.length;
    this.stats = emptyStats(this.m);
  }

  private key(w: string, p: string): number {
    const id = `${w}\0${p}`;
    let k = this.keyIndex.get(id);
    if (k === undefined) {
      k = this.workloads.length;
      this.keyIndex.set(id, k);
      this.workloads.push(w);
      this.processes.push(p);
      const stride = this.cellCount * this.m * MOMENT_STRIDE;
      if ((k + 1) * stride > this.baseline.length) {
        const grown = newMoments(Math.max(k + 1, 2 * (this.baseline.length / stride || 8)) * this.cellCount * this.m);
        grown.set(this.baseline);
        this.baseline = grown;
      }
    }
    return k;
  }

  private series(cluster: string, k: number): number {
    let c = this.clusterIndex.get(cluster);
    if (c === undefined) {
      c = this.clusters.length;
      this.clusterIndex.set(cluster, c);
      this.clusters.push(cluster);
    }
    const id = `${c}\0${k}`;
    let s = this.seriesIndex.get(id);
    if (s === undefined) {
      s = this.seriesCluster.length;
      this.seriesIndex.set(id, s);
      this.seriesCluster.push(c);
      this.seriesKey.push(k);
      const stride = this.bucketCount * this.m * BUCKET_STRIDE;
      if ((s + 1) * stride > this.recent.length) {
        const grown = new Float64Array(Math.max(s + 1, 2 * (this.recent.length / stride || 8)) * stride);
        grown.set(this.recent);
        this.recent = grown;
      }
    }
    return s;
  }

  add(p: PartialState): void {
    if (p.cellCount !== this.cellCount || p.bucketCount !== this.bucketCount || p.metrics.length !== this.m ||
      p.cellOrigin !== this.cellOrigin || p.firstBucket !== this.firstBucket) {
      throw new Error('reduce: partial state does not match the plan (cells, buckets or metrics differ)');
    }
    const keyMap = new Int32Array(p.workloads.length);
    const kStride = this.cellCount * this.m * MOMENT_STRIDE;
    for (let k = 0; k < p.workloads.length; k++) {
      const g = this.key(p.workloads[k], p.processes[k]);
      keyMap[k] = g;
      for (let o = 0; o < kStride; o += MOMENT_STRIDE) mergeMoments(this.baseline, g * kStride + o, p.baseline, k * kStride + o);
    }
    const sStride = this.bucketCount * this.m * BUCKET_STRIDE;
    for (let s = 0; s < p.seriesCluster.length; s++) {
      const g = this.series(p.clusters[p.seriesCluster[s]], keyMap[p.seriesKey[s]]);
      for (let o = 0; o < sStride; o += BUCKET_STRIDE) mergeBucket(this.recent, g * sStride + o, p.recent, s * sStride + o);
    }
    const st = this.stats;
    st.rowsRead += p.stats.rowsRead;
    st.rowsInRange += p.stats.rowsInRange;
    st.rowsMissingKey += p.stats.rowsMissingKey;
    for (let j = 0; j < this.m; j++) st.invalidValues[j] += p.stats.invalidValues[j];
    st.maxTimestamp = Math.max(st.maxTimestamp, p.stats.maxTimestamp);
    st.minTimestamp = Math.min(st.minTimestamp, p.stats.minTimestamp);
  }

  result(): PartialState {
    const keys = this.workloads.length;
    const series = this.seriesCluster.length;
    return {
      metrics: this.metrics,
      workloads: this.workloads,
      processes: this.processes,
      cellOrigin: this.cellOrigin,
      cellCount: this.cellCount,
      baseline: this.baseline.slice(0, keys * this.cellCount * this.m * MOMENT_STRIDE),
      clusters: this.clusters,
      seriesCluster: Int32Array.from(this.seriesCluster),
      seriesKey: Int32Array.from(this.seriesKey),
      firstBucket: this.firstBucket,
      bucketCount: this.bucketCount,
      recent: this.recent.slice(0, series * this.bucketCount * this.m * BUCKET_STRIDE),
      stats: this.stats,
    };
  }
}
