import { describe, expect, it } from 'vitest';
import {
  squareError,
  MOMENT_STRIDE, addMoment, bucketMean, addBucket, mergeBucket, mergeMoments, momentsCount, momentsMean, momentsStdev, newMoments,
} from '../src/state/moments.js';
import { rng, shuffle } from './helpers/rng.js';

const SCALE = 1024n;

/** Exact mean and sample stdev for values that are multiples of 1/1024, with BigInt arithmetic. */
function exact(values: number[]): { mean: number; stdev: number } {
  let s = 0n;
  let q = 0n;
  for (const v of values) {
    const k = BigInt(v * 1024);
    s += k;
    q += k * k;
  }
  const n = BigInt(values.length);
  const num = n * q - s * s; // variance * n * (n - 1) * SCALE^2
  const den = n * (n - 1n) * SCALE * SCALE;
  const shift = 1n << 80n;
  const variance = Number((num * shift) / den) / Number(shift);
  return { mean: Number(s) / 1024 / values.length, stdev: Math.sqrt(variance) };
}

function finish(values: number[]): { n: number; mean: number; stdev: number } {
  const a = newMoments(1);
  for (const v of values) addMoment(a, 0, v);
  return { n: momentsCount(a, 0), mean: momentsMean(a, 0), stdev: momentsStdev(a, 0) };
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

describe('moments', () => {
  it('matches exact arithmetic where naive sums of squares lose every digit', () => {
    const next = rng(1);
    const values = Array.from({ length: 5000 }, () => 1e9 + Math.floor(next() * 1024) / 1024);
    const got = finish(values);
    const want = exact(values);
    expect(relErr(got.mean, want.mean)).toBeLessThan(1e-15);
    expect(relErr(got.stdev, want.stdev)).toBeLessThan(1e-12);
    let s = 0, q = 0;
    for (const v of values) { s += v; q += v * v; }
    const naive = Math.sqrt(Math.max(0, (q - (s * s) / values.length) / (values.length - 1)));
    expect(relErr(naive, want.stdev)).toBeGreaterThan(1e-3);
  });

  it('agrees with exact arithmetic on heavy-tailed data spanning many magnitudes', () => {
    const next = rng(2);
    const values = Array.from({ length: 20000 }, () => Math.floor(Math.exp(next() * 30)) / 1024);
    const got = finish(values);
    const want = exact(values);
    expect(relErr(got.mean, want.mean)).toBeLessThan(1e-15);
    expect(relErr(got.stdev, want.stdev)).toBeLessThan(1e-14);
  });

  it('gives bit-identical results for any order and any split into merged partials', () => {
    const next = rng(3);
    const values = Array.from({ length: 3000 }, () => next() * 1e6 + (next() < 0.01 ? 1e12 : 0));
    const ref = finish(values);
    for (let trial = 0; trial < 20; trial++) {
      const order = shuffle(values, next);
      const parts = 1 + Math.floor(next() * 12);
      const acc = newMoments(parts + 1);
      order.forEach((v, i) => addMoment(acc, (1 + (i % parts)) * MOMENT_STRIDE, v));
      for (let p = shuffle(Array.from({ length: parts }, (_, i) => i + 1), next), i = 0; i < p.length; i++) {
        mergeMoments(acc, 0, acc, p[i] * MOMENT_STRIDE);
      }
      expect(momentsMean(acc, 0)).toBe(ref.mean);
      expect(momentsStdev(acc, 0)).toBe(ref.stdev);
      expect(momentsCount(acc, 0)).toBe(values.length);
    }
  });

  it('squareError is the exact rounding error of a square, on either side of 2^26 and for fractions', () => {
    // x = m / 1024: x^2 + its error is m^2 / 2^20 exactly, so both scale to integers
    for (const m of [0, 3, 2 ** 26 - 1, 2 ** 26, 2 ** 26 + 1, 2 ** 27 + 1, 94906267, 2 ** 30 + 3, 2 ** 31 + 5, 2 ** 40 + 7]) {
      for (const x of [m, m / 1024]) {
        const p = x * x;
        const scaled = x === m ? 1 : 2 ** 20;
        const mm = BigInt(m) * BigInt(m);
        expect([x, BigInt(p * scaled) + BigInt(squareError(x, p) * scaled)]).toEqual([x, x === m ? mm : mm]);
      }
    }
  });

  it('gives stdev exactly 0 for a constant series, NaN below two values, NaN mean when empty', () => {
    expect(finish([0.1, 0.1, 0.1, 0.1]).stdev).toBe(0);
    expect(finish(Array(1000).fill(123456789.123)).stdev).toBe(0);
    expect(finish([5]).stdev).toBeNaN();
    expect(finish([5]).mean).toBe(5);
    expect(finish([]).mean).toBeNaN();
  });

  it('merging an empty partial changes nothing', () => {
    const a = newMoments(2);
    addMoment(a, 0, 3);
    addMoment(a, 0, 4);
    const before = Array.from(a.subarray(0, MOMENT_STRIDE));
    mergeMoments(a, 0, a, MOMENT_STRIDE);
    expect(Array.from(a.subarray(0, MOMENT_STRIDE))).toEqual(before);
  });

  it('bucket means are order independent and exact for small sets', () => {
    const b = new Float64Array(6);
    for (const v of [0.1, 0.2, 0.3]) addBucket(b, 0, v);
    for (const v of [0.3, 0.1]) addBucket(b, 3, v);
    addBucket(b, 3, 0.2);
    expect(bucketMean(b, 0)).toBe(bucketMean(b, 3));
    expect(bucketMean(b, 0)).toBe(0.2);
    mergeBucket(b, 0, b, 3);
    expect(b[0]).toBe(6);
    expect(bucketMean(b, 0)).toBe(0.2);
  });
});
