import { describe, expect, it } from 'vitest';
import { HuntMerger } from '../src/reduce/huntMerger.js';
import { huntGrid } from '../src/plan/planHunt.js';
import { Accumulator } from '../src/scan/accumulator.js';
import { DEFAULT_PARAMS, type RuleParams } from '../src/rule/rule.js';
import { BUCKET_STRIDE, bucketMean } from '../src/state/moments.js';
import type { ScanWindow } from '../src/plan/scanWindow.js';
import type { PartialState } from '../src/state/partialState.js';
import { batchOf, type Row } from './helpers/batch.js';

const H = 3_600_000;
const S = 10_000;
const METRICS = ['tcp.bytes'];
const T0 = 1000 * H;
const PARAMS: RuleParams = { ...DEFAULT_PARAMS, windowMs: H, spanMs: S, baselineMs: 3 * H };

/** A task's partial: the rows' buckets in [from, to), laid out as a scan task sends them. */
function partial(rows: Row[], from: number, to: number): PartialState {
  const w: ScanWindow = { baselineStart: from, baselineEnd: from, cellMs: H, recentStart: from, recentEnd: to, spanMs: S };
  const acc = new Accumulator(METRICS, w);
  acc.add(batchOf(rows, METRICS));
  return acc.finish();
}

/** bucket index in T's window -> [count, mean] of its one series */
function windowOf(view: PartialState): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (let b = 0; b < view.bucketCount; b++) {
    const o = b * BUCKET_STRIDE;
    if (view.recent[o] !== 0) out.set(b, [view.recent[o], bucketMean(view.recent, o)]);
  }
  return out;
}

describe('HuntMerger', () => {
  it('gives each T only its own rows, through pages made fresh, shared by two tasks, and reused after an earlier T dropped them', () => {
    const grid = huntGrid(T0, T0 + 2 * H, H, PARAMS)!;
    const merger = new HuntMerger(METRICS, grid, 2 * H / grid.cellMs);
    const row = (ts: number, v: number): Row => ({ ts, cluster: 'c', workload: 'w', process: 'p', 'tcp.bytes': v });
    // T0's window: every bucket, densely
    const first: Row[] = [];
    for (let b = 0; b < 360; b++) first.push(row(T0 - H + b * S, b + 1));
    merger.add(partial(first, T0 - H, T0));
    const at0 = windowOf(merger.view(T0, H, 3 * H, S));
    expect(at0.size).toBe(360);
    expect(at0.get(7)).toEqual([1, 8]);
    // drop T0's buckets, as the pass does once T0 is evaluated
    merger.forget((T0 + H - H) / S, 0);
    // T0 + 1h's window: two tasks, the first dense over 20 buckets, the second adding to two of them
    const second: Row[] = [];
    for (let b = 0; b < 20; b++) second.push(row(T0 + b * S, 100 + b));
    merger.add(partial(second, T0, T0 + 20 * S));
    merger.add(partial([row(T0 + 3 * S, 1), row(T0 + 19 * S + 5, 3)], T0, T0 + 20 * S));
    const at1 = windowOf(merger.view(T0 + H, H, 3 * H, S));
    const want = new Map<number, [number, number]>();
    for (let b = 0; b < 20; b++) want.set(b, [1, 100 + b]);
    want.set(3, [2, (103 + 1) / 2]);
    want.set(19, [2, (119 + 3) / 2]);
    expect(at1).toEqual(want);
  });

  it('gives a series with nothing in T\'s window an empty window, whatever the window before showed', () => {
    const grid = huntGrid(T0, T0 + 2 * H, H, PARAMS)!;
    const merger = new HuntMerger(METRICS, grid, 2 * H / grid.cellMs);
    const row = (ts: number, process: string): Row => ({ ts, cluster: 'c', workload: 'w', process, 'tcp.bytes': 5 });
    // "early" sends in T0's window only, "late" in the next T's only
    const rows: Row[] = [];
    for (let b = 0; b < 360; b++) rows.push(row(T0 - H + b * S, 'early'));
    for (let b = 0; b < 360; b++) rows.push(row(T0 + b * S, 'late'));
    merger.add(partial(rows, T0 - H, T0 + H));
    const counted = (view: PartialState, process: string): number => {
      const s = Array.from(view.seriesKey).findIndex((k) => view.processes[k] === process);
      const stride = METRICS.length * BUCKET_STRIDE;
      let n = 0;
      for (let b = 0; b < view.bucketCount; b++) n += view.recent[(s * view.bucketCount + b) * stride];
      return n;
    };
    const at0 = merger.view(T0, H, 3 * H, S);
    expect([counted(at0, 'early'), counted(at0, 'late')]).toEqual([360, 0]);
    merger.forget(T0 / S, 0);
    const at1 = merger.view(T0 + H, H, 3 * H, S);
    expect([counted(at1, 'early'), counted(at1, 'late')]).toEqual([0, 360]);
  });
});
