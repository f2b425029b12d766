import type { Data } from 'apache-arrow';
import { BUCKET_STRIDE, MOMENT_STRIDE, addBucket, addMoment, initMoments } from '../state/moments.js';
import {
  bucketCountOf, cellCountOf, emptyStats, firstBucketOf,
  type PartialState, type ScanStats, type ScanWindow,
} from '../state/partialState.js';
import { readMetric, readStrings, readTimestamps } from './columnReaders.js';
import { StringInterner } from './stringInterner.js';

/** Columns of one decoded batch; metrics aligned to the task's metric list, null where absent. */
export interface BatchColumns {
  timestamp: Data;
  cluster: Data;
  workload: Data;
  process: Data;
  metrics: (Data | null)[];
}

const KEY_RADIX = 1 << 21;

let scratchTs = new Float64Array(0);
let scratchW = new Int32Array(0);
let scratchP = new Int32Array(0);
let scratchC = new Int32Array(0);
let scratchBase = new Int32Array(0);
let scratchRecent = new Int32Array(0);
let scratchValues = new Float64Array(0);

function ensureScratch(n: number): void {
  if (scratchTs.length >= n) return;
  const cap = Math.max(n, scratchTs.length * 2, 1024);
  scratchTs = new Float64Array(cap);
  scratchW = new Int32Array(cap);
  scratchP = new Int32Array(cap);
  scratchC = new Int32Array(cap);
  scratchBase = new Int32Array(cap);
  scratchRecent = new Int32Array(cap);
  scratchValues = new Float64Array(cap);
}

/** Folds decoded batches into a PartialState. One per task; scratch buffers are shared per thread. */
export class Accumulator {
  private readonly clusters = new StringInterner();
  private readonly workloads = new StringInterner();
  private readonly processes = new StringInterner();
  private readonly keyOfPair = new Map<number, number>();
  private keyW: number[] = [];
  private keyP: number[] = [];
  private readonly seriesOf = new Map<number, number>();
  private seriesC: number[] = [];
  private seriesK: number[] = [];
  private baseline: Float64Array;
  private recent: Float64Array;
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
    this.recent = new Float64Array(0);
    this.stats = emptyStats(this.m);
  }

  private keyId(wId: number, pId: number): number {
    const pair = wId * KEY_RADIX + pId;
    let k = this.keyOfPair.get(pair);
    if (k === undefined) {
      k = this.keyW.length;
      this.keyOfPair.set(pair, k);
      this.keyW.push(wId);
      this.keyP.push(pId);
      const stride = this.cells * this.m * MOMENT_STRIDE;
      const need = (k + 1) * stride;
      if (need > this.baseline.length) {
        const grown = new Float64Array(Math.max(need, this.baseline.length * 2));
        grown.set(this.baseline);
        for (let o = this.baseline.length; o < grown.length; o += MOMENT_STRIDE) initMoments(grown, o);
        this.baseline = grown;
      }
    }
    return k;
  }

  private seriesId(cId: number, k: number): number {
    const pair = cId * KEY_RADIX * 8 + k;
    let s = this.seriesOf.get(pair);
    if (s === undefined) {
      s = this.seriesC.length;
      this.seriesOf.set(pair, s);
      this.seriesC.push(cId);
      this.seriesK.push(k);
      const need = (s + 1) * this.buckets * this.m * BUCKET_STRIDE;
      if (need > this.recent.length) {
        const grown = new Float64Array(Math.max(need, this.recent.length * 2));
        grown.set(this.recent);
        this.recent = grown;
      }
    }
    return s;
  }

  /** Reads the timestamps, tracks the time range; returns how many rows fall in the window. */
  addTimestamps(d: Data): number {
    const n = d.length;
    ensureScratch(n);
    const ts = scratchTs;
    readTimestamps(d, ts);
    const st = this.stats;
    st.rowsRead += n;
    const { baselineStart, baselineEnd, recentStart, recentEnd } = this.w;
    let lo = st.minTimestamp;
    let hi = st.maxTimestamp;
    let inRange = 0;
    for (let i = 0; i < n; i++) {
      const t = ts[i];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
      if ((t >= baselineStart && t < baselineEnd) || (t >= recentStart && t < recentEnd)) inRange++;
    }
    st.minTimestamp = lo;
    st.maxTimestamp = hi;
    return inRange;
  }

  add(b: BatchColumns): void {
    const n = b.timestamp.length;
    if (n === 0) return;
    const inRange = this.addTimestamps(b.timestamp);
    if (inRange === 0) return;
    const ts = scratchTs;
    const st = this.stats;
    const { baselineStart, baselineEnd, cellMs, recentStart, recentEnd, spanMs } = this.w;
    st.rowsInRange += inRange;

    const wIds = scratchW;
    const pIds = scratchP;
    const cIds = scratchC;
    readStrings(b.workload, this.workloads, wIds);
    readStrings(b.process, this.processes, pIds);
    readStrings(b.cluster, this.clusters, cIds);

    const base = scratchBase;
    const rec = scratchRecent;
    const m = this.m;
    const cells = this.cells;
    const buckets = this.buckets;
    const first = this.firstBucket;
    let missing = 0;
    let prevW = -2;
    let prevP = -2;
    let prevK = -1;
    for (let i = 0; i < n; i++) {
      base[i] = -1;
      rec[i] = -1;
      const t = ts[i];
      const inBase = t >= baselineStart && t < baselineEnd;
      const inRecent = t >= recentStart && t < recentEnd;
      if (!inBase && !inRecent) continue;
      const wi = wIds[i];
      const pi = pIds[i];
      if (wi < 0 || pi < 0) { missing++; continue; }
      let k = prevK;
      if (wi !== prevW || pi !== prevP) {
        k = this.keyId(wi, pi);
        prevW = wi; prevP = pi; prevK = k;
      }
      if (inBase) {
        const c = Math.floor((t - baselineStart) / cellMs);
        base[i] = (k * cells + c) * m * MOMENT_STRIDE;
      }
      if (inRecent) {
        const ci = cIds[i];
        if (ci < 0) { missing++; continue; }
        const s = this.seriesId(ci, k);
        rec[i] = (s * buckets + (Math.floor(t / spanMs) - first)) * m * BUCKET_STRIDE;
      }
    }
    st.rowsMissingKey += missing;

    const baseline = this.baseline;
    const recent = this.recent;
    const v = scratchValues;
    for (let j = 0; j < m; j++) {
      const col = b.metrics[j];
      if (col === null) continue;
      readMetric(col, v);
      const mo = j * MOMENT_STRIDE;
      const bo = j * BUCKET_STRIDE;
      let invalid = 0;
      for (let i = 0; i < n; i++) {
        const x = v[i];
        const ob = base[i];
        const or = rec[i];
        if (ob < 0 && or < 0) continue;
        if (x >= 0) {
          if (ob >= 0) addMoment(baseline, ob + mo, x);
          if (or >= 0) addBucket(recent, or + bo, x);
        } else if (x < 0) {
          invalid++;
        }
      }
      st.invalidValues[j] += invalid;
    }
  }

  finish(): PartialState {
    const keys = this.keyW.length;
    const series = this.seriesC.length;
    return {
      metrics: this.metrics,
      workloads: this.keyW.map((i) => this.workloads.names[i]),
      processes: this.keyP.map((i) => this.processes.names[i]),
      cellCount: this.cells,
      baseline: this.baseline.slice(0, keys * this.cells * this.m * MOMENT_STRIDE),
      clusters: this.clusters.names.slice(),
      seriesCluster: Int32Array.from(this.seriesC),
      seriesKey: Int32Array.from(this.seriesK),
      bucketCount: this.buckets,
      recent: this.recent.slice(0, series * this.buckets * this.m * BUCKET_STRIDE),
      stats: this.stats,
    };
  }
}
