import { BUCKET_STRIDE, MOMENT_STRIDE, initAllMoments, mergeBucket, mergeMoments } from '../state/moments.js';
import { addStats, forEachBucketRow, emptyStats, type PartialState, type ScanStats } from '../state/partialState.js';
import { bucketCountOf, cellCountOf, firstBucketOf, type ScanWindow } from '../plan/scanWindow.js';
import { KeyTable, grow } from './keyTable.js';

/**
 * Folds task partials, in task order, into one PartialState with global key and series ids.
 * Keys are (workload, process) pairs; series are (cluster, key).
 */
export class PartialMerger {
  private readonly keys = new KeyTable();
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
    const k = this.keys.key(w, p);
    this.baseline = grow(this.baseline, (k + 1) * this.cellCount * this.m * MOMENT_STRIDE, initAllMoments);
    return k;
  }

  private series(cluster: string, k: number): number {
    const s = this.keys.series(cluster, k);
    this.recent = grow(this.recent, (s + 1) * this.bucketCount * this.m * BUCKET_STRIDE);
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
    const seriesMap = new Int32Array(p.seriesCluster.length);
    for (let s = 0; s < seriesMap.length; s++) seriesMap[s] = this.series(p.clusters[p.seriesCluster[s]], keyMap[p.seriesKey[s]]);
    const bStride = this.m * BUCKET_STRIDE;
    const recent = this.recent;
    forEachBucketRow(p, (s, b, src) => {
      const dst = (seriesMap[s] * this.bucketCount + b) * bStride;
      for (let o = 0; o < bStride; o += BUCKET_STRIDE) mergeBucket(recent, dst + o, p.recent, src + o);
    });
    addStats(this.stats, p.stats);
  }

  result(): PartialState {
    const { keys: t } = this;
    const keys = t.keyCount;
    const series = t.seriesCount;
    return {
      metrics: this.metrics,
      workloads: t.workloads,
      processes: t.processes,
      cellOrigin: this.cellOrigin,
      cellCount: this.cellCount,
      baseline: this.baseline.slice(0, keys * this.cellCount * this.m * MOMENT_STRIDE),
      clusters: t.clusters,
      seriesCluster: Int32Array.from(t.seriesCluster),
      seriesKey: Int32Array.from(t.seriesKey),
      firstBucket: this.firstBucket,
      bucketCount: this.bucketCount,
      recent: this.recent.slice(0, series * this.bucketCount * this.m * BUCKET_STRIDE),
      stats: this.stats,
    };
  }
}
