import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../src/plan/inspectFile.js';
import { huntGrid, planHunt } from '../src/plan/planHunt.js';
import { chooseHuntSplit, cutByRows, cutTimes, taskRows, timeShardTasks } from '../src/plan/shardPlan.js';
import type { RuleParams } from '../src/rule/rule.js';
import { rng } from './helpers/rng.js';

const DAY = 86_400_000;
const H = 3_600_000;
const END = Date.UTC(2026, 3, 1);

/** One file per day, one row group each, `rows` rows (footers as inspectFile would describe them). */
function days(n: number, rows = 1000, known = true): FileInfo[] {
  return Array.from({ length: n }, (_, d) => {
    const start = END - (n - d) * DAY;
    return {
      path: `day=${d}/part-0.parquet`, size: 1, mtimeMs: 1, footer: {} as never, metricColumns: ['tcp.bytes'], ignoredColumns: [],
      exporterLayout: false, notes: [],
      rowGroups: [{ index: 0, rows, minTs: known ? start : undefined, maxTs: known ? start + DAY - 1 : undefined, timestampsComplete: known }],
    };
  });
}

function shardSums(rows: number[], cuts: number[]): number[] {
  return cuts.slice(0, -1).map((c, i) => rows.slice(c, cuts[i + 1]).reduce((s, r) => s + r, 0));
}

describe('cutByRows', () => {
  it('cuts contiguous runs that cover every task once, balanced within one row group', () => {
    const next = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const rows = Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 1000));
      const n = 1 + Math.floor(next() * 9);
      const cuts = cutByRows(rows, n);
      expect(cuts).toHaveLength(n + 1);
      expect(cuts[0]).toBe(0);
      expect(cuts[n]).toBe(rows.length);
      for (let i = 0; i < n; i++) expect(cuts[i + 1]).toBeGreaterThanOrEqual(cuts[i]);
      const total = rows.reduce((s, r) => s + r, 0);
      const max = Math.max(...rows);
      for (const sum of shardSums(rows, cuts)) expect(sum).toBeLessThanOrEqual(total / n + max);
      expect(cutByRows(rows, n)).toEqual(cuts);
    }
  });

  it('splits even tasks evenly, gives a big task a shard of its own, and leaves shards empty when there are fewer tasks', () => {
    expect(cutByRows([10, 10, 10, 10], 2)).toEqual([0, 2, 4]);
    expect(cutByRows([100, 1, 1, 1], 2)).toEqual([0, 1, 4]);
    expect(cutByRows([5, 5], 4)).toEqual([0, 0, 1, 1, 2]);
    expect(cutByRows([0, 0, 0], 3)).toEqual([0, 1, 2, 3]);
  });
});

describe('cutTimes', () => {
  it('gives each shard a contiguous run of T, sizes differing by at most one', () => {
    expect(cutTimes(24, 7)).toEqual([0, 3, 6, 10, 13, 17, 20, 24]);
    expect(cutTimes(2, 3)).toEqual([0, 0, 1, 2]);
  });
});

describe('hunt split', () => {
  const params: RuleParams = { sigma: 3, minCount: 5, windowMs: H, spanMs: 10_000, baselineMs: 30 * DAY, metricPatterns: ['tcp.*'], splunkParity: false };
  const planOf = (files: FileInfo[], from: number, to: number) => planHunt(files, huntGrid(from, to, H, params)!);

  it('has every task read by some time shard, and each shard read what its baselines and windows need', () => {
    const files = days(40);
    const plan = planOf(files, END - 5 * DAY, END - H);
    const lists = timeShardTasks(files, plan, params, 4);
    expect(new Set(lists.flat()).size).toBe(plan.tasks.length);
    const times = plan.grid.times;
    const cuts = cutTimes(times.length, 4);
    for (let i = 0; i < 4; i++) {
      const lo = times[cuts[i]] - params.baselineMs;
      const hi = times[cuts[i + 1] - 1];
      const need = plan.tasks.map((t, k) => [k, files.find((f) => f.path === t.path)!.rowGroups[0]] as const)
        .filter(([, rg]) => rg.maxTs! >= lo && rg.minTs! < hi).map(([k]) => k);
      expect(lists[i]).toEqual(need);
    }
  });

  it('cuts a short hunt by row group and a long one (or a single shard) by time', () => {
    const files = days(120);
    const short = chooseHuntSplit(files, planOf(files, END - DAY, END - H), params, 4);
    expect(short.split).toBe('row-group');
    // by time every shard reads a whole baseline (30 of 31 days); by row group a quarter plus the day of T
    expect(short.timeCost).toBe(31_000);
    expect(short.rowGroupCost).toBeLessThan(short.timeCost);
    const long = chooseHuntSplit(files, planOf(files, END - 80 * DAY, END - H), params, 4);
    expect(long.split).toBe('time');
    expect(long.timeCost).toBeLessThan(long.rowGroupCost);
    expect(chooseHuntSplit(files, planOf(files, END - DAY, END - H), params, 1).split).toBe('time');
  });

  it('reads row groups of unknown time range in every time shard, and counts them whole against row groups', () => {
    const files = days(40, 1000, false);
    const plan = planOf(files, END - DAY, END - H);
    for (const list of timeShardTasks(files, plan, params, 3)) expect(list).toHaveLength(40);
    const c = chooseHuntSplit(files, plan, params, 3);
    expect(c.timeCost).toBe(40_000);
    expect(c.rowGroupCost).toBeGreaterThan(40_000);
    expect(taskRows(files, plan.tasks).reduce((s, r) => s + r, 0)).toBe(40_000);
  });
});
