import type { Data } from 'apache-arrow';
import type { EpochUnit } from '../parquet/epochUnit.js';
import { BUCKET_STRIDE, MOMENT_STRIDE, addBucket, initMoments } from '../state/moments.js';
import { emptyStats, type PartialState, type ScanStats } from '../state/partialState.js';
import { SketchTable } from '../state/sketchTable.js';
import { bucketCountOf, cellCountOf, firstBucketOf, inBaselinePhase, type ScanWindow } from '../plan/scanWindow.js';
import { readMetricRows, readStrings } from './columnReaders.js';
import { readWindowTimestamps } from './readWindowTimestamps.js';
import { accumulateBaseline } from './accumulateBaseline.js';
import { fewChanges, foldKnownRuns, foldShared } from './accumulateShared.js';
import { layoutRuns } from './layoutRuns.js';
import { PairTable } from './pairTable.js';
import { RecentBuckets } from './recentBuckets.js';
import { StringInterner } from './stringInterner.js';
import { ensureScratch, scratch, scratchBuckets, scratchValues } from './scanScratch.js';

/** Columns of one decoded batch; metrics aligned to the task's metric list, null where absent. */
export interface BatchColumns {
  /** absent when the planner placed the whole row group in one baseline cell */
  timestamp?: Data;
  /** the unit of a bare INT64 timestamp's raw values (see readTimestamps) */
  timestampUnit?: EpochUnit;
  /** absent, like timestamp, for a row group wholly in one baseline cell */
  cluster?: Data;
  /** absent when `runs` gives the keys */
  workload?: Data;
  process?: Data;
  /** the exporter's key runs of these rows (workload, process, rows), verified by the scan: the key columns are not decoded */
  runs?: [string, string, number][];
  metrics: (Data | null)[];
}

/** Folds decoded batches into a PartialState. One per task; scratch buffers are shared per thread. */
export class Accumulator {
  private readonly clusters = new StringInterner();
  private readonly workloads = new StringInterner();
  private readonly processes = new StringInterner();
  /** keys: (workload id, process id); series: (cluster id, key) */
  private readonly keys = new PairTable();
  private readonly series = new PairTable();
  private baseline: Float64Array;
  /** only where the window asks for sketches: the flat path never touches one */
  private readonly sketches: SketchTable | undefined;
  private readonly recent: RecentBuckets;
  private readonly m: number;
  private readonly cells: number;
  private readonly buckets: number;
  private readonly firstBucket: number;
  readonly stats: ScanStats;

  constructor(private readonly metrics: string[], private readonly w: ScanWindow) {
    this.m = metrics.length;
    this.cells = cellCountOf(w);
    this.buckets = bucketCountOf(w);
    this.firstBucket = firstBucketOf(w);
    this.baseline = new Float64Array(0);
    this.sketches = w.sketch ? new SketchTable() : undefined;
    this.recent = new RecentBuckets(this.m, this.buckets);
    this.stats = emptyStats(this.m);
  }

  private keyId(wId: number, pId: number): number {
    const k = this.keys.get(wId, pId);
    return k >= 0 ? k : this.newKey(wId, pId);
  }

  private newKey(wId: number, pId: number): number {
    const k = this.keys.add(wId, pId);
    const need = (k + 1) * this.cells * this.m * MOMENT_STRIDE;
    if (need > this.baseline.length) {
      const grown = new Float64Array(Math.max(need, this.baseline.length * 2));
      grown.set(this.baseline);
      for (let o = this.baseline.length; o < grown.length; o += MOMENT_STRIDE) initMoments(grown, o);
      this.baseline = grown;
    }
    return k;
  }

  private seriesId(cId: number, k: number): number {
    const s = this.series.get(cId, k);
    return s >= 0 ? s : this.series.add(cId, k);
  }

  /** Reads the timestamps, tracks the time range; returns how many rows fall in the window. Null ones are counted. */
  addTimestamps(d: Data, rawUnit?: EpochUnit): number {
    return readWindowTimestamps(d, rawUnit, this.w, this.stats);
  }

  /** Each row's workload and process ids from the layout's key runs. */
  private runIds(runs: [string, string, number][], n: number, wIds: Int32Array, pIds: Int32Array): void {
    layoutRuns(runs, n, (w) => this.workloads.idOf(w), wIds, null);
    layoutRuns(runs, n, (_, p) => this.processes.idOf(p), pIds, null);
  }

  /**
   * Folds a batch of metric columns whose keys the exporter's layout gives as runs of rows, all in
   * baseline cell `cell`: no string or timestamp column is decoded at all, and the runs are summed
   * as the layout gives them.
   */
  addRuns(metrics: (Data | null)[], n: number, cell: number, runs: [string, string, number][]): void {
    const count = this.keyRuns(n, cell, runs, !this.sketches);
    if (this.sketches) this.foldBaseline(metrics, scratch.base, n, true);
    else foldKnownRuns(metrics, scratch.base, scratch.recent, count, n, this.baseline, this.stats.invalidValues);
  }

  /**
   * addRuns's keys, in the thread's scratch (valid until the next batch): each row's baseline slot
   * in `base`, or with `starts` only each run's first row's and the runs' first rows in `recent`
   * (see layoutRuns). Returns the number of runs.
   */
  keyRuns(n: number, cell: number, runs: [string, string, number][], starts = false): number {
    ensureScratch(n);
    this.stats.rowsRead += n;
    this.stats.rowsInRange += n;
    const rowStride = this.m * MOMENT_STRIDE;
    const slotOf = (w: string, p: string) => (this.keyId(this.workloads.idOf(w), this.processes.idOf(p)) * this.cells + cell) * rowStride;
    return layoutRuns(runs, n, slotOf, scratch.base, starts ? scratch.recent : null);
  }

  /**
   * Each metric's values into the slots `base` gives its rows: long runs are found once for all
   * metrics (foldShared); else run by run when `grouped` (layout key runs) or slots change rarely.
   */
  foldBaseline(metrics: (Data | null)[], base: Int32Array, n: number, grouped?: boolean): void {
    if (!this.sketches && foldShared(metrics, [base], n, [this.baseline], [this.stats.invalidValues])) return;
    const runs = grouped ?? fewChanges(base, n);
    for (let j = 0; j < this.m; j++) {
      const col = metrics[j];
      if (col !== null) this.stats.invalidValues[j] += accumulateBaseline(col, base, n, this.baseline, j * MOMENT_STRIDE, runs, this.sketches);
    }
  }

  /** The baseline moments a shared fold (accumulateShared) adds into: valid until the next key is added. */
  get baselineMoments(): Float64Array { return this.baseline; }

  get hasSketches(): boolean { return this.sketches !== undefined; }

  /**
   * Folds one batch. `wholeCell` >= 0 says the planner knows every row lies in that baseline cell
   * (and so none in the recent window): the timestamp column was not even decoded.
   */
  add(b: BatchColumns, wholeCell = -1): void {
    const n = this.keyBatch(b, wholeCell);
    if (n > 0) this.foldBaseline(b.metrics, scratch.base, n);
  }

  /**
   * add's keys and recent window: each row's baseline slot into the thread's scratch (valid until
   * the next batch), the recent rows folded; returns the rows to fold, 0 for none.
   */
  keyBatch(b: BatchColumns, wholeCell = -1): number {
    const n = (b.timestamp ?? b.workload!).length;
    if (n === 0) return 0;
    ensureScratch(n);
    const st = this.stats;
    let recentRows = 0;
    if (wholeCell >= 0) {
      st.rowsRead += n;
      st.rowsInRange += n;
    } else {
      if (this.addTimestamps(b.timestamp!, b.timestampUnit) === 0) return 0;
    }
    const ts = scratch.ts;
    const w = this.w;
    const { baselineStart, baselineEnd, cellMs, recentStart, recentEnd } = w;
    const periodic = w.periodMs !== undefined;

    const wIds = scratch.w;
    const pIds = scratch.p;
    if (b.runs) this.runIds(b.runs, n, wIds, pIds);
    else {
      readStrings(b.workload!, this.workloads, wIds);
      readStrings(b.process!, this.processes, pIds);
    }

    const base = scratch.base;
    const recentIdx = scratch.recent;
    const m = this.m;
    const cells = this.cells;
    const rowStride = m * MOMENT_STRIDE;
    let missing = 0;
    let prevW = -2;
    let prevP = -2;
    let prevK = -1;
    for (let i = 0; i < n; i++) {
      base[i] = -1;
      let inBase: boolean;
      let inRecent: boolean;
      let c = wholeCell;
      if (wholeCell >= 0) {
        inBase = true;
        inRecent = false;
      } else {
        const t = ts[i];
        inBase = t >= baselineStart && t < baselineEnd && (!periodic || inBaselinePhase(t, w));
        inRecent = t >= recentStart && t < recentEnd;
        if (!inBase && !inRecent) continue;
        if (inBase) c = cells === 1 ? 0 : Math.floor((t - baselineStart) / cellMs);
      }
      const wi = wIds[i];
      const pi = pIds[i];
      if (wi < 0 || pi < 0) { missing++; continue; }
      let k = prevK;
      if (wi !== prevW || pi !== prevP) {
        k = this.keyId(wi, pi);
        prevW = wi; prevP = pi; prevK = k;
      }
      if (inBase) base[i] = (k * cells + c) * rowStride;
      if (inRecent) recentIdx[recentRows++] = i;
    }

    if (recentRows > 0) missing += this.addRecent(b, recentIdx, recentRows);
    st.rowsMissingKey += missing;
    return n;
  }

  private addRecent(b: BatchColumns, rows: Int32Array, count: number): number {
    const cIds = scratch.c;
    readStrings(b.cluster!, this.clusters, cIds);
    const { ts, w: wIds, p: pIds, base } = scratch;
    const { spanMs } = this.w;
    const first = this.firstBucket;
    const m = this.m;
    // series ids first, so the buckets are sized once for every series of the batch
    const slot = new Int32Array(count);
    const bucket = scratchBuckets(count);
    let lo = this.buckets;
    let hi = -1;
    let missing = 0;
    let prevC = -2;
    let prevW = -2;
    let prevP = -2;
    let prevS = -1;
    for (let r = 0; r < count; r++) {
      const i = rows[r];
      const bi = Math.floor(ts[i] / spanMs) - first;
      bucket[r] = bi;
      if (bi < lo) lo = bi;
      if (bi > hi) hi = bi;
      const ci = cIds[i];
      if (ci < 0) {
        slot[r] = -1;
        missing++;
        continue;
      }
      const wi = wIds[i];
      const pi = pIds[i];
      if (ci !== prevC || wi !== prevW || pi !== prevP) {
        prevS = this.seriesId(ci, this.keyId(wi, pi));
        prevC = ci;
        prevW = wi;
        prevP = pi;
      }
      slot[r] = prevS;
    }
    this.recent.cover(lo, hi, this.series.size);
    const origin = this.recent.lo;
    const len = this.recent.len;
    const rowStride = m * BUCKET_STRIDE;
    for (let r = 0; r < count; r++) {
      const s = slot[r];
      if (s >= 0) slot[r] = (s * len + (bucket[r] - origin)) * rowStride;
    }
    // one pass over the rows, each row's metrics side by side: a series' buckets are touched once
    const recent = this.recent.data;
    const v = scratchValues(count * m);
    const present = new Uint8Array(m);
    for (let j = 0; j < m; j++) {
      const col = b.metrics[j];
      if (col === null || col.nullCount === col.length) continue;
      present[j] = 1;
      readMetricRows(col, rows, count, v.subarray(j * count, (j + 1) * count));
    }
    const invalid = this.stats.invalidValues;
    for (let r = 0; r < count; r++) {
      const o = slot[r];
      if (o < 0) continue;
      for (let j = 0; j < m; j++) {
        if (present[j] === 0) continue;
        const x = v[j * count + r];
        if (x >= 0) {
          addBucket(recent, o + j * BUCKET_STRIDE, x);
        } else if (x < 0 && base[rows[r]] < 0) invalid[j]++; // a row also in the baseline (hunt) was counted there
      }
    }
    return missing;
  }

  finish(): PartialState {
    const keys = this.keys.size;
    const series = this.series.size;
    const { recent, recentRows } = this.recent.toPartial(series);
    return {
      metrics: this.metrics,
      workloads: this.keys.first.map((i) => this.workloads.names[i]),
      processes: this.keys.second.map((i) => this.processes.names[i]),
      cellOrigin: this.w.baselineStart,
      cellCount: this.cells,
      baseline: this.baseline.slice(0, keys * this.cells * this.m * MOMENT_STRIDE),
      clusters: this.clusters.names.slice(),
      seriesCluster: Int32Array.from(this.series.first),
      seriesKey: Int32Array.from(this.series.second),
      firstBucket: this.firstBucket,
      bucketCount: this.buckets,
      recent,
      recentRows,
      stats: this.stats,
      ...(this.sketches ? { sketches: this.sketches.pack(keys * this.cells * this.m) } : {}),
    };
  }
}
