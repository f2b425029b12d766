import { describe, expect, it } from 'vitest';
import { binOf } from '../src/state/quantileSketch.js';
import { SketchTable } from '../src/state/sketchTable.js';
import { sketchesProblem, type PackedSketches } from '../src/state/packedSketches.js';
import { rng } from './helpers/rng.js';

const SLOTS = 6;

/** Random values, zeros, sub-floor and huge ones, spread over slots 0..SLOTS-1. */
function data(seed: number, n: number): { v: Float64Array; slot: Int32Array } {
  const next = rng(seed);
  const v = new Float64Array(n);
  const slot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    v[i] = u < 0.1 ? 0 : u < 0.12 ? 1e-15 : u < 0.14 ? 1e300 * next() : Math.exp(next() * 30 - 10);
    slot[i] = Math.floor(next() * SLOTS);
  }
  return { v, slot };
}

function tableOf(v: Float64Array, slot: Int32Array, from = 0, to = v.length): SketchTable {
  const t = new SketchTable();
  t.addColumn(v, from, slot.subarray(from, to), to - from, 1, 0);
  return t;
}

const plain = (p: PackedSketches) => ({ lo: [...p.lo], offsets: [...p.offsets], counts: [...p.counts], zeros: [...p.zeros] });

describe('SketchTable', () => {
  it('merges to the same counts as one table of all values, in any order and split', () => {
    const { v, slot } = data(3, 20_000);
    const whole = plain(tableOf(v, slot).pack(SLOTS));
    const next = rng(9);
    for (let trial = 0; trial < 5; trial++) {
      const cuts = [0, ...Array.from({ length: 4 }, () => Math.floor(next() * v.length)).sort((a, b) => a - b), v.length];
      const parts = cuts.slice(1).map((to, k) => tableOf(v, slot, cuts[k], to).pack(SLOTS));
      const order = parts.map((_, k) => k).sort(() => next() - 0.5);
      const merged = new SketchTable();
      for (const k of order) for (let s = 0; s < SLOTS; s++) merged.merge(parts[k], s, s);
      expect(plain(merged.pack(SLOTS))).toEqual(whole);
    }
  });

  it('stores only the bins from the lowest to the highest non-empty one, and grows either way', () => {
    const t = new SketchTable();
    const xs = Float64Array.of(100, 1e6, 0.01, 5, 0, 0, 1e-20);
    t.addColumn(xs, 0, new Int32Array(xs.length), xs.length, 1, 0);
    const p = t.pack(2);
    expect(p.lo[0]).toBe(binOf(1e-20));
    expect(p.offsets[1]).toBe(binOf(1e6) - binOf(1e-20) + 1);
    expect(p.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(p.zeros[0]).toBe(2);
    expect(p.counts[binOf(100) - p.lo[0]]).toBe(1);
    // slot 1 was never touched: empty
    expect(p.offsets[2]).toBe(p.offsets[1]);
    expect(p.zeros[1]).toBe(0);
    expect(sketchesProblem(p, 2)).toBeUndefined();
  });

  it('maps a row to slot slotOf / stride + metric and skips negative slots and invalid values', () => {
    const t = new SketchTable();
    const v = Float64Array.of(1, 2, NaN, -1, Infinity, 3, 4);
    const slotOf = Int32Array.of(14, 14, 14, 14, 14, -1, 0);
    t.addColumn(v, 0, slotOf, v.length, 7, 1);
    const p = t.pack(4);
    const count = (s: number) => p.counts.subarray(p.offsets[s], p.offsets[s + 1]).reduce((a, b) => a + b, 0) + p.zeros[s];
    expect([0, 1, 2, 3].map(count)).toEqual([0, 1, 0, 2]);
  });

  it('refuses a merge that would overflow a bin count', () => {
    const src: PackedSketches = { lo: Int32Array.of(0), offsets: Int32Array.of(0, 1), counts: Uint32Array.of(0xffff_ffff), zeros: Float64Array.of(0) };
    const t = new SketchTable();
    t.merge(src, 0, 0);
    expect(() => t.merge(src, 0, 0)).toThrow(/more than 4294967295 baseline values/);
  });

  it('remaps keys on merge: key k of the source lands on key keyMap[k]', () => {
    const src = tableOf(Float64Array.of(1, 2, 3), Int32Array.of(0, 1, 2)).pack(4);
    const t = new SketchTable();
    t.mergeKeys(src, Int32Array.of(1, 0), 2);
    const p = t.pack(4);
    const count = (s: number) => p.counts.subarray(p.offsets[s], p.offsets[s + 1]).reduce((a, b) => a + b, 0);
    expect([0, 1, 2, 3].map(count)).toEqual([1, 0, 1, 1]);
  });
});
