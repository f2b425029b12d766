import { describe, expect, it } from 'vitest';
import type { FileInfo, RowGroupInfo } from '../src/plan/inspectFile.js';
import { huntGrid, planHunt } from '../src/plan/planHunt.js';
import { metricsOf, outsidePhase, planScan, wholeCellOf } from '../src/plan/planScan.js';
import { defaultDetectionTime, inBaselinePhase } from '../src/plan/scanWindow.js';
import { detectWindow } from '../src/plan/scanWindow.js';
import { DEFAULT_PARAMS } from '../src/rule/rule.js';

const H = 3_600_000;
const T = Date.UTC(2026, 0, 31);

function file(path: string, groups: Partial<RowGroupInfo>[], metrics = ['tcp.bytes']): FileInfo {
  return {
    path, size: 1, mtimeMs: 0, footer: undefined as never, metricColumns: metrics, ignoredColumns: [], exporterLayout: false,
    rowGroups: groups.map((g, i) => ({ index: i, rows: 10, timestampsComplete: true, ...g })),
  };
}

describe('planScan', () => {
  it('hour-of-day: prunes a row group only inside one gap between phase windows, and whole-cells one only inside one phase window', () => {
    const w = detectWindow(T, { ...DEFAULT_PARAMS, baselineModel: 'hour-of-day' });
    const D = 24 * H;
    expect(w.periodMs).toBe(D);
    expect([inBaselinePhase(T - D - H, w), inBaselinePhase(T - D - 1, w), inBaselinePhase(T - D, w), inBaselinePhase(T - D - H - 1, w)]).toEqual([true, true, false, false]);
    const rg = (minTs: number, maxTs: number): RowGroupInfo => ({ index: 0, rows: 10, minTs, maxTs, timestampsComplete: true });
    expect(outsidePhase(rg(T - 2 * D + 1, T - D - H - 1), w)).toBe(true);
    expect(outsidePhase(rg(T - 2 * D - 1, T - D - H - 1), w)).toBe(false); // reaches into the day before's window
    expect(outsidePhase(rg(T - 2 * D + 1, T - D - H), w)).toBe(false); // its last row counts
    expect(outsidePhase(rg(T - 3 * D + 1, T - D - H - 1), w)).toBe(false); // spans a whole window
    expect(outsidePhase({ ...rg(T - 2 * D + 1, T - D - H - 1), timestampsComplete: false }, w)).toBe(false);
    expect(wholeCellOf(rg(T - D - H, T - D - 1), w)).toBe(0);
    expect(wholeCellOf(rg(T - D - H - 1, T - D - 1), w)).toBe(-1);
    expect(wholeCellOf(rg(T - 2 * D - H, T - D - 1), w)).toBe(-1);
    const f = file('a.parquet', [{ minTs: T - 2 * D + 1, maxTs: T - D - H - 1 }, { minTs: T - D - H, maxTs: T - D - 1 }, { minTs: T - 2 * H, maxTs: T - 1 }]);
    const plan = planScan([f], w, w.baselineStart, w.recentEnd);
    expect(plan.rowGroupsPruned).toBe(1);
    expect(plan.tasks.map((t) => t.wholeCell)).toEqual([[0], [-1]]);
  });

  it('--weekday-split: counts, and keeps, only the phase windows of earlier days of T\'s kind', () => {
    const D = 24 * H;
    // T = Saturday 2026-01-31 00:00: the window is Friday 23:00-24:00, so the baseline is earlier weekdays' 23:00
    const w = detectWindow(T, { ...DEFAULT_PARAMS, baselineModel: 'hour-of-day', weekdaySplit: true });
    expect(w.weekdaySplit).toBe(true);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((d) => inBaselinePhase(T - d * D - 1, w))).toEqual([true, true, true, true, false, false, true, true]);
    expect(inBaselinePhase(T - 5 * D - H - 1, w)).toBe(false); // Sunday 22:59: outside the phase
    expect(detectWindow(T, { ...DEFAULT_PARAMS, weekdaySplit: true }).weekdaySplit).toBeUndefined(); // flat has no split
    const rg = (minTs: number, maxTs: number): RowGroupInfo => ({ index: 0, rows: 10, minTs, maxTs, timestampsComplete: true });
    expect(outsidePhase(rg(T - 6 * D - H, T - 6 * D - 1), w)).toBe(true); // Saturday's 23:00, in phase but of the other kind
    expect(outsidePhase(rg(T - 7 * D - H, T - 7 * D - 1), w)).toBe(false); // Friday's
    expect(wholeCellOf(rg(T - 6 * D - H, T - 6 * D - 1), w)).toBe(-1);
    expect(wholeCellOf(rg(T - 7 * D - H, T - 7 * D - 1), w)).toBe(0);
  });

  it('prunes row groups whose time range lies outside [T - baseline, T), keeps unknown ones', () => {
    const w = detectWindow(T, DEFAULT_PARAMS);
    const f = file('a.parquet', [
      { minTs: T - 40 * 24 * H, maxTs: T - 30 * 24 * H - 1 },
      { minTs: T - 40 * 24 * H, maxTs: T - 30 * 24 * H },
      { minTs: T, maxTs: T + H },
      { minTs: T - 1, maxTs: T + H },
      {},
      { rows: 0 },
    ]);
    const plan = planScan([f], w, w.baselineStart, w.recentEnd);
    expect(plan.tasks.map((t) => t.rowGroups[0])).toEqual([1, 3, 4]);
    expect(plan.rowGroupsPruned).toBe(3);
    expect(plan.rowGroupsTotal).toBe(6);
  });

  it('places a row group in one baseline cell only when metadata proves every row is there', () => {
    const w = detectWindow(T, DEFAULT_PARAMS);
    const inside: RowGroupInfo = { index: 0, rows: 5, minTs: T - 2 * H, maxTs: T - H - 1, timestampsComplete: true };
    expect(wholeCellOf(inside, w)).toBe(0);
    expect(wholeCellOf({ ...inside, maxTs: T - H }, w)).toBe(-1);
    expect(wholeCellOf({ ...inside, timestampsComplete: false }, w)).toBe(-1);
    expect(wholeCellOf({ ...inside, minTs: undefined }, w)).toBe(-1);
    expect(wholeCellOf({ ...inside, minTs: T - 31 * 24 * H }, w)).toBe(-1);
  });

  it('takes the union of metric columns in code-unit order, null where a file lacks one', () => {
    const files = [file('a', [{}], ['udp.bytes', 'tcp.bytes']), file('b', [{}], ['tcp.retransmits', 'Tcp.x'])];
    expect(metricsOf(files)).toEqual(['Tcp.x', 'tcp.bytes', 'tcp.retransmits', 'udp.bytes']);
    const w = detectWindow(T, DEFAULT_PARAMS);
    const plan = planScan(files, w, w.baselineStart, w.recentEnd);
    expect(plan.tasks[1].metricColumns).toEqual(['Tcp.x', null, 'tcp.retransmits', null]);
  });

  it('defaults T to the end of the last span bucket holding data', () => {
    expect(defaultDetectionTime(T - 1, 10_000)).toBe(T);
    expect(defaultDetectionTime(T, 10_000)).toBe(T + 10_000);
    expect(defaultDetectionTime(T + 9_999, 10_000)).toBe(T + 10_000);
  });
});

describe('planHunt', () => {
  it('uses cells of gcd(step, window, baseline) aligned to --from, or declines off the bucket grid', () => {
    const g = huntGrid(T - 10 * H, T, 90 * 60_000, DEFAULT_PARAMS)!;
    expect(g.cellMs).toBe(30 * 60_000);
    expect(g.origin).toBe(T - 10 * H - 30 * 24 * H);
    expect(g.times).toHaveLength(7);
    expect(huntGrid(T + 5_000, T + H, H, DEFAULT_PARAMS)).toBeUndefined();
    expect(huntGrid(T, T + H, 15_000, DEFAULT_PARAMS)).toBeUndefined();
  });

  it('orders tasks by their first timestamp, unknown first, and slices each task window to its rows', () => {
    const g = huntGrid(T - 2 * H, T, H, DEFAULT_PARAMS)!;
    const f = file('a', [{ minTs: T - 3 * H, maxTs: T - 2 * H - 1 }, {}, { minTs: T - 20 * H, maxTs: T - 19 * H }]);
    const plan = planHunt([f], g);
    expect(plan.tasks.map((t) => t.rowGroups[0])).toEqual([1, 2, 0]);
    expect(plan.taskStart).toEqual([-Infinity, T - 20 * H, T - 3 * H]);
    const w = plan.tasks[2].window;
    expect(w.baselineStart).toBe(T - 3 * H);
    expect(w.baselineEnd).toBe(T - 2 * H);
    expect(w.recentStart).toBe(T - 3 * H);
    expect(plan.tasks[0].window).toEqual(g.window);
  });

  it('folds a row group that every T\'s baseline holds into one cell, as detect does; not one that reaches past that range', () => {
    const g = huntGrid(T - 23 * H, T, H, DEFAULT_PARAMS)!;
    expect(g.common).toEqual({ start: T - 30 * 24 * H, end: T - 24 * H });
    const f = file('a', [
      { minTs: T - 48 * H, maxTs: T - 24 * H - 1 },
      { minTs: T - 48 * H, maxTs: T - 24 * H },
      { minTs: T - 30 * 24 * H - 1, maxTs: T - 29 * 24 * H },
    ]);
    const plan = planHunt([f], g);
    const byGroup = new Map(plan.tasks.map((t) => [t.rowGroups[0], t]));
    const inside = byGroup.get(0)!;
    expect(inside.wholeCell).toEqual([0]);
    expect(inside.window.baselineStart).toBe(T - 48 * H);
    expect(inside.window.baselineEnd).toBe(T - 47 * H);
    expect(inside.window.recentEnd).toBe(inside.window.recentStart);
    for (const i of [1, 2]) expect(byGroup.get(i)!.wholeCell).toEqual([-1]);
    // --state keeps every cell of a day for later runs; a periodic baseline counts rows by their hour
    expect(huntGrid(T - 23 * H, T, H, DEFAULT_PARAMS, true)!.common).toBeUndefined();
    expect(huntGrid(T - 23 * H, T, H, { ...DEFAULT_PARAMS, baselineModel: 'hour-of-day' })!.common).toBeUndefined();
    // T over more than the baseline: no row is in every T's baseline
    expect(huntGrid(T - 30 * 24 * H, T, H, DEFAULT_PARAMS)!.common).toBeUndefined();
  });
});
