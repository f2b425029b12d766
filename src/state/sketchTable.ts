import type { PackedSketches } from './packedSketches.js';
import { FLOOR, INV_LN_GAMMA, MIN_BIN } from './quantileSketch.js';

const FIRST_BINS = 16;
const MAX_COUNT = 0xffff_ffff;

/**
 * Growable quantile sketches (quantileSketch.ts), one per slot, in one arena of bin counts: slot s
 * owns size[s] consecutive counts from start[s], for bins lo[s] .. lo[s] + size[s] - 1. A slot
 * outgrowing its range moves to the arena's end with twice the room, so its room is at most twice
 * the bins its values span (plus FIRST_BINS); a full arena is compacted into one twice the slots'
 * room. Memory is so a small multiple of the bins spanned, whatever the number of values; pack()
 * keeps only the spanned bins. Used by the scan (one table per task) and the reducer.
 */
export class SketchTable {
  private counts = new Uint32Array(1024);
  private used = 0;
  /** counts owned by slots: the rest of `used` was left behind by slots that moved */
  private live = 0;
  private start = new Int32Array(0);
  private size = new Int32Array(0);
  private lo = new Int32Array(0);
  private zeros = new Float64Array(0);

  get slots(): number {
    return this.lo.length;
  }

  private reserve(n: number): void {
    const cap = Math.max(n, this.lo.length * 2, 64);
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.start = widen(this.start, (k) => new Int32Array(k));
    this.size = widen(this.size, (k) => new Int32Array(k));
    this.lo = widen(this.lo, (k) => new Int32Array(k));
    this.zeros = widen(this.zeros, (k) => new Float64Array(k));
  }

  /** Makes slot s hold bins a..b (a <= b), keeping its counts. */
  private cover(s: number, a: number, b: number): void {
    const size = this.size[s];
    const l = this.lo[s];
    if (size > 0 && a >= l && b < l + size) return;
    const nl = size > 0 ? Math.min(a, l) : a;
    const nh = size > 0 ? Math.max(b, l + size - 1) : b;
    const cap = Math.max(nh - nl + 1, size * 2, FIRST_BINS);
    // room on the side it grew towards: values drift one way
    const first = size > 0 && a < l && b < l + size ? nh - cap + 1 : size > 0 ? nl : a - ((cap - (b - a + 1)) >> 1);
    if (this.used + cap > this.counts.length) this.compact(cap);
    const at = this.used;
    this.used += cap;
    this.live += cap - size;
    if (size > 0) this.counts.copyWithin(at + (l - first), this.start[s], this.start[s] + size);
    this.start[s] = at;
    this.size[s] = cap;
    this.lo[s] = first;
  }

  /** Moves the slots' counts, in slot order, to an arena of twice their size and `extra`, dropping what was left behind. */
  private compact(extra: number): void {
    const next = new Uint32Array(Math.max(1024, 2 * (this.live + extra)));
    let at = 0;
    for (let s = 0; s < this.lo.length; s++) {
      const n = this.size[s];
      if (n === 0) continue;
      next.set(this.counts.subarray(this.start[s], this.start[s] + n), at);
      this.start[s] = at;
      at += n;
    }
    this.counts = next;
    this.used = at;
  }

  /**
   * Adds v[off + i] for rows i < n to slot slotOf[i] / stride + metric (rows with slotOf[i] < 0
   * skipped), counting only values >= 0 and finite, as the moments do. Runs of one slot are
   * folded with the slot's range in locals.
   */
  addColumn(v: Float64Array, off: number, slotOf: Int32Array, n: number, stride: number, metric: number): void {
    let i = 0;
    while (i < n) {
      const raw = slotOf[i];
      let e = i + 1;
      while (e < n && slotOf[e] === raw) e++;
      if (raw >= 0) this.addRun(v, off + i, off + e, raw / stride + metric);
      i = e;
    }
  }

  private addRun(v: Float64Array, from: number, to: number, s: number): void {
    if (s >= this.lo.length) this.reserve(s + 1);
    let counts = this.counts;
    let lo = this.lo[s];
    let hi = lo + this.size[s];
    let base = this.start[s] - lo;
    let zeros = 0;
    for (let k = from; k < to; k++) {
      const x = v[k];
      if (!(x >= 0 && x < Infinity)) continue;
      if (x === 0) {
        zeros++;
        continue;
      }
      const b = x < FLOOR ? MIN_BIN : Math.ceil(Math.log(x) * INV_LN_GAMMA);
      if (b < lo || b >= hi) {
        this.cover(s, b, b);
        counts = this.counts;
        lo = this.lo[s];
        hi = lo + this.size[s];
        base = this.start[s] - lo;
      }
      counts[base + b]++;
    }
    this.zeros[s] += zeros;
  }

  /** Adds slot `from` of `src` into slot `to`. */
  merge(src: PackedSketches, from: number, to: number): void {
    const a = src.offsets[from];
    const len = src.offsets[from + 1] - a;
    const z = src.zeros[from];
    if (len === 0 && z === 0) return;
    if (to >= this.lo.length) this.reserve(to + 1);
    this.zeros[to] += z;
    if (len === 0) return;
    const l = src.lo[from];
    this.cover(to, l, l + len - 1);
    const counts = this.counts;
    const o = this.start[to] + (l - this.lo[to]);
    for (let t = 0; t < len; t++) {
      const c = counts[o + t] + src.counts[a + t];
      if (c > MAX_COUNT) throw new Error(`state: more than ${MAX_COUNT} baseline values in one bin of one key's sketch`);
      counts[o + t] = c;
    }
  }

  /** Adds every slot of `src`, whose key k (of `perKey` slots) becomes key keyMap[k]. */
  mergeKeys(src: PackedSketches, keyMap: Int32Array, perKey: number): void {
    for (let k = 0; k < keyMap.length; k++) {
      for (let t = 0; t < perKey; t++) this.merge(src, k * perKey + t, keyMap[k] * perKey + t);
    }
  }

  /** Slots below `slots`, each trimmed to its lowest and highest non-empty bin. */
  pack(slots: number): PackedSketches {
    const out: PackedSketches = {
      lo: new Int32Array(slots), offsets: new Int32Array(slots + 1), counts: new Uint32Array(0), zeros: new Float64Array(slots),
    };
    const have = Math.min(slots, this.lo.length);
    const firstOf = new Int32Array(slots);
    for (let s = 0; s < slots; s++) {
      let f = 0;
      let e = 0;
      if (s < have) {
        const st = this.start[s];
        e = this.size[s];
        while (f < e && this.counts[st + f] === 0) f++;
        while (e > f && this.counts[st + e - 1] === 0) e--;
        out.lo[s] = f < e ? this.lo[s] + f : 0;
        out.zeros[s] = this.zeros[s];
      }
      firstOf[s] = f;
      out.offsets[s + 1] = out.offsets[s] + (e - f);
    }
    out.counts = new Uint32Array(out.offsets[slots]);
    for (let s = 0; s < have; s++) {
      const len = out.offsets[s + 1] - out.offsets[s];
      const st = this.start[s] + firstOf[s];
      if (len > 0) out.counts.set(this.counts.subarray(st, st + len), out.offsets[s]);
    }
    return out;
  }

  /** Counts the arena has room for: its memory, 4 bytes each. */
  get arenaBins(): number {
    return this.counts.length;
  }
}
