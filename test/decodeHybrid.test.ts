import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeHybridIndices, decodeHybridLevels } from '../src/parquet/decodeHybrid.js';
import { referenceHybridIndices } from './helpers/hybridReference.js';

function varint(out: number[], v: number): void {
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** RLE / bit-packed hybrid of `values` at `width`, runs as `plan` says: ['rle', n] or ['packed', groups]. */
function encode(values: number[], width: number, plan: ['rle' | 'packed', number][]): Uint8Array {
  const out: number[] = [];
  let i = 0;
  for (const [kind, n] of plan) {
    if (kind === 'rle') {
      varint(out, n * 2);
      const v = values[i]!;
      for (let b = 0; b < Math.ceil(width / 8); b++) out.push(Math.floor(v / 2 ** (8 * b)) & 0xff);
      i += n;
    } else {
      varint(out, n * 2 + 1);
      const bits: number[] = [];
      for (let k = 0; k < n * 8; k++, i++) for (let b = 0; b < width; b++) bits.push(Math.floor((values[i] ?? 0) / 2 ** b) % 2);
      for (let k = 0; k < bits.length; k += 8) out.push(bits.slice(k, k + 8).reduce((acc, bit, j) => acc | (bit << j), 0));
    }
  }
  return Uint8Array.from(out);
}

describe('decodeHybridIndices', () => {
  it('round-trips bit-packed and RLE runs at every width 0-32, returning the largest index', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (width, groups, seed) => {
      const span = 2 ** width;
      let x = seed;
      const values = Array.from({ length: groups * 8 }, () => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return width === 0 ? 0 : Math.floor((x / 2 ** 32) * span);
      });
      const half = Math.floor(groups / 2) * 8;
      // first half bit-packed, then RLE runs of the same value each, padded to the end
      const rle: ['rle', number][] = [];
      for (let i = half; i < values.length;) {
        let j = i;
        while (j < values.length && values[j] === values[i] && j - i < 5) j++;
        rle.push(['rle', j - i]);
        i = j;
      }
      const bytes = encode(values, width, [...(half ? [['packed', half / 8] as ['packed', number]] : []), ...rle]);
      const padded = new Uint8Array(bytes.length + 5);
      padded.set(bytes, 2);
      const out = new Int32Array(values.length + 3);
      const max = decodeHybridIndices(padded, 2, 2 + bytes.length, width, values.length, out, 3);
      expect(Array.from(out.subarray(3), (v) => v >>> 0)).toEqual(values);
      expect(max).toBe(Math.max(...values));
    }), { numRuns: 400 });
  });

  it('takes only the values asked from a padded last group, and the unaligned-read path at the buffer end', () => {
    const values = [5, 1, 7, 3, 0, 2, 6, 4];
    const bytes = encode(values, 3, [['packed', 1]]);
    const out = new Int32Array(5);
    decodeHybridIndices(bytes, 0, bytes.length, 3, 5, out, 0);
    expect(Array.from(out)).toEqual([5, 1, 7, 3, 0]);
  });

  it('throws when the data ends first, or the width is over 32', () => {
    const bytes = encode([1, 2, 3, 4, 5, 6, 7, 0], 3, [['packed', 1]]);
    expect(() => decodeHybridIndices(bytes, 0, bytes.length, 3, 9, new Int32Array(9), 0)).toThrow('dictionary indices end after 8 of 9 values');
    expect(() => decodeHybridIndices(bytes, 0, bytes.length - 1, 3, 8, new Int32Array(8), 0)).toThrow(/end after 0 of 8/);
    expect(() => decodeHybridIndices(Uint8Array.from([0x80]), 0, 1, 3, 1, new Int32Array(1), 0)).toThrow(/end after 0 of 1/);
    expect(() => decodeHybridIndices(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0, 6, 3, 1, new Int32Array(1), 0)).toThrow(/varint too long/);
    expect(() => decodeHybridIndices(new Uint8Array(4), 0, 4, 33, 1, new Int32Array(1), 0)).toThrow(/bit width 33 exceeds 32/);
  });

  it('agrees with the JavaScript reference on any bytes: the same indices and largest one, or the same error', () => {
    const outcome = (f: typeof decodeHybridIndices, bytes: Uint8Array, width: number, count: number) => {
      const out = new Int32Array(count + 2).fill(-9);
      try {
        return { max: f(bytes, 1, bytes.length, width, count, out, 2), out: Array.from(out) };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 700 }), (bytes, width, count) => {
      expect(outcome(decodeHybridIndices, bytes, width, count)).toEqual(outcome(referenceHybridIndices, bytes, width, count));
    }), { numRuns: 3000 });
  });
});

describe('decodeHybridLevels', () => {
  it('gives runs of all-null, all-valid and mixed rows, merged, with the per-row levels of mixed ones', () => {
    const levels = [...Array(20).fill(1), ...Array(10).fill(0), 1, 0, 1, 1, 0, 0, 1, 1, ...Array(8).fill(1), ...Array(3).fill(1)];
    const bytes = encode(levels, 1, [['rle', 12], ['rle', 8], ['rle', 10], ['packed', 1], ['packed', 1], ['rle', 3]]);
    const r = decodeHybridLevels(bytes, 0, bytes.length, levels.length);
    expect(r.valid).toBe(levels.filter((l) => l === 1).length);
    expect(Array.from(r.runs.subarray(0, 2 * r.runCount))).toEqual([20, 1, 10, 0, 8, 2, 11, 1]);
    expect(Array.from(r.levels.subarray(30, 38))).toEqual([1, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('stops at `count` inside a run, and rejects levels above 1 or data that ends first', () => {
    const bytes = encode(Array(16).fill(1), 1, [['rle', 16]]);
    const r = decodeHybridLevels(bytes, 0, bytes.length, 5);
    expect([r.valid, r.runCount, r.runs[0]]).toEqual([5, 1, 5]);
    expect(() => decodeHybridLevels(Uint8Array.from([4, 2]), 0, 2, 2)).toThrow('definition level 2 exceeds the column\'s maximum of 1');
    expect(() => decodeHybridLevels(bytes, 0, bytes.length, 17)).toThrow('definition levels end after 16 of 17 values');
    expect(() => decodeHybridLevels(Uint8Array.from([3]), 0, 1, 8)).toThrow(/end after 0 of 8/);
  });
});
