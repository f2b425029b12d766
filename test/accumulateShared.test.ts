import { Float64, Int64, makeData, type Data } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { accumulateBaseline } from '../src/scan/accumulateBaseline.js';
import { accumulateShared, sharedRuns } from '../src/scan/accumulateShared.js';
import { MOMENT_STRIDE, momentsCount, momentsMean, momentsStdev, newMoments } from '../src/state/moments.js';
import { rng } from './helpers/rng.js';

/**
 * Rows sorted by series (runs of 1 to 300 rows), three keyings of them: the series itself, a
 * coarser keying whose key spans several series, and one that skips some series (-1), as a keying
 * whose key column is null there would. Values carry nulls, NaN, -1 and Infinity.
 */
function keyed(seed: number, withNulls: boolean, asInt64 = false) {
  const next = rng(seed);
  const values: number[] = [];
  const valid: boolean[] = [];
  const slots: number[][] = [[], [], []];
  for (let series = 0; series < 60; series++) {
    const len = 1 + Math.floor(next() * 300);
    const skip = next() < 0.2;
    for (let i = 0; i < len; i++) {
      const u = next();
      let x = series % 3 === 0 ? Math.floor(next() * 1000) : 1e6 + Math.floor(next() * 1024 * 1024) / 1024;
      if (asInt64) x = Math.floor(x);
      let ok = true;
      if (u < 0.02 && !asInt64) x = [NaN, -1, Infinity][Math.floor(next() * 3)];
      else if (u < 0.04 && withNulls) ok = false;
      values.push(ok ? x : 0);
      valid.push(ok);
      slots[0].push(series * MOMENT_STRIDE);
      slots[1].push(Math.floor(series / 4) * MOMENT_STRIDE);
      slots[2].push(skip ? -1 : (series % 7) * MOMENT_STRIDE);
    }
  }
  const n = values.length;
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  valid.forEach((v, i) => { if (v) bitmap[i >> 3] |= 1 << (i & 7); });
  const nulls = valid.filter((v) => !v).length;
  const nullBitmap = nulls > 0 ? { nullBitmap: bitmap } : {};
  const col = (): Data => (asInt64
    ? makeData({ type: new Int64(), length: n, data: BigInt64Array.from(values.map((v) => BigInt(v))), nullCount: nulls, ...nullBitmap }) as unknown as Data
    : makeData({ type: new Float64(), length: n, data: Float64Array.from(values), nullCount: nulls, ...nullBitmap }) as unknown as Data);
  return { col, slots: slots.map((s) => Int32Array.from(s)), n };
}

const finished = (a: Float64Array) => Array.from({ length: a.length / MOMENT_STRIDE }, (_, s) => {
  const o = s * MOMENT_STRIDE;
  return [momentsCount(a, o), momentsMean(a, o), momentsStdev(a, o), a[o + 5], a[o + 6]];
});

describe('accumulateShared', () => {
  for (const [name, withNulls, asInt64] of [['float64 with nulls', true, false], ['float64 without nulls', false, false], ['int64 with nulls', true, true]] as const) {
    it(`gives each keying what it folds alone: counts, means, deviations, extremes, invalid values (${name})`, () => {
      for (const seed of [1, 2, 3]) {
        const { col, slots, n } = keyed(seed, withNulls, asInt64);
        const alone = slots.map((s) => {
          const a = newMoments(60);
          const invalid = accumulateBaseline(col(), s, n, a, 0, true);
          return { a, invalid };
        });
        const runs = sharedRuns(slots, n);
        expect(runs).toBeGreaterThanOrEqual(60);
        const targets = slots.map(() => newMoments(60));
        const invalid = [0, 0, 0];
        accumulateShared(col(), slots, runs, n, targets, 0, invalid);
        expect(invalid).toEqual(alone.map((x) => x.invalid));
        if (!asInt64) expect(invalid[0]).toBeGreaterThan(0);
        for (let k = 0; k < 3; k++) expect(finished(targets[k]), `seed ${seed}, keying ${k}`).toEqual(finished(alone[k].a));
      }
    });
  }

  it('declines rows whose slots change too often for runs to pay', () => {
    const n = 1000;
    const a = Int32Array.from({ length: n }, (_, i) => (i % 50) * MOMENT_STRIDE);
    const b = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 100) * MOMENT_STRIDE);
    expect(sharedRuns([b], n)).toBe(10);
    expect(sharedRuns([a, b], n)).toBe(-1);
  });
});
