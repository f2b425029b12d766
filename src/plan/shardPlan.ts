import type { FileInfo, RowGroupInfo } from './inspectFile.js';
import type { HuntPlan } from './planHunt.js';
import type { ScanTask } from './scanTask.js';
import type { RuleParams } from '../rule/rule.js';

/** Shard `index` of `count`, index counting from 0 (as Kubernetes' JOB_COMPLETION_INDEX does). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * How a hunt is cut. `row-group`: each shard folds a contiguous run of the pass's tasks and merge
 * runs the pass over them. `time`: each shard runs the whole pass for a contiguous run of T,
 * reading every row group its T's windows and baselines need, and merge only collects findings.
 */
export type HuntSplit = 'row-group' | 'time';

function rowGroupOf(byPath: Map<string, FileInfo>, t: ScanTask): RowGroupInfo {
  return byPath.get(t.path)!.rowGroups[t.rowGroups[0]];
}

/** Rows of each task, from the footers. */
export function taskRows(files: FileInfo[], tasks: ScanTask[]): number[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return tasks.map((t) => t.rowGroups.reduce((s, g) => s + byPath.get(t.path)!.rowGroups[g].rows, 0));
}

/**
 * Contiguous runs of tasks in plan order, balanced on rows: shard i takes tasks
 * [cuts[i], cuts[i + 1]). A task goes to the shard its middle row falls in, so the cut depends on
 * the plan alone (never on worker counts) and a row group is never split.
 */
export function cutByRows(rows: readonly number[], count: number): number[] {
  const total = rows.reduce((s, r) => s + r, 0);
  const shardOf = new Int32Array(rows.length);
  let before = 0;
  for (let k = 0; k < rows.length; k++) {
    const middle = total > 0 ? (before + rows[k] / 2) / total : (k + 0.5) / rows.length;
    shardOf[k] = Math.min(count - 1, Math.floor(middle * count));
    before += rows[k];
  }
  const cuts = [0];
  for (let i = 1; i < count; i++) {
    let k = cuts[i - 1];
    while (k < rows.length && shardOf[k] < i) k++;
    cuts.push(k);
  }
  cuts.push(rows.length);
  return cuts;
}

/** Contiguous runs of `n` detection times: shard i evaluates T indexes [cuts[i], cuts[i + 1]). */
export function cutTimes(n: number, count: number): number[] {
  return Array.from({ length: count + 1 }, (_, i) => Math.floor((i * n) / count));
}

/** The rows detection times [first, end) read: every T's baseline and window, [T - baseline, T). */
function neededRange(times: number[], first: number, end: number, p: RuleParams): [number, number] | undefined {
  return end > first ? [times[first] - p.baselineMs, times[end - 1]] : undefined;
}

/** The share of a row group's rows in [lo, hi), taking its rows as spread evenly over its time range (all where unknown). */
function shareIn(rg: RowGroupInfo, lo: number, hi: number): number {
  if (rg.minTs === undefined || rg.maxTs === undefined) return 1;
  if (rg.maxTs < lo || rg.minTs >= hi) return 0;
  const span = rg.maxTs - rg.minTs;
  return span <= 0 ? 1 : (Math.min(hi, rg.maxTs) - Math.max(lo, rg.minTs)) / span;
}

const overlaps = (rg: RowGroupInfo, lo: number, hi: number): boolean =>
  rg.minTs === undefined || rg.maxTs === undefined || (rg.maxTs >= lo && rg.minTs < hi);

/**
 * Per shard of a time split, the tasks (plan indexes, ascending) it reads: those that can hold
 * rows its T's need, and the tasks no shard needs (the plan holds them; reading them keeps the
 * data warnings whole), each given to the first shard whose range begins after its rows.
 */
export function timeShardTasks(files: FileInfo[], plan: HuntPlan, p: RuleParams, count: number): number[][] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const cuts = cutTimes(plan.grid.times.length, count);
  const ranges = Array.from({ length: count }, (_, i) => neededRange(plan.grid.times, cuts[i], cuts[i + 1], p));
  const out: number[][] = ranges.map(() => []);
  for (let k = 0; k < plan.tasks.length; k++) {
    const rg = rowGroupOf(byPath, plan.tasks[k]);
    let needed = false;
    for (let i = 0; i < count; i++) {
      const r = ranges[i];
      if (r && overlaps(rg, r[0], r[1])) {
        out[i].push(k);
        needed = true;
      }
    }
    if (needed) continue;
    const owner = ranges.findIndex((r) => r !== undefined && r[0] > (rg.maxTs ?? -Infinity));
    out[owner < 0 ? count - 1 : owner].push(k);
  }
  return out;
}

export interface HuntSplitChoice {
  split: HuntSplit;
  /** rows the busiest shard reads under each split, plus, for row-group, the rows of the T range merge then folds (a row group's rows taken as spread evenly over its time range) */
  timeCost: number;
  rowGroupCost: number;
}

/**
 * Which split does less on the critical path, in rows. By time, the busiest shard reads its T's
 * range and one baseline before it. By row group, the busiest shard reads 1/N of the rows, but
 * merge then reads and folds the bucket sums of every T's window (about one stored row per input
 * row of the T range) and evaluates every T alone. With even data that is: by row group when the
 * T range is shorter than (1 - 1/N) baselines, by time otherwise (always with one shard).
 */
export function chooseHuntSplit(files: FileInfo[], plan: HuntPlan, p: RuleParams, count: number): HuntSplitChoice {
  const rows = taskRows(files, plan.tasks);
  const byPath = new Map(files.map((f) => [f.path, f]));
  let timeCost = 0;
  for (const tasks of timeShardTasks(files, plan, p, count)) timeCost = Math.max(timeCost, tasks.reduce((s, k) => s + rows[k], 0));
  const cuts = cutByRows(rows, count);
  let busiest = 0;
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let k = cuts[i]; k < cuts[i + 1]; k++) sum += rows[k];
    busiest = Math.max(busiest, sum);
  }
  const times = plan.grid.times;
  const lo = times[0] - p.windowMs;
  const hi = times[times.length - 1];
  let recent = 0;
  for (let k = 0; k < plan.tasks.length; k++) recent += rows[k] * shareIn(rowGroupOf(byPath, plan.tasks[k]), lo, hi);
  const rowGroupCost = busiest + recent;
  return { split: timeCost <= rowGroupCost ? 'time' : 'row-group', timeCost, rowGroupCost };
}
