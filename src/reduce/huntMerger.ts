import { BUCKET_STRIDE, MOMENT_STRIDE, initAllMoments, mergeBucket, mergeMoments, newMoments } from '../state/moments.js';
import { KeyTable, grow } from './keyTable.js';
import { addStats, emptyStats, forEachBucketRow, type PartialState, type ScanStats } from '../state/partialState.js';
import type { HuntGrid } from '../plan/planHunt.js';

const PAGE_BUCKETS = 360;

/**
 * Hunt's reducer: baseline cells over the whole pass, and recent buckets in pages that are
 * dropped once no later T needs them. `view(T)` gives a detect-shaped PartialState for one T,
 * so the rule is evaluated by exactly the same code as detect.
 */
export class HuntMerger {
  private readonly keys = new KeyTable();
  private cells: Float64Array = new Float64Array(0);
  private readonly pages = new Map<number, Float64Array>();
  private viewBuffer = new Float64Array(0);
  private lastPageId = -1;
  private lastPage: Float64Array | undefined;
  private readonly blocks = new Map<number, { keys: number; data: Float64Array }>();
  private readonly blockCells: number;
  readonly stats: ScanStats;
  private readonly m: number;

  constructor(readonly metrics: string[], private readonly grid: HuntGrid, cellsPerBaseline: number) {
    this.m = metrics.length;
    this.stats = emptyStats(this.m);
    this.blockCells = Math.max(1, Math.ceil(Math.sqrt(cellsPerBaseline)));
  }

  private key(w: string, p: string): number {
    const k = this.keys.key(w, p);
    this.cells = grow(this.cells, (k + 1) * this.grid.cellCount * this.m * MOMENT_STRIDE, initAllMoments);
    return k;
  }

  private page(s: number, page: number, create: boolean): Float64Array | undefined {
    const id = s * 2 ** 26 + page;
    if (id === this.lastPageId && this.lastPage) return this.lastPage;
    let p = this.pages.get(id);
    if (!p && create) {
      p = new Float64Array(PAGE_BUCKETS * this.m * BUCKET_STRIDE);
      this.pages.set(id, p);
    }
    if (p) {
      this.lastPageId = id;
      this.lastPage = p;
    }
    return p;
  }

  add(p: PartialState): void {
    const m = this.m;
    const cellShift = Math.round((p.cellOrigin - this.grid.origin) / this.grid.cellMs);
    const stride = m * MOMENT_STRIDE;
    const keyMap = new Int32Array(p.workloads.length);
    for (let k = 0; k < p.workloads.length; k++) {
      const g = this.key(p.workloads[k], p.processes[k]);
      keyMap[k] = g;
      for (let c = 0; c < p.cellCount; c++) {
        const dst = (g * this.grid.cellCount + cellShift + c) * stride;
        const src = (k * p.cellCount + c) * stride;
        for (let o = 0; o < stride; o += MOMENT_STRIDE) mergeMoments(this.cells, dst + o, p.baseline, src + o);
      }
    }
    const bStride = m * BUCKET_STRIDE;
    const seriesMap = new Int32Array(p.seriesCluster.length);
    for (let s = 0; s < seriesMap.length; s++) seriesMap[s] = this.keys.series(p.clusters[p.seriesCluster[s]], keyMap[p.seriesKey[s]]);
    forEachBucketRow(p, (s, b, src) => {
      const abs = p.firstBucket + b;
      const pageIndex = Math.floor(abs / PAGE_BUCKETS);
      const page = this.page(seriesMap[s], pageIndex, true)!;
      const dst = (abs - pageIndex * PAGE_BUCKETS) * bStride;
      for (let j = 0; j < m; j++) mergeBucket(page, dst + j * BUCKET_STRIDE, p.recent, src + j * BUCKET_STRIDE);
    });
    addStats(this.stats, p.stats);
  }

  /** Merged moments of cells [c0, c1) per key and metric, through complete blocks of cells. */
  private baselineMoments(c0: number, c1: number): Float64Array {
    const keys = this.keys.keyCount;
    const m = this.m;
    const stride = m * MOMENT_STRIDE;
    const out = newMoments(keys * m);
    const B = this.blockCells;
    const addCells = (from: number, to: number) => {
      for (let k = 0; k < keys; k++) {
        for (let c = from; c < to; c++) {
          const src = (k * this.grid.cellCount + c) * stride;
          for (let o = 0; o < stride; o += MOMENT_STRIDE) mergeMoments(out, k * stride + o, this.cells, src + o);
        }
      }
    };
    let c = c0;
    const firstFull = Math.ceil(c0 / B) * B;
    if (firstFull >= c1) {
      addCells(c0, c1);
      return out;
    }
    addCells(c0, firstFull);
    for (c = firstFull; c + B <= c1; c += B) {
      const block = this.block(c / B);
      for (let k = 0; k < block.keys; k++) {
        for (let o = 0; o < stride; o += MOMENT_STRIDE) mergeMoments(out, k * stride + o, block.data, k * stride + o);
      }
    }
    addCells(c, c1);
    return out;
  }

  /** Blocks are only built from cells the pass has completed, so keys added later hold nothing in them. */
  private block(b: number): { keys: number; data: Float64Array } {
    let block = this.blocks.get(b);
    if (!block) {
      const keys = this.keys.keyCount;
      const stride = this.m * MOMENT_STRIDE;
      const data = newMoments(keys * this.m);
      for (let k = 0; k < keys; k++) {
        for (let c = b * this.blockCells; c < (b + 1) * this.blockCells; c++) {
          const src = (k * this.grid.cellCount + c) * stride;
          for (let o = 0; o < stride; o += MOMENT_STRIDE) mergeMoments(data, k * stride + o, this.cells, src + o);
        }
      }
      block = { keys, data };
      this.blocks.set(b, block);
    }
    return block;
  }

  /** A detect-shaped state for T: one merged baseline cell, the window's buckets. */
  view(atMs: number, windowMs: number, baselineMs: number, spanMs: number): PartialState {
    const c0 = Math.round((atMs - baselineMs - this.grid.origin) / this.grid.cellMs);
    const c1 = Math.round((atMs - windowMs - this.grid.origin) / this.grid.cellMs);
    const b0 = (atMs - windowMs) / spanMs;
    const buckets = windowMs / spanMs;
    const bStride = this.m * BUCKET_STRIDE;
    // One buffer for every T: a window is copied page by page, in at most two slices per series.
    const size = this.keys.seriesCount * buckets * bStride;
    if (this.viewBuffer.length < size) this.viewBuffer = new Float64Array(size);
    const recent = this.viewBuffer.subarray(0, size);
    recent.fill(0);
    for (let s = 0; s < this.keys.seriesCount; s++) {
      for (let b = 0; b < buckets;) {
        const abs = b0 + b;
        const pageIndex = Math.floor(abs / PAGE_BUCKETS);
        const within = abs - pageIndex * PAGE_BUCKETS;
        const take = Math.min(PAGE_BUCKETS - within, buckets - b);
        const page = this.page(s, pageIndex, false);
        if (page) recent.set(page.subarray(within * bStride, (within + take) * bStride), (s * buckets + b) * bStride);
        b += take;
      }
    }
    return {
      metrics: this.metrics,
      workloads: this.keys.workloads,
      processes: this.keys.processes,
      cellOrigin: atMs - baselineMs,
      cellCount: 1,
      baseline: this.baselineMoments(c0, c1),
      clusters: this.keys.clusters,
      seriesCluster: Int32Array.from(this.keys.seriesCluster),
      seriesKey: Int32Array.from(this.keys.seriesKey),
      firstBucket: b0,
      bucketCount: buckets,
      recent,
      stats: this.stats,
    };
  }

  /** Cells [c0, c0 + count) of every key as a PartialState: one day's slice for the state store. */
  cellSlice(c0: number, count: number): PartialState {
    const m = this.m;
    const stride = m * MOMENT_STRIDE;
    const keys = this.keys.keyCount;
    const baseline = new Float64Array(keys * count * stride);
    for (let k = 0; k < keys; k++) {
      const src = (k * this.grid.cellCount + c0) * stride;
      baseline.set(this.cells.subarray(src, src + count * stride), k * count * stride);
    }
    return {
      metrics: this.metrics, workloads: this.keys.workloads.slice(), processes: this.keys.processes.slice(),
      cellOrigin: this.grid.origin + c0 * this.grid.cellMs, cellCount: count, baseline,
      clusters: [], seriesCluster: new Int32Array(0), seriesKey: new Int32Array(0),
      firstBucket: 0, bucketCount: 0, recent: new Float64Array(0), stats: emptyStats(m),
    };
  }

  /** Frees recent pages that end before `bucket` and blocks no later baseline will use. */
  forget(beforeBucket: number, beforeCell: number): void {
    const firstPage = Math.floor(beforeBucket / PAGE_BUCKETS);
    for (const id of this.pages.keys()) if (id % 2 ** 26 < firstPage) this.pages.delete(id);
    this.lastPageId = -1;
    this.lastPage = undefined;
    for (const b of this.blocks.keys()) if ((b + 1) * this.blockCells <= beforeCell) this.blocks.delete(b);
  }
}

