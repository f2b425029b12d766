import type { Finding } from '../evaluate/finding.js';
import { findingSeries } from '../evaluate/findingSeries.js';
import { planFingerprint } from '../plan/planFingerprint.js';
import { detectionTimes, planHunt, type HuntPlan } from '../plan/planHunt.js';
import { forEachRowGroup, metricsOf } from '../plan/planScan.js';
import { chooseHuntSplit, cutByRows, cutTimes, taskRows, timeShardTasks, type HuntSplit } from '../plan/shardPlan.js';
import { runScan } from '../pool/runScan.js';
import type { ScanStats } from '../state/partialState.js';
import { collectWarnings, mergeWarningsByMax, type DataWarning } from './dataWarnings.js';
import { addTaskSlots, rulesOf, taskSlots, type ShardOutput, type ShardResult } from './detectShard.js';
import { detectRules, keyingGroups, keyingSeries, type KeyingGroup } from './detectRules.js';
import { dataCoverage } from './emptyWindows.js';
import { onePassGrid, type HuntRun } from './hunt.js';
import { HuntPass, addToPasses } from './huntPass.js';
import { fingerprintParts, writeShardFile } from './shardFile.js';
import type { ShardMeta } from './shardMeta.js';
import { encodeRecord } from './shardRecords.js';

/**
 * hunt's share of a sharded run. The plan is the whole hunt's (same grid, same tasks in the same
 * order); `split` (or, for 'auto', chooseHuntSplit on the plan's row counts) says how it is cut.
 * A grid that one pass cannot serve is always cut by time: its T are independent detections.
 */
export async function huntShard(run: Omit<HuntRun, 'stateDir'>, out: ShardOutput, requested: HuntSplit | 'auto'): Promise<ShardResult> {
  const { params, files } = run;
  const { grid, why } = onePassGrid(run);
  const metrics = metricsOf(files);
  const meta: ShardMeta = {
    command: 'hunt', split: 'time', params, rules: run.rules ?? [params], suppress: rulesOf(run.suppress), fromMs: run.fromMs, toMs: run.toMs, stepMs: run.stepMs,
    onePass: grid !== undefined, taskCount: 0, rowGroupsTotal: 0, rowGroupsPruned: 0, fileCount: files.length, coverage: dataCoverage(files),
  };
  if (!grid) {
    run.onWarning?.(`${why}: running one detection per T instead of one pass, and cutting by time`);
    const counts = forEachRowGroup(files, metrics, -Infinity, Infinity, () => undefined);
    return perTimeShard(run, out, { ...meta, rowGroupsTotal: counts.rowGroupsTotal }, metrics);
  }
  const groups = keyingGroups(meta.rules!);
  const plan = planHunt(files, grid, groups.map((g) => g.keying));
  const split = requested === 'auto' ? chooseHuntSplit(files, plan, params, out.shard.count).split : requested;
  Object.assign(meta, { split, taskCount: plan.tasks.length, rowGroupsTotal: plan.rowGroupsTotal, rowGroupsPruned: plan.rowGroupsPruned });
  return split === 'row-group' ? rowGroupShard(run, out, plan, meta, groups.length) : timeShard(run, out, plan, meta, groups);
}

/** A contiguous run of the pass's tasks, stored unmerged under their plan indexes; merge runs the pass. */
async function rowGroupShard(run: Omit<HuntRun, 'stateDir'>, out: ShardOutput, plan: HuntPlan, meta: ShardMeta, keyings: number): Promise<ShardResult> {
  const cuts = cutByRows(taskRows(run.files, plan.tasks), out.shard.count);
  const first = cuts[out.shard.index];
  const end = cuts[out.shard.index + 1];
  const tasks = taskSlots(first, end, keyings);
  const fingerprint = planFingerprint(run.files, fingerprintParts(meta, plan.metrics));
  const stored: ShardMeta = { ...meta, starts: plan.taskStart.slice(first, end) };
  const perTask: { path: string; state: ScanStats }[] = [];
  let rowsRead = 0;
  const written = await writeShardFile({ store: out.store, shard: out.shard, fingerprint, metrics: plan.metrics, meta: stored, kind: 'tasks', tasks }, async (w) => {
    let k = first;
    await runScan(run.pool, plan.tasks.slice(first, end), (p, task) => {
      perTask.push({ path: task.path, state: p.stats });
      rowsRead += p.stats.rowsRead;
      addTaskSlots(w, p, k, keyings, task.path, plan.taskStart[k]);
      k++;
    }, (d, t) => run.onProgress?.('scan', d, t));
    out.beforeCommit?.(collectWarnings(plan.metrics, perTask));
  });
  return { ...written, split: 'row-group', tasks: end - first, taskCount: plan.tasks.length, rowsRead, warnings: collectWarnings(plan.metrics, perTask) };
}

/**
 * A contiguous run of T, evaluated here over every task its windows and baselines need, on the
 * whole hunt's grid (so each T's baseline is summed through the same cells and blocks as on one
 * machine). The findings are final; merge only gathers them.
 */
async function timeShard(run: Omit<HuntRun, 'stateDir'>, out: ShardOutput, plan: HuntPlan, meta: ShardMeta, groups: KeyingGroup[]): Promise<ShardResult> {
  const { params } = run;
  const rules = meta.rules!;
  const { times } = plan.grid;
  const cuts = cutTimes(times.length, out.shard.count);
  const first = cuts[out.shard.index];
  const end = cuts[out.shard.index + 1];
  const mine = timeShardTasks(run.files, plan, params, out.shard.count)[out.shard.index];
  const records: string[] = [];
  const clusters = new Set<string>();
  const passes = groups.map((g, k) => new HuntPass({
    metrics: plan.metrics, grid: plan.grid, params, evaluate: g.rules, suppress: run.suppress, first, end, until: end > first ? times[end - 1] : -Infinity,
    onEvaluated: (view, t, found) => {
      for (const c of view.clusters) clusters.add(c);
      for (const p of rules) for (const s of findingSeries(view, p, found, t)) records.push(encodeRecord({ series: s }));
    },
    onProgress: k === 0 ? (d, t) => run.onProgress?.('hunt', d, t) : undefined,
  }));
  const perTask: { path: string; state: ScanStats }[] = [];
  let i = 0;
  await runScan(run.pool, mine.map((k) => plan.tasks[k]), (p, task) => {
    records.push(encodeRecord({ task: mine[i], path: task.path, stats: p.stats }));
    perTask.push({ path: task.path, state: p.stats });
    i++;
    const bound = i < mine.length ? plan.taskStart[mine[i]] : Infinity;
    addToPasses(passes, p, bound);
  });
  for (const x of passes) x.finish();
  const warnings = collectWarnings(plan.metrics, perTask);
  out.beforeCommit?.(warnings);
  for (const x of passes) for (const f of x.findings) records.push(encodeRecord({ finding: f }));
  records.push(encodeRecord({ clusters: [...clusters] }));
  const fingerprint = planFingerprint(run.files, fingerprintParts(meta, plan.metrics));
  const timesMeta = { first, end, count: times.length };
  const written = await writeShardFile({
    store: out.store, shard: out.shard, fingerprint, metrics: plan.metrics, meta: { ...meta, times: timesMeta }, kind: 'records', records: records.length,
  }, async (w) => w.addRecords(records));
  return {
    ...written, split: 'time', tasks: mine.length, taskCount: plan.tasks.length, rowsRead: passes[0].merger.stats.rowsRead,
    warnings, times: timesMeta,
  };
}

/** The fallback grid: this shard's T, one detection each, as hunt runs them on one machine. */
async function perTimeShard(run: Omit<HuntRun, 'stateDir'>, out: ShardOutput, meta: ShardMeta, metrics: string[]): Promise<ShardResult> {
  const times = detectionTimes(run.fromMs, run.toMs, run.stepMs);
  const cuts = cutTimes(times.length, out.shard.count);
  const first = cuts[out.shard.index];
  const end = cuts[out.shard.index + 1];
  const records: string[] = [];
  const clusters = new Set<string>();
  const findings: Finding[] = [];
  const perT: DataWarning[][] = [];
  let rowsRead = 0;
  for (let i = first; i < end; i++) {
    const r = await detectRules({ files: run.files, rules: meta.rules!, atMs: times[i], pool: run.pool, suppress: run.suppress });
    const { state, warnings } = r.scans[0].result;
    for (const k of r.scans[0].keyings) {
      for (const c of k.state.clusters) clusters.add(c);
      for (const s of keyingSeries(k, r.atMs)) records.push(encodeRecord({ series: s }));
    }
    findings.push(...r.findings);
    perT.push(warnings);
    rowsRead += state.stats.rowsRead;
    run.onProgress?.('hunt', i - first + 1, end - first);
  }
  const warnings = mergeWarningsByMax(perT);
  out.beforeCommit?.(warnings);
  for (const f of findings) records.push(encodeRecord({ finding: f }));
  records.push(encodeRecord({ clusters: [...clusters] }), encodeRecord({ warnings, rowsRead }));
  const fingerprint = planFingerprint(run.files, fingerprintParts(meta, metrics));
  const timesMeta = { first, end, count: times.length };
  const written = await writeShardFile({
    store: out.store, shard: out.shard, fingerprint, metrics, meta: { ...meta, times: timesMeta }, kind: 'records', records: records.length,
  }, async (w) => w.addRecords(records));
  return { ...written, split: 'time', tasks: 0, taskCount: 0, rowsRead, warnings, times: timesMeta };
}
