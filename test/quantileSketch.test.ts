import { describe, expect, it } from 'vitest';
import { ALPHA, FLOOR, GAMMA, MIN_BIN, binOf, binValue, robustStats } from '../src/state/quantileSketch.js';
import { SketchTable } from '../src/state/sketchTable.js';
import { rng } from './helpers/rng.js';

/** Median and scale of `values` through a one-slot sketch, with the values' own min and max. */
function stats(values: number[]): [number, number] {
  const t = new SketchTable();
  t.addColumn(Float64Array.from(values), 0, new Int32Array(values.length), values.length, 1, 0);
  const p = t.pack(1);
  const out = new Float64Array(2);
  const valid = values.filter((x) => x >= 0 && x < Infinity);
  robustStats(p.zeros[0], p.lo[0], p.counts, p.offsets[0], p.offsets[1], Math.min(...valid), Math.max(...valid), out, 0);
  return [out[0], out[1]];
}

/** A value's representative as the sketch gives it: its bin's, clamped to [min, max]. */
const rep = (x: number, min: number, max: number) => (x === 0 ? 0 : Math.min(max, Math.max(min, binValue(binOf(x)))));

describe('the logarithmic mapping', () => {
  it('puts x in the bin (gamma^(i-1), gamma^i], whose representative is within alpha of it', () => {
    const next = rng(5);
    for (let k = 0; k < 20_000; k++) {
      const x = Math.exp(-20.7 + next() * 729); // FLOOR to about 1e307
      const i = binOf(x);
      expect(Number.isInteger(i)).toBe(true);
      expect(GAMMA ** (i - 1)).toBeLessThan(x * (1 + 1e-12));
      expect(GAMMA ** i).toBeGreaterThan(x * (1 - 1e-12));
      expect(Math.abs(binValue(i) - x)).toBeLessThanOrEqual(ALPHA * x * (1 + 1e-9));
    }
  });

  it('is monotone, and maps 1 to bin 0 and a power of gamma to its own bin', () => {
    const xs = Array.from({ length: 5000 }, (_, k) => 1e-6 * 1.0037 ** k);
    const bins = xs.map(binOf);
    for (let k = 1; k < bins.length; k++) expect(bins[k]).toBeGreaterThanOrEqual(bins[k - 1]);
    expect(binOf(1)).toBe(0);
    expect(binOf(GAMMA * 1.000001)).toBe(2);
    expect(binOf(GAMMA / 1.000001)).toBe(1);
  });

  it('clamps values below the floor into the floor bin', () => {
    expect(binOf(FLOOR)).toBe(MIN_BIN);
    expect(binOf(1e-300)).toBe(MIN_BIN);
    expect(binOf(Number.MIN_VALUE)).toBe(MIN_BIN);
    expect(binOf(FLOOR * GAMMA * 1.001)).toBeGreaterThan(MIN_BIN);
  });

  it('gives a finite representative for the largest double', () => {
    expect(Number.isFinite(binValue(binOf(Number.MAX_VALUE)))).toBe(true);
  });
});

describe('median and scale', () => {
  it('take rank floor((n - 1) / 2): the lower median of an even count', () => {
    const [m4] = stats([4, 1, 3, 2]);
    expect(m4).toBe(rep(2, 1, 4));
    const [m5, s5] = stats([100, 1, 3, 2, 4]);
    expect(m5).toBe(rep(3, 1, 100));
    // deviations 0, ~1, ~1, ~1, ~97: the third is the larger of the two near 1
    const mad = Math.max(m5 - rep(2, 1, 100), rep(4, 1, 100) - m5);
    expect(s5).toBe(1.4826 * mad);
    expect(Math.abs(s5 - 1.4826)).toBeLessThan(1.4826 * 0.05);
  });

  it('count zeros exactly, first, with the median as their deviation', () => {
    const [m, s] = stats([0, 0, 7, 8, 9]);
    expect(m).toBe(rep(7, 0, 9));
    // deviations 7, 7, 0, ~1, ~2: rank 2 is 9's
    expect(s).toBe(1.4826 * (rep(9, 0, 9) - m));
    const [mz] = stats([0, 0, 0, 5, 6]);
    expect(mz).toBe(0);
  });

  it('fall back to 1.2533 * the mean absolute deviation where MAD is 0', () => {
    // median 0, MAD 0; the deviations 0, 0, 0, 0, 10 (10 is the maximum: exact) average 2
    const [m, s] = stats([0, 0, 10, 0, 0]);
    expect(m).toBe(0);
    expect(s).toBe(1.2533 * 2);
    const [m2, s2] = stats([5, 5, 5, 100]);
    expect(m2).toBe(rep(5, 5, 100));
    expect(s2).toBe(1.2533 * ((100 - m2) / 4));
  });

  it('are exact for a constant baseline: the constant, and scale 0', () => {
    for (const c of [0.1, 3, 500, 0.7, 1e21, 1e-12]) {
      const [m, s] = stats([c, c, c, c, c]);
      expect(m).toBe(c);
      expect(s).toBe(0);
    }
    expect(stats([0, 0, 0])).toEqual([0, 0]);
  });

  it('leave the scale undefined for one value, and both for none', () => {
    const [m, s] = stats([42]);
    expect(m).toBe(42);
    expect(s).toBeNaN();
    const none = stats([NaN, -1, Infinity]);
    expect(none[0]).toBeNaN();
    expect(none[1]).toBeNaN();
  });

  it('stay within the error bound of the exact median and MAD', () => {
    const next = rng(17);
    let checked = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(next() * 400);
      const spread = next() * 3;
      const values = Array.from({ length: n }, () => (next() < 0.05 ? 0 : Math.exp(next() * spread) * 100));
      const sorted = [...values].sort((a, b) => a - b);
      const r = Math.floor((n - 1) / 2);
      const median = sorted[r];
      const mad = sorted.map((x) => Math.abs(x - median)).sort((a, b) => a - b)[r];
      const [m, s] = stats(values);
      expect(Math.abs(m - median)).toBeLessThanOrEqual(ALPHA * median * (1 + 1e-9));
      // where the bound keeps the sketch's MAD above 0, the scale is 1.4826 times it
      const bound = ALPHA * (2 * median + mad);
      if (n >= 2 && mad > 1.01 * bound) {
        expect(Math.abs(s / 1.4826 - mad)).toBeLessThanOrEqual(bound * (1 + 1e-9));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
