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
  /** series the buffer has room for */
  private room = 0;
  private readonly stride: number;

  constructor(metricCount: number, private readonly buckets: number) {
    this.stride = metricCount * BUCKET_STRIDE;
  }

  /**
   * Makes buckets [lo, hi] of the window addressable for `series` series, in one allocation: a
   * batch names all its series before it asks (a task's usual single batch is sized exactly), and
   * more series in a later batch at least double the room, so growing stays linear.
   */
  cover(lo: number, hi: number, series: number): void {
    const oldLo = this.lo;
    const oldLen = this.len;
    const oldRoom = this.room;
    const inRange = oldLen > 0 && lo >= oldLo && hi < oldLo + oldLen;
    if (inRange && series <= oldRoom) return;
    const room = series <= oldRoom ? oldRoom : oldLen > 0 ? Math.max(series, 2 * oldRoom) : series;
    let len = oldLen;
    let newLo = oldLo;
    if (!inRange) {
      newLo = oldLen > 0 ? Math.min(oldLo, lo) : lo;
      let newHi = oldLen > 0 ? Math.max(oldLo + oldLen, hi + 1) : hi + 1;
      len = Math.min(this.buckets, Math.max(newHi - newLo, 2 * oldLen));
      if (lo < oldLo) newLo = Math.max(0, newHi - len);
      newHi = Math.min(this.buckets, newLo + len);
      newLo = Math.min(newLo, newHi - len);
    }
    const { stride } = this;
    const grown = new Float64Array(Math.max(room, 1) * len * stride);
    if (len === oldLen && newLo === oldLo) grown.set(this.data);
    else {
      for (let s = 0; s < oldRoom && oldLen > 0; s++) {
        grown.set(this.data.subarray(s * oldLen * stride, (s + 1) * oldLen * stride), (s * len + (oldLo - newLo)) * stride);
      }
    }
    this.data = grown;
    this.room = room;
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
        const from = r * stride;
        const to = u * stride;
        for (let k = 0; k < stride; k++) recent[to + k] = this.data[from + k];
        u++;
      }
      return { recent, recentRows };
    }
    // a task whose rows span its whole window: its buffer already is the partial
    if (this.lo === 0 && len === buckets && this.data.length === series * buckets * stride) return { recent: this.data };
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
