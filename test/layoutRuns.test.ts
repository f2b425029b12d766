import { describe, expect, it } from 'vitest';
import { layoutRuns } from '../src/scan/layoutRuns.js';

const RUNS: [string, string, number][] = [['w1', 'p1', 3], ['w2', 'p1', 0], ['w2', 'p2', 2], ['w1', 'p1', 1]];
const slotOf = (w: string, p: string) => Number(w[1]) * 10 + Number(p[1]);

describe('layoutRuns', () => {
  it('gives every row its run slot, skipping empty runs', () => {
    const base = new Int32Array(6).fill(-7);
    expect(layoutRuns(RUNS, 6, slotOf, base, null)).toBe(3);
    expect(Array.from(base)).toEqual([11, 11, 11, 22, 22, 11]);
  });

  it('with starts, sets only each run first row and lists the first rows, then n', () => {
    const base = new Int32Array(6).fill(-7);
    const starts = new Int32Array(7).fill(-1);
    expect(layoutRuns(RUNS, 6, slotOf, base, starts)).toBe(3);
    expect(Array.from(starts.subarray(0, 4))).toEqual([0, 3, 5, 6]);
    expect(Array.from(base)).toEqual([11, -7, -7, 22, -7, 11]);
  });

  it('names a layout that does not add up to the row group', () => {
    expect(() => layoutRuns(RUNS, 7, slotOf, new Int32Array(7), null)).toThrow("scan: the file's layout lists 6 rows for a row group of 7");
    expect(() => layoutRuns(RUNS, 4, slotOf, new Int32Array(7), new Int32Array(8))).toThrow("lists 6 rows for a row group of 4");
  });
});
