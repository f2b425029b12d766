import type { RuleParams } from '../rule/rule.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { PartialsStore } from '../io/partialsStore.js';
import { planFingerprint } from '../plan/planFingerprint.js';
import { planScan } from '../plan/planScan.js';
import { defaultDetectionTime, detectWindow } from '../plan/scanWindow.js';
import { cutByRows, taskRows, type HuntSplit, type Shard } from '../plan/shardPlan.js';
import { runScan } from '../pool/runScan.js';
import type { PartialState, ScanStats } from '../state/partialState.js';
import { encodeTaskState, type EncodedTask } from '../state/taskPartial.js';
import { collectWarnings, type DataWarning } from './dataWarnings.js';
import { latestTimestamp, type DetectRun } from './detect.js';
import { planRuleScans, scanParamsOf, type KeyingGroup } from './detectRules.js';
import { dataCoverage } from './emptyWindows.js';
import { fingerprintParts, writeShardFile, type WrittenShard } from './shardFile.js';
import type { ShardMeta } from './shardMeta.js';

export interface ShardOutput {
  shard: Shard;
  store: PartialsStore;
  /** sees the shard's data warnings before its file is committed; throwing (--strict) leaves no file */
  beforeCommit?: (warnings: DataWarning[]) => void;
}

export interface ShardResult extends WrittenShard {
  split: HuntSplit;
  /** what this shard read: tasks of the plan's total, rows */
  tasks: number;
  taskCount: number;
  rowsRead: number;
  /** the data warnings of the rows this shard read */
  warnings: DataWarning[];
  /** detect: T; hunt by time: the T it evaluated, as [first, end) of count */
  atMs?: number;
  times?: { first: number; end: number; count: number };
}

export const rulesOf = (s: Suppressions | undefined) => (s ? s.rules.map((r) => ({ ...r })) : null);

/** What a shard evaluates: rules that share one scan (detectRules gives rules of other shapes scans of their own). */
export function shardRules(rules: RuleParams[]): { params: RuleParams; keyings: KeyingGroup[] } {
  const scans = planRuleScans(rules);
  if (scans.length !== 1) throw new Error(`shard: the rules need ${scans.length} scans (another window, baseline, span or baseline model); a shard runs rules that share one`);
  return { params: scanParamsOf(rules), keyings: scans[0] };
}

/** Writes a task's partials, one per keying (the first is the task's own, the rest its `more`), as slots task * K + k. */
export function addTaskSlots(w: { addTask(t: EncodedTask): void }, p: PartialState, k: number, keyings: number, path: string, start: number): void {
  w.addTask(encodeTaskState(p, k * keyings, path, start));
  for (let j = 1; j < keyings; j++) w.addTask(encodeTaskState(p.more![j - 1], k * keyings + j, path, start));
}

/** The slots of tasks [first, end) with K keyings. */
export const taskSlots = (first: number, end: number, keyings: number): number[] => Array.from({ length: (end - first) * keyings }, (_, i) => first * keyings + i);

/**
 * detect's share of a sharded run: the plan of the whole detection (T from all inputs' footers,
 * as detect takes it, so every shard agrees), cut by rows into contiguous runs of row groups; this
 * shard scans its run and stores each task's partial under its plan index, unmerged, so that
 * merge folds every partial in plan order exactly as one machine does.
 */
export async function detectShard(run: Omit<DetectRun, 'params' | 'evaluate' | 'moreKeyings'> & { rules: RuleParams[] }, out: ShardOutput): Promise<ShardResult> {
  const { files } = run;
  const { params, keyings } = shardRules(run.rules);
  const atMs = run.atMs ?? defaultDetectionTime(await latestTimestamp({ ...run, params }), params.spanMs);
  const window = detectWindow(atMs, params);
  const plan = planScan(files, window, window.baselineStart, window.recentEnd, keyings.map((g) => g.keying));
  const cuts = cutByRows(taskRows(files, plan.tasks), out.shard.count);
  const first = cuts[out.shard.index];
  const end = cuts[out.shard.index + 1];
  const meta: ShardMeta = {
    command: 'detect', split: 'row-group', params, rules: run.rules, suppress: rulesOf(run.suppress), atMs, taskCount: plan.tasks.length,
    rowGroupsTotal: plan.rowGroupsTotal, rowGroupsPruned: plan.rowGroupsPruned, fileCount: files.length, coverage: dataCoverage(files),
  };
  const fingerprint = planFingerprint(files, fingerprintParts(meta, plan.metrics));
  const tasks = taskSlots(first, end, keyings.length);
  const perTask: { path: string; state: ScanStats }[] = [];
  let rowsRead = 0;
  const written = await writeShardFile({ store: out.store, shard: out.shard, fingerprint, metrics: plan.metrics, meta, kind: 'tasks', tasks, sketches: window.sketch }, async (w) => {
    let k = first;
    await runScan(run.pool, plan.tasks.slice(first, end), (p, task) => {
      perTask.push({ path: task.path, state: p.stats });
      rowsRead += p.stats.rowsRead;
      addTaskSlots(w, p, k++, keyings.length, task.path, -Infinity);
    }, (d, t) => run.onProgress?.('scan', d, t));
    out.beforeCommit?.(collectWarnings(plan.metrics, perTask));
  });
  return {
    ...written, split: 'row-group', tasks: end - first, taskCount: plan.tasks.length, rowsRead,
    warnings: collectWarnings(plan.metrics, perTask), atMs,
  };
}
