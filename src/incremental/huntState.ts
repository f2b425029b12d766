import type { FileInfo } from '../plan/inspectFile.js';
import { join } from 'node:path';
import { OUTBOUND_KEYING, sameKeying, type Keying } from '../rule/keying.js';
import { DAY_MS, type HuntPlan } from '../plan/planHunt.js';
import type { HuntMerger } from '../reduce/huntMerger.js';
import { emptyStats, type ScanStats } from '../state/partialState.js';
import type { DayStats } from './dayState.js';
import { StateStore, fingerprint } from './stateStore.js';

interface Day {
  day: string;
  start: number;
  print: string;
}

export interface StatePlan {
  store: StateStore;
  /** days whose partials are loaded instead of decoding their row groups */
  reuse: Day[];
  /** days decoded in this run whose partials are then saved */
  save: Day[];
  /** task indexes that reused days make unnecessary */
  skip: Set<number>;
  /** per day start, per input file: what the decoded rows of that day had to skip */
  dayStats: Map<number, Map<string, ScanStats>>;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Which days of the pass can come from state: whole days on the cell grid whose row groups all
 * lie inside the day (so the day's cells are theirs alone) and are unchanged, and whose buckets no
 * T's recent window needs (buckets are not kept).
 */
export async function planState(dir: string, plan: HuntPlan, files: FileInfo[], warn: (m: string) => void): Promise<StatePlan | undefined> {
  const { grid } = plan;
  const { window: w } = grid;
  if (DAY_MS % grid.cellMs !== 0 || ((w.baselineStart % DAY_MS) + DAY_MS) % DAY_MS !== 0 || w.baselineEnd % DAY_MS !== 0) {
    warn(`--state keeps whole days of ${grid.cellMs} ms cells, which this --from/--step/--window/--baseline grid does not align with; running without state`);
    return undefined;
  }
  const store = await StateStore.open(dir, plan.metrics, grid.cellMs, warn);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const tasksOfDay = new Map<number, number[]>();
  const blocked = new Set<number>();
  plan.tasks.forEach((t, i) => {
    const f = byPath.get(t.path)!;
    const rg = f.rowGroups[t.rowGroups[0]];
    const lo = rg.timestampsComplete ? rg.minTs : undefined;
    const hi = rg.timestampsComplete ? rg.maxTs : undefined;
    if (lo === undefined || hi === undefined) {
      for (let d = w.baselineStart; d < w.baselineEnd; d += DAY_MS) blocked.add(d);
      return;
    }
    const d0 = Math.floor(lo / DAY_MS) * DAY_MS;
    const d1 = Math.floor(hi / DAY_MS) * DAY_MS;
    if (d0 !== d1) {
      for (let d = d0; d <= d1; d += DAY_MS) blocked.add(d);
      return;
    }
    const list = tasksOfDay.get(d0) ?? [];
    list.push(i);
    tasksOfDay.set(d0, list);
  });
  const recentFrom = Math.floor(w.recentStart / DAY_MS) * DAY_MS;
  const out: StatePlan = { store, reuse: [], save: [], skip: new Set(), dayStats: new Map() };
  for (let start = w.baselineStart; start < w.baselineEnd; start += DAY_MS) {
    if (blocked.has(start)) continue;
    const tasks = tasksOfDay.get(start) ?? [];
    const print = fingerprint({
      // outbound days keep the fingerprint they had before other keyings existed
      ...(sameKeying(plan.keying, OUTBOUND_KEYING) ? {} : { keying: plan.keying }),
      cellMs: grid.cellMs,
      metrics: plan.metrics,
      rowGroups: tasks.map((i) => {
        const t = plan.tasks[i];
        const f = byPath.get(t.path)!;
        const rg = f.rowGroups[t.rowGroups[0]];
        return [t.path, f.size, f.mtimeMs, rg.index, rg.rows, rg.minTs, rg.maxTs];
      }),
    });
    const day: Day = { day: dayOf(start), start, print };
    if (start + DAY_MS <= recentFrom && store.has(day.day, print)) {
      out.reuse.push(day);
      for (const i of tasks) out.skip.add(i);
    } else {
      out.save.push(day);
    }
  }
  return out;
}

/** A keying's state folder: the outbound keying's is `dir` itself (as before other keyings), another's a subfolder named after it. */
export function keyingStateDir(dir: string, k: Keying): string {
  if (sameKeying(k, OUTBOUND_KEYING)) return dir;
  const name = `${k.key[0]}+${k.key[1]}+by+${k.group}`.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 120);
  return join(dir, `keying=${name}.${fingerprint(k).slice(0, 8)}`);
}

/**
 * Several keyings of one pass: a day comes from state only where every keying has it saved, since
 * its row groups are then decoded for none of them; the others' days are decoded and saved.
 */
export function shareReuse(sps: StatePlan[]): void {
  const common = new Set(sps[0].reuse.map((d) => d.day).filter((day) => sps.every((sp) => sp.reuse.some((d) => d.day === day))));
  for (const sp of sps) {
    sp.save.push(...sp.reuse.filter((d) => !common.has(d.day)));
    sp.save.sort((x, y) => x.start - y.start);
    sp.reuse = sp.reuse.filter((d) => common.has(d.day));
  }
  const skip = new Set([...sps[0].skip].filter((i) => sps.every((sp) => sp.skip.has(i))));
  for (const sp of sps) sp.skip = new Set(skip);
}

/**
 * Loads reused days into the mergers, keying by keying (sps[k] into mergers[k], days in the same
 * order); a day that fails its check in any keying goes back to being decoded for all, before any
 * of its cells are added. Returns what the first keying's loaded days' rows had to skip, so those
 * warnings are not lost with the decode.
 */
export async function loadState(sps: StatePlan[], plan: HuntPlan, mergers: HuntMerger[]): Promise<{ path: string; state: ScanStats }[]> {
  const cellsPerDay = DAY_MS / plan.grid.cellMs;
  const skipped: { path: string; state: ScanStats }[] = [];
  for (const d of sps[0].reuse.slice()) {
    const days = sps.map((sp) => sp.reuse.find((x) => x.day === d.day)!);
    const loaded = await Promise.all(sps.map((sp, k) => sp.store.load(days[k].day, days[k].print, d.start, cellsPerDay)));
    if (loaded.every((l) => l !== undefined)) {
      loaded.forEach((l, k) => mergers[k].add(l!.cells));
      for (const st of loaded[0]!.stats) skipped.push({ path: st.path, state: statsOf(st, plan.metrics.length) });
      continue;
    }
    const ofDay = plan.taskStart.flatMap((t, i) => (t >= d.start && t < d.start + DAY_MS ? [i] : []));
    sps.forEach((sp, k) => {
      sp.reuse.splice(sp.reuse.indexOf(days[k]), 1);
      sp.save.push(days[k]);
      for (const i of ofDay) sp.skip.delete(i);
    });
  }
  return skipped;
}

function statsOf(d: DayStats, metricCount: number): ScanStats {
  const s = emptyStats(metricCount);
  s.rowsMissingKey = d.rowsMissingKey;
  s.rowsNullTimestamp = d.rowsNullTimestamp;
  for (let j = 0; j < metricCount; j++) s.invalidValues[j] = d.invalidValues[j] ?? 0;
  return s;
}

/** Adds a decoded task's skip counts to its day (tasks of a saved day lie inside it). */
export function noteTaskStats(sp: StatePlan, taskStart: number, path: string, stats: ScanStats): void {
  const day = Math.floor(taskStart / DAY_MS) * DAY_MS;
  let perFile = sp.dayStats.get(day);
  if (!perFile) sp.dayStats.set(day, (perFile = new Map()));
  const into = perFile.get(path) ?? emptyStats(stats.invalidValues.length);
  into.rowsMissingKey += stats.rowsMissingKey;
  into.rowsNullTimestamp += stats.rowsNullTimestamp ?? 0;
  for (let j = 0; j < into.invalidValues.length; j++) into.invalidValues[j] += stats.invalidValues[j];
  perFile.set(path, into);
}

export async function saveState(sp: StatePlan, plan: HuntPlan, merger: HuntMerger): Promise<void> {
  const cellsPerDay = DAY_MS / plan.grid.cellMs;
  for (const d of sp.save) {
    const c0 = Math.round((d.start - plan.grid.origin) / plan.grid.cellMs);
    const stats: DayStats[] = [...(sp.dayStats.get(d.start) ?? new Map<string, ScanStats>())].map(([path, st]) => ({
      path, rowsMissingKey: st.rowsMissingKey, rowsNullTimestamp: st.rowsNullTimestamp ?? 0, invalidValues: st.invalidValues,
    }));
    await sp.store.save(d.day, d.print, merger.cellSlice(c0, cellsPerDay), stats);
  }
  await sp.store.commit();
}

/** The cells of the days this run will save: the reducer keeps them until saveState. */
export function savedCells(sp: StatePlan, plan: HuntPlan): (cell: number) => boolean {
  const cellsPerDay = DAY_MS / plan.grid.cellMs;
  return (cell) => {
    const start = plan.grid.origin + Math.floor(cell / cellsPerDay) * DAY_MS;
    return sp.save.some((d) => d.start === start);
  };
}
