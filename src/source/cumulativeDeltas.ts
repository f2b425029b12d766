/**
 * Turns cumulative Sum points into deltas, per (series, metric), in time order. A value lower than
 * the previous one, or a new start time, is a reset: the new value is the delta. The first point of
 * a series has nothing to subtract and gives no delta (as a cumulative-to-delta processor does).
 */
export class CumulativeDeltas {
  private readonly slots = new Map<number, number>();
  private lastTs = new Float64Array(1024);
  private lastValue = new Float64Array(1024);
  private lastStart = new Float64Array(1024);
  /** first points, which only set the base */
  firstPoints = 0;
  resets = 0;
  /** points older than the last one converted for their series (from an earlier buffer) */
  late = 0;

  /** The delta for this point, or NaN when it gives none. Call in time order per series. */
  delta(series: number, metric: number, ts: number, value: number, start: number): number {
    const key = series * 65_536 + metric;
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.slots.size;
      if (s >= this.lastTs.length) this.grow();
      this.slots.set(key, s);
      this.lastTs[s] = ts;
      this.lastValue[s] = value;
      this.lastStart[s] = start;
      this.firstPoints++;
      return NaN;
    }
    if (ts <= this.lastTs[s]) {
      if (ts < this.lastTs[s]) this.late++;
      return NaN;
    }
    const prev = this.lastValue[s];
    const reset = value < prev || (start !== 0 && this.lastStart[s] !== 0 && start !== this.lastStart[s]);
    this.lastTs[s] = ts;
    this.lastValue[s] = value;
    this.lastStart[s] = start;
    if (reset) {
      this.resets++;
      return value;
    }
    return value - prev;
  }

  private grow(): void {
    const n = this.lastTs.length * 2;
    const g = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.lastTs = g(this.lastTs);
    this.lastValue = g(this.lastValue);
    this.lastStart = g(this.lastStart);
  }
}
