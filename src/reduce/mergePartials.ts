import { BUCKET_STRIDE, mergeBucket } from '../state/moments.js';
import { addStats, forEachBucketRow, emptyStats, type PartialState, type ScanStats } from '../state/partialState.js';
import { SketchTable } from '../state/sketchTable.js';
import { bucketCountOf, cellCountOf, firstBucketOf, type ScanWindow } from '../plan/scanWindow.js';
import { foldPartial } from './foldPartial.js';
import { KeyedCells } from './keyedCells.js';
import { KeyTable, grow } from './keyTable.js';

/**
 * Folds task partials, in task order, into one PartialState with global key and series ids.
 * Keys are (workload, process) pairs; series are (cluster, key).
 */
export class PartialMerger {
  private readonly keys = new KeyTable();
  private readonly cells: KeyedCells;
  private recent: Float64Array = new Float64Array(0);
  /** the window's sketches (ScanWindow.sketch), merged by global key like the moments */
  private readonly sketches: SketchTable | undefined;
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
    this.cells = new KeyedCells(this.m);
    this.stats = emptyStats(this.m);
    this.sketches = w.sketch ? new SketchTable() : undefined;
  }

  add(p: PartialState): void {
    if (p.cellCount !== this.cellCount || p.bucketCount !== this.bucketCount || p.metrics.length !== this.m ||
      p.cellOrigin !== this.cellOrigin || p.firstBucket !== this.firstBucket) {
      throw new Error('reduce: partial state does not match the plan (cells, buckets or metrics differ)');
    }
    if (this.sketches && !p.sketches) throw new Error('reduce: partial state holds no baseline sketches, but the plan asks for them');
    const { keyMap, seriesMap } = foldPartial(this.keys, this.cells, p, 0);
    if (this.sketches) this.sketches.mergeKeys(p.sketches!, keyMap, this.cellCount * this.m);
    const bStride = this.m * BUCKET_STRIDE;
    this.recent = grow(this.recent, this.keys.seriesCount * this.bucketCount * bStride);
    const recent = this.recent;
    forEachBucketRow(p, (s, b, src) => {
      const dst = (seriesMap[s] * this.bucketCount + b) * bStride;
      for (let o = 0; o < bStride; o += BUCKET_STRIDE) mergeBucket(recent, dst + o, p.recent, src + o);
    });
    addStats(this.stats, p.stats);
  }

  result(): PartialState {
    const { keys: t } = this;
    return {
      metrics: this.metrics,
      workloads: t.workloads,
      processes: t.processes,
      cellOrigin: this.cellOrigin,
      cellCount: this.cellCount,
      baseline: this.cells.slice(0, this.cellCount, t.keyCount),
      clusters: t.clusters,
      seriesCluster: Int32Array.from(t.seriesCluster),
      seriesKey: Int32Array.from(t.seriesKey),
      firstBucket: this.firstBucket,
      bucketCount: this.bucketCount,
      recent: this.recent.slice(0, t.seriesCount * this.bucketCount * this.m * BUCKET_STRIDE),
      stats: this.stats,
      ...(this.sketches ? { sketches: this.sketches.pack(t.keyCount * this.cellCount * this.m) } : {}),
    };
  }
}
