import { BUCKET_STRIDE, MOMENT_STRIDE, mergeBucket, mergeMoments, newMoments } from '../state/moments.js';
import type { BaselineCells } from '../state/baselineCells.js';
import { addStats, emptyStats, type PartialState, type ScanStats } from '../state/partialState.js';
import type { HuntGrid } from '../plan/planHunt.js';
import { isWeekend, type ScanWindow } from '../plan/scanWindow.js';
import { foldPartial } from './foldPartial.js';
import { KeyedCells } from './keyedCells.js';
import { KeyTable } from './keyTable.js';

const PAGE_BUCKETS = 360;
const MAX_FREE_PAGES = 256;
/** a page's id: series * PAGES_PER_SERIES + page index */
const PAGES_PER_SERIES = 2 ** 26;

function anyCount(a: Float64Array, o: number, stride: number): boolean {
  for (let j = 0; j < stride; j += BUCKET_STRIDE) if (a[o + j] !== 0) return true;
  return false;
}

/**
 * Hunt's reducer: baseline cells and recent buckets in pages, each dropped once no later T needs
 * it, so memory follows the window and baseline of one T, not the length of the range. `view(T)` gives a detect-shaped PartialState for one T,
 * so the rule is evaluated by exactly the same code as detect.
 */
export class HuntMerger {
  private readonly keys = new KeyTable();
  private readonly cells: KeyedCells;
  private readonly pages = new Map<number, Float64Array>();
  /** pages of buckets no T needs any more, reused: a long hunt drops and makes one per series and hour */
  private readonly freePages: Float64Array[] = [];
  private viewBuffer = new Float64Array(0);
  private lastPageId = -1;
  private lastPage: Float64Array | undefined;
  private readonly blocks = new Map<number, { keys: number; data: Float64Array }>();
  private readonly blockCells: number;
  /**
   * Cells that are the first or the last cells of some T's baseline are summed one by one: those
   * below leftEdgeEnd and those in [rightEdgeStart, rightEdgeEnd). Every other cell is only ever
   * summed through its block, and is dropped once its block is built. Memory so follows the
   * hunt's range in cells, plus one baseline in blocks.
   */
  private readonly leftEdgeEnd: number;
  private readonly rightEdgeStart: number;
  private readonly rightEdgeEnd: number;
  private retain: ((cell: number) => boolean) | undefined;
  /** blocks below this are built (or were dropped) */
  private nextBlock = 0;
  readonly stats: ScanStats;
  private readonly m: number;

  /**
   * `phase` with a period (hour-of-day, baselinePhaseOf): each T's baseline is only the cells of
   * its window's phase, a different set per T, so blocks (runs of consecutive cells) serve no T:
   * every cell is kept until no later T needs it.
   */
  constructor(readonly metrics: string[], private readonly grid: HuntGrid, cellsPerBaseline: number,
    private readonly phase: Pick<ScanWindow, 'periodMs' | 'weekdaySplit'> = {}) {
    this.m = metrics.length;
    this.cells = new KeyedCells(this.m);
    this.stats = emptyStats(this.m);
    this.blockCells = Math.max(1, Math.ceil(Math.sqrt(cellsPerBaseline)));
    const t = grid.times;
    const span = t.length === 0 ? 0 : Math.round((t[t.length - 1] - t[0]) / grid.cellMs);
    const B = this.blockCells;
    this.leftEdgeEnd = span + B;
    this.rightEdgeStart = Math.floor(cellsPerBaseline / B) * B;
    this.rightEdgeEnd = cellsPerBaseline + span + 1;
  }

  private needsCell = (c: number): boolean =>
    c < this.leftEdgeEnd || (c >= this.rightEdgeStart && c < this.rightEdgeEnd) || (this.retain?.(c) ?? false);

  /**
   * The pass has merged every row before `boundMs`: build the blocks whose cells are now complete,
   * so that their cells can go before the first T is even evaluated (30 days of 10 s cells would
   * otherwise all be held at once).
   */
  complete(boundMs: number): void {
    if (this.phase.periodMs) return;
    const B = this.blockCells;
    const done = Math.min(Math.floor(this.grid.cellCount / B), Math.floor((boundMs - this.grid.origin) / this.grid.cellMs / B));
    for (let b = this.nextBlock; b < done; b++) this.block(b);
    this.nextBlock = Math.max(this.nextBlock, done);
  }

  /** Cells to keep whatever the pass needs (days still to be saved to --state). */
  retainCells(retain: (cell: number) => boolean): void {
    this.retain = retain;
  }

  private page(s: number, page: number, create: boolean): Float64Array | undefined {
    const id = s * PAGES_PER_SERIES + page;
    if (id === this.lastPageId && this.lastPage) return this.lastPage;
    let p = this.pages.get(id);
    if (!p && create) {
      p = this.freePages.pop()?.fill(0) ?? new Float64Array(PAGE_BUCKETS * this.m * BUCKET_STRIDE);
      this.pages.set(id, p);
    }
    if (p) {
      this.lastPageId = id;
      this.lastPage = p;
    }
    return p;
  }

  /** A task's partial, or a day of baseline cells from --state. Whole pages of a dense partial's buffer become pages: the caller hands the buffer over. */
  add(p: PartialState | BaselineCells): void {
    const cellShift = Math.round((p.cellOrigin - this.grid.origin) / this.grid.cellMs);
    const { seriesMap } = foldPartial(this.keys, this.cells, p, cellShift);
    if (!('seriesCluster' in p)) return;
    if (p.recentRows) this.addSparse(p, seriesMap);
    else this.addDense(p, seriesMap);
    addStats(this.stats, p.stats);
  }

  private addSparse(p: PartialState, seriesMap: Int32Array): void {
    const m = this.m;
    const bStride = m * BUCKET_STRIDE;
    const rows = p.recentRows!;
    const { recent, bucketCount, firstBucket } = p;
    for (let r = 0; r < rows.length; r++) {
      const s = Math.floor(rows[r] / bucketCount);
      const abs = firstBucket + (rows[r] - s * bucketCount);
      const pageIndex = Math.floor(abs / PAGE_BUCKETS);
      const page = this.page(seriesMap[s], pageIndex, true)!;
      const dst = (abs - pageIndex * PAGE_BUCKETS) * bStride;
      for (let j = 0; j < m; j++) mergeBucket(page, dst + j * BUCKET_STRIDE, recent, r * bStride + j * BUCKET_STRIDE);
    }
  }

  /** A dense partial, a page of each series at a time; pages are made only for buckets holding a value. */
  private addDense(p: PartialState, seriesMap: Int32Array): void {
    const m = this.m;
    const bStride = m * BUCKET_STRIDE;
    const { recent, bucketCount, firstBucket } = p;
    for (let s = 0; s < p.seriesCluster.length; s++) {
      for (let b = 0; b < bucketCount;) {
        const abs = firstBucket + b;
        const pageIndex = Math.floor(abs / PAGE_BUCKETS);
        const within = abs - pageIndex * PAGE_BUCKETS;
        const take = Math.min(PAGE_BUCKETS - within, bucketCount - b);
        let page: Float64Array | undefined;
        const id = seriesMap[s] * PAGES_PER_SERIES + pageIndex;
        if (!this.pages.has(id)) {
          // no bucket of this page holds anything yet: the task's run of buckets is copied as is,
          // which is what merging it into zeros gives
          const src0 = (s * bucketCount + b) * bStride;
          let any = false;
          for (let k = 0; k < take && !any; k++) any = anyCount(recent, src0 + k * bStride, bStride);
          // a whole page of the task's buffer (ours once it is added) becomes the page itself
          if (any && take === PAGE_BUCKETS) this.pages.set(id, recent.subarray(src0, src0 + take * bStride));
          else if (any) this.page(seriesMap[s], pageIndex, true)!.set(recent.subarray(src0, src0 + take * bStride), within * bStride);
          b += take;
          continue;
        }
        for (let k = 0; k < take; k++) {
          const src = (s * bucketCount + b + k) * bStride;
          if (!anyCount(recent, src, bStride)) continue;
          page ??= this.page(seriesMap[s], pageIndex, true)!;
          const dst = (within + k) * bStride;
          for (let j = 0; j < bStride; j += BUCKET_STRIDE) mergeBucket(page, dst + j, recent, src + j);
        }
        b += take;
      }
    }
  }

  /** Merged moments of cells [c0, c1) per key and metric, through complete blocks of cells. */
  private baselineMoments(c0: number, c1: number): Float64Array {
    const keys = this.keys.keyCount;
    const stride = this.m * MOMENT_STRIDE;
    const out = newMoments(keys * this.m);
    const B = this.blockCells;
    const firstFull = Math.ceil(c0 / B) * B;
    if (firstFull >= c1) {
      this.cells.sumInto(out, c0, c1, keys);
      return out;
    }
    this.cells.sumInto(out, c0, firstFull, keys);
    let c = firstFull;
    for (; c + B <= c1; c += B) {
      const block = this.block(c / B);
      for (let o = 0; o < block.keys * stride; o += MOMENT_STRIDE) mergeMoments(out, o, block.data, o);
    }
    this.cells.sumInto(out, c, c1, keys);
    return out;
  }

  /** Blocks are only built from cells the pass has completed, so keys added later hold nothing in them. */
  private block(b: number): { keys: number; data: Float64Array } {
    let block = this.blocks.get(b);
    if (!block) {
      const keys = this.keys.keyCount;
      const data = newMoments(keys * this.m);
      this.cells.sumInto(data, b * this.blockCells, (b + 1) * this.blockCells, keys);
      block = { keys, data };
      this.blocks.set(b, block);
      this.cells.forget(b * this.blockCells, (b + 1) * this.blockCells, this.needsCell);
    }
    return block;
  }

  /**
   * Merged moments of the cells of [c0, c1) in the phase of the window starting at cell c1: the
   * runs of windowCells cells one period, two periods, ... before it, in cell order. The grid's
   * cells divide the period and the window (huntGrid), so a cell is wholly in or out, as each of
   * its rows is in detect (inBaselinePhase).
   */
  private phaseMoments(c0: number, c1: number, windowCells: number): Float64Array {
    const periodMs = this.phase.periodMs!;
    const weekdaySplit = this.phase.weekdaySplit;
    const { cellMs, origin } = this.grid;
    const out = newMoments(this.keys.keyCount * this.m);
    const periodCells = periodMs / cellMs;
    const kind = isWeekend(origin + c1 * cellMs);
    for (let k = Math.ceil((c1 - c0) / periodCells); k >= 1; k--) {
      const start = c1 - k * periodCells;
      if (weekdaySplit && isWeekend(origin + start * cellMs) !== kind) continue;
      const a = Math.max(c0, start);
      const b = Math.min(c1, start + windowCells);
      if (a < b) this.cells.sumInto(out, a, b, this.keys.keyCount);
    }
    return out;
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
      baseline: this.phase.periodMs ? this.phaseMoments(c0, c1, windowMs / this.grid.cellMs) : this.baselineMoments(c0, c1),
      clusters: this.keys.clusters,
      seriesCluster: Int32Array.from(this.keys.seriesCluster),
      seriesKey: Int32Array.from(this.keys.seriesKey),
      firstBucket: b0,
      bucketCount: buckets,
      recent,
      stats: this.stats,
    };
  }

  /** Cells [c0, c0 + count) of every key: one day's slice for the state store. */
  cellSlice(c0: number, count: number): BaselineCells {
    const keys = this.keys.keyCount;
    return {
      metrics: this.metrics, workloads: this.keys.workloads.slice(), processes: this.keys.processes.slice(),
      cellOrigin: this.grid.origin + c0 * this.grid.cellMs, cellCount: count, baseline: this.cells.slice(c0, count, keys),
    };
  }

  /**
   * Frees recent pages that end before `beforeBucket`, and cells and blocks before `beforeCell`
   * (except retained cells).
   */
  forget(beforeBucket: number, beforeCell: number): void {
    this.cells.forget(-Infinity, beforeCell, this.retain);
    const firstPage = Math.floor(beforeBucket / PAGE_BUCKETS);
    for (const [id, page] of this.pages) {
      if (id % PAGES_PER_SERIES >= firstPage) continue;
      this.pages.delete(id);
      // a page that is a view of a task's buffer is not kept: it would keep all of that buffer alive
      if (this.freePages.length < MAX_FREE_PAGES && page.byteLength === page.buffer.byteLength) this.freePages.push(page);
    }
    this.lastPageId = -1;
    this.lastPage = undefined;
    for (const b of this.blocks.keys()) if ((b + 1) * this.blockCells <= beforeCell) this.blocks.delete(b);
  }
}

