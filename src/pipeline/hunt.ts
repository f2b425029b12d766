import type { Piscina } from 'piscina';
import { evaluateRule } from '../evaluate/evaluateRule.js';
import type { Finding } from '../evaluate/finding.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { FileInfo } from '../plan/inspectFile.js';
import { detectionTimes, huntGrid, planHunt } from '../plan/planHunt.js';
import { runScan } from '../pool/runScan.js';
import { HuntMerger } from '../reduce/huntMerger.js';
import type { RuleParams } from '../rule/rule.js';
import type { ScanStats } from '../state/partialState.js';
import { collectWarnings, type DataWarning } from './dataWarnings.js';
import { detect } from './detect.js';

export interface HuntRun {
  files: FileInfo[];
  params: RuleParams;
  pool: Piscina;
  suppress?: Suppressions;
  fromMs: number;
  toMs: number;
  stepMs: number;
  stateDir?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
  onWarning?: (message: string) => void;
}

export interface HuntResult {
  findings: Finding[];
  warnings: DataWarning[];
  rowsRead: number;
  onePass: boolean;
}

/**
 * Every T = from, from + step, ... <= to, each exactly what detect --at T reports. One pass over
 * the data: tasks run in time order, and each T is evaluated as soon as every row before it is in.
 */
export async function hunt(run: HuntRun): Promise<HuntResult> {
  if (run.stateDir !== undefined) throw new Error('hunt: --state is not implemented yet');
  const { params } = run;
  const grid = huntGrid(run.fromMs, run.toMs, run.stepMs, params);
  if (!grid) {
    run.onWarning?.(`--from, --step and --window are not all multiples of --span (${params.spanMs} ms): running one detection per T instead of one pass`);
    return huntPerTime(run);
  }
  const plan = planHunt(run.files, grid);
  const merger = new HuntMerger(plan.metrics, grid, (params.baselineMs - params.windowMs) / grid.cellMs);
  const findings: Finding[] = [];
  const perTask: { path: string; state: ScanStats }[] = [];
  let next = 0;
  const times = grid.times;
  const evaluateReady = (bound: number) => {
    while (next < times.length && times[next] <= bound) {
      const t = times[next];
      const view = merger.view(t, params.windowMs, params.baselineMs, params.spanMs);
      findings.push(...evaluateRule(view, params, { atMs: t, cellStart: 0, cellEnd: 1, bucketStart: 0, bucketEnd: view.bucketCount }, run.suppress));
      next++;
      run.onProgress?.('hunt', next, times.length);
      if (next < times.length) {
        const nt = times[next];
        merger.forget((nt - params.windowMs) / params.spanMs, Math.round((nt - params.baselineMs - grid.origin) / grid.cellMs));
      }
    }
  };
  let merged = 0;
  await runScan(run.pool, plan.tasks, (p, task) => {
    merger.add(p);
    perTask.push({ path: task.path, state: p.stats });
    merged++;
    evaluateReady(merged < plan.tasks.length ? plan.taskStart[merged] : Infinity);
  });
  evaluateReady(Infinity);
  return { findings, warnings: collectWarnings(plan.metrics, perTask), rowsRead: merger.stats.rowsRead, onePass: true };
}

/** The fallback for grids one pass cannot share: one detection per T. */
async function huntPerTime(run: HuntRun): Promise<HuntResult> {
  const times = detectionTimes(run.fromMs, run.toMs, run.stepMs);
  const findings: Finding[] = [];
  const warnings: DataWarning[] = [];
  let rowsRead = 0;
  for (let i = 0; i < times.length; i++) {
    const r = await detect({ files: run.files, params: run.params, atMs: times[i], pool: run.pool, suppress: run.suppress });
    findings.push(...r.findings);
    if (i === 0) warnings.push(...r.warnings);
    rowsRead += r.state.stats.rowsRead;
    run.onProgress?.('hunt', i + 1, times.length);
  }
  return { findings, warnings, rowsRead, onePass: false };
}
