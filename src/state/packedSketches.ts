import { MIN_BIN } from './quantileSketch.js';

/**
 * The quantile sketches of a partial (quantileSketch.ts), one per slot, packed into four typed
 * arrays so that a partial moves by transfer and a shard stores them as plain columns. Slots are
 * laid out like the moments: key x cell x metric. Slot s holds zeros[s] zeros and, for
 * t < offsets[s + 1] - offsets[s], counts[offsets[s] + t] values in bin lo[s] + t. Only the bins
 * from a slot's lowest to its highest non-empty one are stored: memory grows with the bins the
 * values span (about 115 per factor of 10 between a key's least and greatest value, 4 bytes each),
 * not with the number of values.
 */
export interface PackedSketches {
  lo: Int32Array;
  offsets: Int32Array;
  counts: Uint32Array;
  zeros: Float64Array;
}

/** The highest bin of a finite value (Number.MAX_VALUE's), rounded up. */
const MAX_BIN = 35_500;

/** Why `p` is not a well-formed set of `slots` sketches, or undefined when it is. */
export function sketchesProblem(p: PackedSketches, slots: number): string | undefined {
  if (p.lo.length !== slots || p.zeros.length !== slots || p.offsets.length !== slots + 1) return `sketches for ${p.lo.length} slots, expected ${slots}`;
  if (p.offsets[0] !== 0 || p.offsets[slots] !== p.counts.length) return 'sketch offsets do not span the counts';
  for (let s = 0; s < slots; s++) {
    const len = p.offsets[s + 1] - p.offsets[s];
    if (len < 0) return `sketch offsets decrease at slot ${s}`;
    if (len > 0 && (p.lo[s] < MIN_BIN || p.lo[s] + len - 1 > MAX_BIN)) return `sketch slot ${s} spans bins outside [${MIN_BIN}, ${MAX_BIN}]`;
    if (!(Number.isInteger(p.zeros[s]) && p.zeros[s] >= 0)) return `sketch slot ${s} has a zero count of ${p.zeros[s]}`;
  }
  return undefined;
}

export function sketchBuffers(p: PackedSketches): ArrayBuffer[] {
  return [p.lo.buffer, p.offsets.buffer, p.counts.buffer, p.zeros.buffer] as ArrayBuffer[];
}
