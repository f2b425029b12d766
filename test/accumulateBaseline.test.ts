import { Float64, makeData } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { accumulateBaseline, expectIntegers, integersExact, runSums, sumRun } from '../src/scan/accumulateBaseline.js';
import { MOMENT_STRIDE, addMoment, momentsCount, momentsMean, momentsStdev, newMoments } from '../src/state/moments.js';
import { rng } from './helpers/rng.js';

type Kind = 'small integers' | 'large integers' | 'fractions' | 'mixed';

/** Values of one kind, all multiples of 1/1024, so BigInt sums of value * 1024 are exact. */
function value(kind: Kind, next: () => number): number {
  const k = kind === 'mixed' ? (['small integers', 'large integers', 'fractions'] as const)[Math.floor(next() * 3)] : kind;
  if (k === 'small integers') return Math.floor(next() * 1000);
  if (k === 'large integers') return 1e7 + Math.floor(next() * 1e9);
  return 1e6 + Math.floor(next() * 1024 * 1024) / 1024;
}

interface Slot { values: number[]; invalid: number }

/** Runs of random lengths with nulls and unusable values sprinkled in. */
function batch(seed: number, withNulls: boolean) {
  const next = rng(seed);
  const kinds: Kind[] = ['small integers', 'large integers', 'fractions', 'mixed'];
  const values: number[] = [];
  const valid: boolean[] = [];
  const slotOf: number[] = [];
  const slots: Slot[] = [];
  for (let r = 0; r < 40; r++) {
    const kind = kinds[r % kinds.length];
    const slot: Slot = { values: [], invalid: 0 };
    slots.push(slot);
    const len = 1 + Math.floor(next() * 300);
    // some runs wholly null, some wholly usable, the rest sprinkled: each way a run's validity is judged
    const mode = r % 5 === 3 && withNulls ? 'null' : r % 5 === 4 ? 'clean' : 'sprinkled';
    for (let i = 0; i < len; i++) {
      const u = mode === 'clean' ? 1 : next();
      let x = value(kind, next);
      let isValid = mode !== 'null';
      if (u < 0.02) x = [NaN, -1, Infinity][Math.floor(next() * 3)];
      else if (u < 0.04 && withNulls) isValid = false;
      if (!isValid) { /* null: skipped silently */ } else if (x >= 0 && x < Infinity) slot.values.push(x);
      else slot.invalid++;
      values.push(isValid ? x : 0);
      valid.push(isValid);
      slotOf.push((slots.length - 1) * MOMENT_STRIDE);
    }
  }
  const n = values.length;
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  valid.forEach((v, i) => { if (v) bitmap[i >> 3] |= 1 << (i & 7); });
  const nulls = valid.filter((v) => !v).length;
  const col = makeData({ type: new Float64(), length: n, data: Float64Array.from(values), nullCount: nulls, ...(nulls > 0 ? { nullBitmap: bitmap } : {}) });
  return { col, slotOf: Int32Array.from(slotOf), slots, n };
}

const big = (x: number) => BigInt(x * 1024);

describe('accumulateBaseline', () => {
  for (const [withNulls, grouped] of [[false, true], [true, true], [false, false], [true, false]]) {
    it(`sums each ${grouped ? 'run' : 'slot, value by value,'} exactly, small and large integers and fractions alike, and counts what it skips${withNulls ? ', with nulls' : ''}`, () => {
      for (const seed of [1, 2, 3]) {
        const { col, slotOf, slots, n } = batch(seed, withNulls);
        const a = newMoments(slots.length);
        const invalid = accumulateBaseline(col, slotOf, n, a, 0, grouped);
        expect(invalid).toBe(slots.reduce((s, x) => s + x.invalid, 0));
        slots.forEach((slot, i) => {
          const o = i * MOMENT_STRIDE;
          expect(momentsCount(a, o)).toBe(slot.values.length);
          if (slot.values.length === 0) return;
          expect(a[o + 5]).toBe(Math.min(...slot.values));
          expect(a[o + 6]).toBe(Math.max(...slot.values));
          // the compensated pair holds the exact sum
          expect(big(a[o + 1]) + big(a[o + 2])).toBe(slot.values.reduce((s, x) => s + big(x), 0n));
          // and so does the sum of squares (in units of 2^-20), integers past 2^26 included
          expect(BigInt(a[o + 3] * 2 ** 20) + BigInt(a[o + 4] * 2 ** 20)).toBe(slot.values.reduce((s, x) => s + big(x) * big(x), 0n));
          // and the finished mean and stdev are those of value-by-value compensated moments
          const ref = newMoments(1);
          for (const x of slot.values) addMoment(ref, 0, x);
          expect(momentsMean(a, o)).toBe(momentsMean(ref, 0));
          const sd = momentsStdev(ref, 0);
          if (Number.isNaN(sd)) expect(momentsStdev(a, o)).toBeNaN();
          else expect(Math.abs(momentsStdev(a, o) - sd)).toBeLessThanOrEqual(1e-12 * sd);
        });
      }
    });
  }

  it('keeps the sum of squares exact past float64\'s integers', () => {
    // values near 2^24: each square is near 2^48, their sum near 2^55
    const n = 200;
    const data = Float64Array.from({ length: n }, (_, i) => 2 ** 24 + 1 + (i % 2));
    const col = makeData({ type: new Float64(), length: n, data, nullCount: 0 });
    const a = newMoments(1);
    accumulateBaseline(col, new Int32Array(n), n, a, 0, true);
    const exact = Array.from(data).reduce((s, x) => s + BigInt(x) * BigInt(x), 0n);
    expect(BigInt(a[3]) + BigInt(a[4])).toBe(exact);
    expect(momentsStdev(a, 0)).toBeCloseTo(Math.sqrt(0.25 * n / (n - 1)), 12);
  });

  it('gives the same bits whichever loop sums a stretch: bitmap stretches against one tested loop over the same values', () => {
    const next = rng(7);
    const n = 4000;
    const v = Float64Array.from({ length: n }, () => 1e6 + next() * 1e3);
    const bitmap = new Uint8Array(n / 8).fill(255);
    // whole null bytes, and scattered nulls in others
    for (let i = 0; i < n; i++) if ((i >> 3) % 5 === 2 || next() < 0.01) bitmap[i >> 3] &= ~(1 << (i & 7));
    const marked = v.map((x, i) => ((bitmap[i >> 3] >> (i & 7)) & 1 ? x : NaN));
    for (const [from, to] of [[0, n], [3, 3999], [17, 2500]]) {
      expect(sumRun(v, from, to, false, bitmap)).toBe(0);
      const stretches = Array.from(runSums);
      // the NaNs send the whole run through the tested loop
      expect(sumRun(marked, from, to, true)).toBe(0);
      expect([from, to, stretches]).toEqual([from, to, Array.from(runSums)]);
    }
  });

  it('sums integers plainly a block at a time, as exactly as the compensated loop, and falls back where a block would not be exact', () => {
    const next = rng(11);
    const n = 4096;
    const cases: [string, (i: number) => number, boolean][] = [
      ['small integers', () => Math.floor(next() * 5e4), true],
      ['squares past 2^53', () => Math.floor(next() * 2e8), true],
      ['integers past 2^53', (i) => (i === 100 ? 2 ** 60 : i), true],
      ['one fraction', (i) => (i === 2049 ? 0.5 : Math.floor(next() * 1e3)), false],
    ];
    // the exact value of a (sum, error) pair of integers, else its bits
    const exact = (hi: number, lo: number) => (Number.isInteger(hi) && Number.isInteger(lo) ? String(BigInt(hi) + BigInt(lo)) : [hi, lo]);
    const sums = () => [runSums[0], exact(runSums[1], runSums[2]), exact(runSums[3], runSums[4]), runSums[5], runSums[6]];
    for (const [name, value, plain] of cases) {
      const v = Float64Array.from({ length: n }, (_, i) => value(i));
      const bitmap = new Uint8Array(n / 8).fill(255);
      for (let i = 0; i < n; i++) if ((i >> 3) % 7 === 3 || next() < 0.002) bitmap[i >> 3] &= ~(1 << (i & 7));
      const marked = v.map((x, i) => ((bitmap[i >> 3] >> (i & 7)) & 1 ? x : NaN));
      expectIntegers();
      expect(sumRun(v, 1, n - 5, false, bitmap)).toBe(0);
      expect([name, integersExact()]).toEqual([name, plain]);
      const blocks = sums();
      // the NaNs send the whole run through the tested, compensated loop
      expect(sumRun(marked, 1, n - 5, true)).toBe(0);
      expect([name, blocks]).toEqual([name, sums()]);
    }
  });

  it('leaves a stretch to the tested loop when a block holds a negative, NaN or infinite value', () => {
    for (const bad of [-3, NaN, Infinity]) {
      const v = Float64Array.from({ length: 300 }, (_, i) => (i === 250 ? bad : i));
      expectIntegers();
      expect(sumRun(v, 0, 300, false, new Uint8Array(38).fill(255))).toBe(1);
      expect([bad, runSums[0], runSums[1], runSums[6]]).toEqual([bad, 299, 299 * 300 / 2 - 250, 299]);
    }
  });
});
