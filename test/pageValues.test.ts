import { describe, expect, it } from 'vitest';
import { gatherF64, gatherWords, plainFixed, setValidity, spreadIndices, plainStrings } from '../src/parquet/pageValues.js';
import type { LevelRuns } from '../src/parquet/decodeHybrid.js';
import { ByteDictionary } from '../src/parquet/byteDictionary.js';

/** runs from per-row levels: long stretches of one level as runs, others mixed */
function runsOf(levels: number[]): LevelRuns {
  const runs: number[] = [];
  for (let i = 0; i < levels.length;) {
    let j = i;
    while (j < levels.length && levels[j] === levels[i]) j++;
    const kind = j - i >= 4 ? levels[i]! : 2;
    if (runs.length && runs[runs.length - 1] === kind) runs[runs.length - 2] += j - i;
    else runs.push(j - i, kind);
    i = j;
  }
  return { levels: Uint8Array.from(levels), runs: Int32Array.from(runs), runCount: runs.length / 2, valid: levels.filter((l) => l).length };
}

const levels = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, ...Array(12).fill(1)];
const dense = (n: number) => Array.from({ length: n }, (_, k) => k * 1.5 - 3);

describe('pageValues', () => {
  it('plainFixed spreads 8-byte values over valid rows at any alignment, 0 elsewhere, after row `row`', () => {
    const r = runsOf(levels);
    const src = new Float64Array(dense(r.valid));
    const unaligned = new Uint8Array(src.byteLength + 3);
    unaligned.set(new Uint8Array(src.buffer), 3);
    const out = new Float64Array(levels.length + 2).fill(99);
    plainFixed(unaligned, 3, 8, r, levels.length, r.valid, out.buffer, 2);
    let k = 0;
    expect(Array.from(out)).toEqual([99, 99, ...levels.map((l) => (l ? dense(r.valid)[k++]! : 0))]);
  });

  it('plainFixed copies 4-byte words bit for bit, and a page without nulls as one block', () => {
    const words = Int32Array.from([1, -2, 0x7fc00001, 4]);
    const out = new Int32Array(6);
    plainFixed(new Uint8Array(words.buffer), 0, 4, null, 4, 4, out.buffer, 1);
    expect(Array.from(out)).toEqual([0, 1, -2, 0x7fc00001, 4, 0]);
    const r = runsOf([1, 0, 1, 1]);
    plainFixed(new Uint8Array(words.buffer), 4, 4, r, 4, 3, out.buffer, 0);
    expect(Array.from(out.subarray(0, 4))).toEqual([-2, 0, 0x7fc00001, 4]);
  });

  it('gathers doubles, words and word pairs through indices, spreading them over valid rows', () => {
    const r = runsOf(levels);
    const idx = Int32Array.from({ length: r.valid }, (_, k) => k % 3);
    const dict = Float64Array.from([0.5, -0, NaN]);
    const o = new Float64Array(levels.length);
    gatherF64(idx, dict, r, levels.length, o, 0);
    let k = 0;
    expect(Array.from(o)).toEqual(levels.map((l) => (l ? [0.5, -0, NaN][idx[k++]!]! : 0)));
    const pairs = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const w = new Int32Array(2 * (levels.length + 1));
    gatherWords(idx, pairs, 2, r, levels.length, w, 1);
    k = 0;
    expect(Array.from(w.subarray(2))).toEqual(levels.flatMap((l) => (l ? [pairs[2 * idx[k]!]!, pairs[2 * idx[k++]! + 1]!] : [0, 0])));
    const single = new Int32Array(3);
    gatherWords(Int32Array.from([2, 0, 1]), Int32Array.from([7, 8, 9]), 1, null, 3, single, 0);
    expect(Array.from(single)).toEqual([9, 7, 8]);
  });

  it('spreads string indices, remapped or not; interns PLAIN strings; sets validity bits LSB first', () => {
    const r = runsOf(levels);
    const idx = Int32Array.from({ length: r.valid }, (_, k) => k % 4);
    const o = new Int32Array(levels.length);
    spreadIndices(idx, null, r, levels.length, o, 0);
    let k = 0;
    expect(Array.from(o)).toEqual(levels.map((l) => (l ? idx[k++]! : 0)));
    spreadIndices(idx, Int32Array.from([10, 11, 12, 13]), r, levels.length, o, 0);
    k = 0;
    expect(Array.from(o)).toEqual(levels.map((l) => (l ? 10 + idx[k++]! : 0)));
    const enc = new TextEncoder();
    const parts = ['a', '', 'a', 'ü'].flatMap((s) => { const b = enc.encode(s); return [b.length, 0, 0, 0, ...b]; });
    const dict = new ByteDictionary();
    const so = new Int32Array(5);
    plainStrings(Uint8Array.from(parts), 0, parts.length, dict, runsOf([1, 1, 0, 1, 1]), 5, so, 0);
    expect([Array.from(so), dict.size]).toEqual([[0, 1, 0, 0, 2], 3]);
    const rep = ['x', 'x', 'y', 'x', 'x', ''].flatMap((t) => { const b = enc.encode(t); return [b.length, 0, 0, 0, ...b]; });
    const ro = new Int32Array(6);
    const rd = new ByteDictionary();
    plainStrings(Uint8Array.from(rep), 0, rep.length, rd, null, 6, ro, 0);
    expect([Array.from(ro), rd.size]).toEqual([[0, 0, 1, 0, 0, 2], 3]);
    expect(() => plainStrings(Uint8Array.from(parts), 0, parts.length - 1, new ByteDictionary(), null, 4, so, 0)).toThrow(/runs past the page/);
    expect(() => plainStrings(Uint8Array.from(parts), 0, parts.length, new ByteDictionary(), null, 5, so, 0)).toThrow(/PLAIN strings end after 4 of 5 values/);
    const bm = new Uint8Array(6);
    setValidity(bm, r, levels.length, 3);
    setValidity(bm, null, 10, 3 + levels.length);
    const bits = Array.from({ length: 48 }, (_, i) => (bm[i >> 3]! >> (i & 7)) & 1);
    expect(bits).toEqual([0, 0, 0, ...levels, ...Array(10).fill(1), 0, 0, 0]);
  });
});
