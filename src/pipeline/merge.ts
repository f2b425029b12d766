import { compareFindings, type Finding } from '../evaluate/finding.js';
import { findingSeries, type FindingSeries } from '../evaluate/findingSeries.js';
import { Suppressions } from '../evaluate/suppressions.js';
import type { PartialsStore } from '../io/partialsStore.js';
import type { ReportInput } from '../output/htmlReport.js';
import { detectionTimes, huntGrid } from '../plan/planHunt.js';
import { detectWindow } from '../plan/scanWindow.js';
import { PartialMerger } from '../reduce/mergePartials.js';
import type { PartialState, ScanStats } from '../state/partialState.js';
import { decodeTaskState, type EncodedTask } from '../state/taskPartial.js';
import { collectWarnings, mergeWarningsByMax, type DataWarning } from './dataWarnings.js';
import { emptyWindowWarnings } from './emptyWindows.js';
import { evaluateKeyings, keyingGroups, keyingSeries } from './detectRules.js';
import { HuntPass } from './huntPass.js';
import { decodeRecord } from './shardRecords.js';
import { metaRules } from './shardMeta.js';
import { gatherShards, openShard, type ShardSet } from './shardSet.js';

export interface MergeResult {
  set: ShardSet;
  findings: Finding[];
  warnings: DataWarning[];
  /** detect: windows that hold no rows, as detect says them */
  emptyWindows: string[];
  rowsRead: number;
  report: () => ReportInput;
}

/** Every stored task of the set, in plan order, checked against its digest and decoded. */
async function* tasksOf(store: PartialsStore, set: ShardSet): AsyncGenerator<{ task: EncodedTask; state: PartialState }> {
  for (const s of set.shards) {
    const { reader, close } = await openShard(store, s.name);
    try {
      for await (const task of reader.tasks()) yield { task, state: decodeTaskState(task, set.metrics) };
    } catch (e) {
      throw new Error(`merge: ${store.describe(s.name)} cannot be read: ${(e as Error).message}`, { cause: e });
    } finally {
      await close();
    }
  }
}

/**
 * `egress-anomaly merge`: the findings of all N shards of one plan, exactly those one machine
 * reports. Task partials are fed to the same reducer (PartialMerger for detect, hunt's pass for a
 * hunt cut by row group) in plan order, so equality holds by construction; a hunt cut by time
 * brings its findings already evaluated, and merge gathers them.
 */
export async function mergeShards(store: PartialsStore): Promise<MergeResult> {
  const set = await gatherShards(store);
  const { meta } = set;
  if (meta.command === 'detect') return mergeDetect(store, set);
  if (meta.split === 'row-group') return mergeHuntPass(store, set);
  return mergeHuntTimes(store, set);
}

const suppressionsOf = (set: ShardSet) => (set.meta.suppress ? new Suppressions(set.meta.suppress) : undefined);

async function mergeDetect(store: PartialsStore, set: ShardSet): Promise<MergeResult> {
  const { params } = set.meta;
  const atMs = set.meta.atMs!;
  const groups = keyingGroups(metaRules(set.meta));
  const window = detectWindow(atMs, params);
  const mergers = groups.map(() => new PartialMerger(set.metrics, window));
  const perTask: { path: string; state: ScanStats }[] = [];
  for await (const { task, state: p } of tasksOf(store, set)) {
    const k = task.task % groups.length;
    mergers[k].add(p);
    if (k === 0) perTask.push({ path: task.path, state: p.stats });
  }
  const passes = evaluateKeyings(groups, mergers.map((m) => m.result()), atMs, suppressionsOf(set));
  const state = passes[0].state;
  const findings = passes.flatMap((k) => k.findings).sort(compareFindings);
  return {
    set, findings, warnings: collectWarnings(set.metrics, perTask), rowsRead: state.stats.rowsRead,
    emptyWindows: emptyWindowWarnings(set.meta.coverage, state, atMs, params.windowMs, params.baselineMs),
    report: () => ({
      command: 'detect', detectionTimes: [atMs], params, rules: metaRules(set.meta).map((p) => p.rule!), clusters: state.clusters.slice(), findings,
      series: passes.flatMap((k) => keyingSeries(k, atMs)),
    }),
  };
}

function huntReport(set: ShardSet, findings: Finding[], clusters: Set<string>, series: FindingSeries[]): () => ReportInput {
  const { fromMs, toMs, stepMs, params } = set.meta;
  return () => ({
    command: 'hunt', detectionTimes: detectionTimes(fromMs!, toMs!, stepMs!), params, rules: metaRules(set.meta).map((p) => p.rule!), clusters: [...clusters], findings, series,
  });
}

async function mergeHuntPass(store: PartialsStore, set: ShardSet): Promise<MergeResult> {
  const { params, fromMs, toMs, stepMs } = set.meta;
  const grid = huntGrid(fromMs!, toMs!, stepMs!, params);
  if (!grid) throw new Error('merge: the shards say the hunt was cut by row group, but its grid needs one detection per T');
  const starts = set.shards.flatMap((s) => s.meta.starts ?? []);
  if (starts.length !== set.meta.taskCount) throw new Error(`merge: the shards give ${starts.length} task starts for ${set.meta.taskCount} tasks`);
  const clusters = new Set<string>();
  const series: FindingSeries[] = [];
  const rules = metaRules(set.meta);
  const passes = keyingGroups(rules).map((g) => new HuntPass({
    metrics: set.metrics, grid, params, evaluate: g.rules, suppress: suppressionsOf(set),
    onEvaluated: (view: PartialState, t, found) => {
      for (const c of view.clusters) clusters.add(c);
      for (const p of rules) series.push(...findingSeries(view, p, found, t));
    },
  }));
  const perTask: { path: string; state: ScanStats }[] = [];
  for await (const { task, state: p } of tasksOf(store, set)) {
    const k = task.task % passes.length;
    const t = (task.task - k) / passes.length;
    if (k === 0) perTask.push({ path: task.path, state: p.stats });
    passes[k].add(p, t + 1 < starts.length ? starts[t + 1] : Infinity);
  }
  for (const x of passes) x.finish();
  const findings = passes.flatMap((x) => x.findings).sort(compareFindings);
  return {
    set, findings, warnings: collectWarnings(set.metrics, perTask), rowsRead: passes[0].merger.stats.rowsRead, emptyWindows: [],
    report: huntReport(set, findings, clusters, series),
  };
}

async function mergeHuntTimes(store: PartialsStore, set: ShardSet): Promise<MergeResult> {
  const findings: Finding[] = [];
  const series: FindingSeries[] = [];
  const clusters = new Set<string>();
  // a task read by several shards (their baselines overlap) is counted once, in plan order
  const tasks = new Map<number, { path: string; state: ScanStats }>();
  const perShard: DataWarning[][] = [];
  let rowsRead = 0;
  for (const s of set.shards) {
    const { reader, close } = await openShard(store, s.name);
    try {
      for (const text of await reader.records()) {
        const r = decodeRecord(text);
        if ('finding' in r) findings.push(r.finding);
        else if ('series' in r) series.push(r.series);
        else if ('clusters' in r) for (const c of r.clusters) clusters.add(c);
        else if ('task' in r) tasks.set(r.task, { path: r.path, state: r.stats });
        else if ('warnings' in r) {
          perShard.push(r.warnings);
          rowsRead += r.rowsRead;
        }
      }
    } catch (e) {
      throw new Error(`merge: ${store.describe(s.name)} cannot be read: ${(e as Error).message}`, { cause: e });
    } finally {
      await close();
    }
  }
  findings.sort(compareFindings);
  let warnings: DataWarning[];
  if (set.meta.onePass) {
    const perTask = [...tasks.keys()].sort((a, b) => a - b).map((k) => tasks.get(k)!);
    for (const t of perTask) rowsRead += t.state.rowsRead;
    warnings = collectWarnings(set.metrics, perTask);
  } else {
    warnings = mergeWarningsByMax(perShard);
  }
  return { set, findings, warnings, rowsRead, emptyWindows: [], report: huntReport(set, findings, clusters, series) };
}

