import type { Piscina } from 'piscina';
import { evaluateRule } from '../evaluate/evaluateRule.js';
import { compareFindings, type Finding } from '../evaluate/finding.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { FileInfo } from '../plan/inspectFile.js';
import { planScan, type ScanPlan } from '../plan/planScan.js';
import { defaultDetectionTime, detectWindow } from '../plan/scanWindow.js';
import { planTimeRange } from '../plan/timeRange.js';
import { runScan } from '../pool/runScan.js';
import { PartialMerger } from '../reduce/mergePartials.js';
import { ruleOf, keyingOf, type RuleParams } from '../rule/rule.js';
import type { Keying } from '../rule/keying.js';
import type { PartialState } from '../state/partialState.js';
import { collectWarnings, type DataWarning } from './dataWarnings.js';

export interface DetectResult {
  atMs: number;
  findings: Finding[];
  state: PartialState;
  /** the merged states of DetectRun.moreKeyings, in order */
  more: PartialState[];
  plan: ScanPlan;
  warnings: DataWarning[];
}

export interface DetectRun {
  files: FileInfo[];
  params: RuleParams;
  atMs?: number;
  pool: Piscina;
  suppress?: Suppressions;
  /** the rules evaluated on the merged state; absent: params's rule (detectRules evaluates its own) */
  evaluate?: RuleParams[];
  /** further keyings folded in the same scan, each merged on its own (detectRules) */
  moreKeyings?: Keying[];
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** The latest timestamp in the data: from layout or statistics, else by decoding timestamps only. */
export async function latestTimestamp(run: DetectRun): Promise<number> {
  const { known, tasks } = planTimeRange(run.files, run.params.spanMs);
  let max = known;
  await runScan(run.pool, tasks, (p) => { max = Math.max(max, p.stats.maxTimestamp); },
    (d, t) => run.onProgress?.('time range', d, t));
  if (!Number.isFinite(max)) throw new Error('detect: the data holds no rows with a timestamp, so there is no default --at; pass --at');
  return max;
}

export async function detect(run: DetectRun): Promise<DetectResult> {
  const atMs = run.atMs ?? defaultDetectionTime(await latestTimestamp(run), run.params.spanMs);
  const window = detectWindow(atMs, run.params);
  const moreKeyings = run.moreKeyings ?? [];
  const plan = planScan(run.files, window, window.baselineStart, window.recentEnd, [keyingOf(ruleOf(run.params)), ...moreKeyings]);
  const merger = new PartialMerger(plan.metrics, window);
  const mergers = moreKeyings.map(() => new PartialMerger(plan.metrics, window));
  const perTask: { path: string; state: PartialState['stats'] }[] = [];
  await runScan(run.pool, plan.tasks, (p, task) => {
    merger.add(p);
    for (let k = 0; k < mergers.length; k++) mergers[k].add(p.more![k]);
    perTask.push({ path: task.path, state: p.stats });
  }, (d, t) => run.onProgress?.('scan', d, t));
  const state = merger.result();
  const more = mergers.map((m) => m.result());
  const findings = (run.evaluate ?? [run.params]).flatMap((p) => evaluateRule(state, p, atMs, run.suppress)).sort(compareFindings);
  return { atMs, findings, state, more, plan, warnings: collectWarnings(plan.metrics, perTask) };
}
