import { keyingOf, ruleOf } from '../rule/rule.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { PartialsStore } from '../io/partialsStore.js';
import { planFingerprint } from '../plan/planFingerprint.js';
import { planScan } from '../plan/planScan.js';
import { defaultDetectionTime, detectWindow } from '../plan/scanWindow.js';
import { cutByRows, taskRows, type HuntSplit, type Shard } from '../plan/shardPlan.js';
import { runScan } from '../pool/runScan.js';
import type { ScanStats } from '../state/partialState.js';
import { encodeTaskState } from '../state/taskPartial.js';
import { collectWarnings, type DataWarning } from './dataWarnings.js';
import { latestTimestamp, type DetectRun } from './detect.js';
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

/**
 * detect's share of a sharded run: the plan of the whole detection (T from all inputs' footers,
 * as detect takes it, so every shard agrees), cut by rows into contiguous runs of row groups; this
 * shard scans its run and stores each task's partial under its plan index, unmerged, so that
 * merge folds every partial in plan order exactly as one machine does.
 */
export async function detectShard(run: DetectRun, out: ShardOutput): Promise<ShardResult> {
  const { params, files } = run;
  const atMs = run.atMs ?? defaultDetectionTime(await latestTimestamp(run), params.spanMs);
  const window = detectWindow(atMs, params);
  const plan = planScan(files, window, window.baselineStart, window.recentEnd, [keyingOf(ruleOf(params))]);
  const cuts = cutByRows(taskRows(files, plan.tasks), out.shard.count);
  const first = cuts[out.shard.index];
  const end = cuts[out.shard.index + 1];
  const meta: ShardMeta = {
    command: 'detect', split: 'row-group', params, suppress: rulesOf(run.suppress), atMs, taskCount: plan.tasks.length,
    rowGroupsTotal: plan.rowGroupsTotal, rowGroupsPruned: plan.rowGroupsPruned, fileCount: files.length, coverage: dataCoverage(files),
  };
  const fingerprint = planFingerprint(files, fingerprintParts(meta, plan.metrics));
  const tasks = Array.from({ length: end - first }, (_, i) => first + i);
  const perTask: { path: string; state: ScanStats }[] = [];
  let rowsRead = 0;
  const written = await writeShardFile({ store: out.store, shard: out.shard, fingerprint, metrics: plan.metrics, meta, kind: 'tasks', tasks, sketches: window.sketch }, async (w) => {
    let k = first;
    await runScan(run.pool, plan.tasks.slice(first, end), (p, task) => {
      perTask.push({ path: task.path, state: p.stats });
      rowsRead += p.stats.rowsRead;
      w.addTask(encodeTaskState(p, k++, task.path, -Infinity));
    }, (d, t) => run.onProgress?.('scan', d, t));
    out.beforeCommit?.(collectWarnings(plan.metrics, perTask));
  });
  return {
    ...written, split: 'row-group', tasks: tasks.length, taskCount: plan.tasks.length, rowsRead,
    warnings: collectWarnings(plan.metrics, perTask), atMs,
  };
}
