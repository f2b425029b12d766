import { BUCKET_STRIDE } from '../state/moments.js';

/**
 * A task's recent-window bucket sums, per series, over only the buckets its rows touch: buckets
 * [lo, lo + len) of the window's `buckets`, widened (at least doubling, either way) as rows arrive.
 * A task of a long hunt so holds its own slice of time, not the whole range per series.
 */
export class RecentBuckets {
  data = new Float64Array(0);
  lo = 0;
  len = 0;
  private readonly stride: number;

  constructor(metricCount: number, private readonly buckets: number) {
    this.stride = metricCount * BUCKET_STRIDE;
  }

  /** Room for `series` series. */
  reserve(series: number): void {
    const need = series * this.len * this.stride;
    if (need <= this.data.length) return;
    const grown = new Float64Array(Math.max(need, this.data.length * 2));
    grown.set(this.data);
    this.data = grown;
  }

  /** Makes buckets [lo, hi] of the window addressable for the first `series` series. */
  cover(lo: number, hi: number, series: number): void {
    const oldLo = this.lo;
    const oldLen = this.len;
    if (oldLen > 0 && lo >= oldLo && hi < oldLo + oldLen) return;
    let newLo = oldLen > 0 ? Math.min(oldLo, lo) : lo;
    let newHi = oldLen > 0 ? Math.max(oldLo + oldLen, hi + 1) : hi + 1;
    const len = Math.min(this.buckets, Math.max(newHi - newLo, 2 * oldLen));
    if (lo < oldLo) newLo = Math.max(0, newHi - len);
    newHi = Math.min(this.buckets, newLo + len);
    newLo = Math.min(newLo, newHi - len);
    const stride = this.stride;
    const grown = new Float64Array(Math.max(series, 1) * len * stride);
    for (let s = 0; s < series && oldLen > 0; s++) {
      grown.set(this.data.subarray(s * oldLen * stride, (s + 1) * oldLen * stride), (s * len + (oldLo - newLo)) * stride);
    }
    this.data = grown;
    this.lo = newLo;
    this.len = len;
  }

  /**
   * The PartialState's `recent` for `series` series over the whole window: sparse rows (indexes
   * series * buckets + bucket) when at most half the window's rows hold a value, else dense.
   */
  toPartial(series: number): { recent: Float64Array; recentRows?: Int32Array } {
    const { stride, len, buckets } = this;
    const held = series * len;
    let used = 0;
    for (let r = 0; r < held; r++) if (this.used(r)) used++;
    if (used * 2 < series * buckets) {
      const recentRows = new Int32Array(used);
      const recent = new Float64Array(used * stride);
      for (let r = 0, u = 0; r < held; r++) {
        if (!this.used(r)) continue;
        const s = Math.floor(r / len);
        recentRows[u] = s * buckets + this.lo + (r - s * len);
        recent.set(this.data.subarray(r * stride, (r + 1) * stride), u * stride);
        u++;
      }
      return { recent, recentRows };
    }
    const recent = new Float64Array(series * buckets * stride);
    for (let s = 0; s < series; s++) recent.set(this.data.subarray(s * len * stride, (s + 1) * len * stride), (s * buckets + this.lo) * stride);
    return { recent };
  }

  private used(r: number): boolean {
    const o = r * this.stride;
    for (let j = 0; j < this.stride; j += BUCKET_STRIDE) if (this.data[o + j] !== 0) return true;
    return false;
  }
}
