import type { Piscina } from 'piscina';
import { evaluateRule } from '../evaluate/evaluateRule.js';
import { compareFindings, type Finding } from '../evaluate/finding.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { FileInfo } from '../plan/inspectFile.js';
import { defaultDetectionTime, planScan, type ScanPlan } from '../plan/planScan.js';
import { runScan } from '../pool/runScan.js';
import { PartialMerger } from '../reduce/mergePartials.js';
import type { RuleParams } from '../rule/rule.js';
import type { ScanTask } from '../scan/scanTask.js';
import type { PartialState, ScanWindow } from '../state/partialState.js';
import { collectWarnings, type DataWarning } from './dataWarnings.js';

export interface DetectResult {
  atMs: number;
  findings: Finding[];
  state: PartialState;
  plan: ScanPlan;
  warnings: DataWarning[];
}

export interface DetectRun {
  files: FileInfo[];
  params: RuleParams;
  atMs?: number;
  pool: Piscina;
  suppress?: Suppressions;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** The latest timestamp in the data: from layout or statistics, else by decoding timestamps only. */
export async function latestTimestamp(run: DetectRun): Promise<number> {
  let max = -Infinity;
  const unknown: ScanTask[] = [];
  const none: ScanWindow = { baselineStart: 0, baselineEnd: 0, cellMs: 1, recentStart: 0, recentEnd: 0, spanMs: run.params.spanMs };
  for (const f of run.files) {
    for (const rg of f.rowGroups) {
      if (rg.rows === 0) continue;
      if (rg.maxTs !== undefined) max = Math.max(max, rg.maxTs);
      else unknown.push({ path: f.path, rowGroups: [rg.index], metrics: [], metricColumns: [], window: none, allColumns: false, timestampsOnly: true });
    }
  }
  await runScan(run.pool, unknown, (p) => { max = Math.max(max, p.stats.maxTimestamp); },
    (d, t) => run.onProgress?.('time range', d, t));
  if (!Number.isFinite(max)) throw new Error('detect: the data holds no rows with a timestamp, so there is no default --at; pass --at');
  return max;
}

export function detectWindow(atMs: number, p: RuleParams): ScanWindow {
  return {
    baselineStart: atMs - p.baselineMs,
    baselineEnd: atMs - p.windowMs,
    cellMs: p.baselineMs - p.windowMs,
    recentStart: atMs - p.windowMs,
    recentEnd: atMs,
    spanMs: p.spanMs,
  };
}

export async function detect(run: DetectRun): Promise<DetectResult> {
  const atMs = run.atMs ?? defaultDetectionTime(await latestTimestamp(run), run.params.spanMs);
  const window = detectWindow(atMs, run.params);
  const plan = planScan(run.files, window, window.baselineStart, window.recentEnd);
  const merger = new PartialMerger(plan.metrics, window);
  const perTask: { path: string; state: PartialState['stats'] }[] = [];
  await runScan(run.pool, plan.tasks, (p, task) => {
    merger.add(p);
    perTask.push({ path: task.path, state: p.stats });
  }, (d, t) => run.onProgress?.('scan', d, t));
  const state = merger.result();
  const findings = evaluateRule(state, run.params, {
    atMs, cellStart: 0, cellEnd: state.cellCount, bucketStart: 0, bucketEnd: state.bucketCount,
  }, run.suppress).sort(compareFindings);
  return { atMs, findings, state, plan, warnings: collectWarnings(plan.metrics, perTask) };
}
