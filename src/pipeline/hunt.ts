import type { Piscina } from 'piscina';
import type { Finding } from '../evaluate/finding.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { FileInfo } from '../plan/inspectFile.js';
import { detectionTimes, huntGrid, planHunt, type HuntGrid, type HuntPlan } from '../plan/planHunt.js';
import { runScan } from '../pool/runScan.js';
import type { Keying } from '../rule/keying.js';
import type { RuleParams } from '../rule/rule.js';
import type { PartialState, ScanStats } from '../state/partialState.js';
import { collectWarnings, mergeWarningsByMax, type DataWarning } from './dataWarnings.js';
import { detectRules, keyingGroups } from './detectRules.js';
import { HuntPass, addToPasses } from './huntPass.js';
import { keyingStateDir, loadState, noteTaskStats, planState, saveState, savedCells, shareReuse, type StatePlan } from '../incremental/huntState.js';

export interface HuntRun {
  files: FileInfo[];
  /** the pass's parameters (with every rule's metric patterns when there are several rules) */
  params: RuleParams;
  /**
   * several rules, sharing params's window, baseline and span: one pass, each keying folded from
   * the same decoded rows (planRuleScans); with --state, one store per keying. Absent: params's rule alone.
   */
  rules?: RuleParams[];
  pool: Piscina;
  suppress?: Suppressions;
  fromMs: number;
  toMs: number;
  stepMs: number;
  stateDir?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
  onWarning?: (message: string) => void;
  /** sees the run's data warnings before --state is committed; throwing (--strict) commits nothing */
  beforeCommit?: (warnings: DataWarning[]) => void;
  /** each T's detect-shaped state and findings, as evaluated (the state is reused after the call) */
  onEvaluated?: (state: PartialState, atMs: number, findings: Finding[]) => void;
}

export interface HuntResult {
  findings: Finding[];
  warnings: DataWarning[];
  rowsRead: number;
  onePass: boolean;
  /** days taken from --state instead of the data */
  daysFromState: number;
  /** one pass: the main thread's time reducing the workers' partials and evaluating each T, ms */
  mainMs?: number;
}

/**
 * Every T = from, from + step, ... <= to, each exactly what detect --at T reports. One pass over
 * the data: tasks run in time order, and each T is evaluated as soon as every row before it is in.
 */
export async function hunt(run: HuntRun): Promise<HuntResult> {
  const { params } = run;
  const warn = (m: string) => run.onWarning?.(m);
  const { grid, why } = onePassGrid(run, run.stateDir !== undefined);
  if (!grid) {
    warn(`${why}: running one detection per T instead of one pass${run.stateDir !== undefined ? ', without --state' : ''}`);
    return huntPerTime(run);
  }
  const groups = keyingGroups(run.rules ?? [params]);
  const plan = planHunt(run.files, grid, groups.map((g) => g.keying));
  const passes = groups.map(({ rules }, i) => new HuntPass({
    metrics: plan.metrics, grid, params, evaluate: rules, suppress: run.suppress, onEvaluated: run.onEvaluated,
    onProgress: i === 0 ? (d, t) => run.onProgress?.('hunt', d, t) : undefined,
  }));
  const merger = passes[0].merger;
  const states = await statePlans(run, plan, groups.map((g) => g.keying));
  const perTask: { path: string; state: ScanStats }[] = [];
  if (states) {
    perTask.push(...await loadState(states, plan, passes.map((x) => x.merger)));
    const keep = plan.tasks.map((_, i) => !states[0].skip.has(i));
    plan.tasks = plan.tasks.filter((_, i) => keep[i]);
    plan.taskStart = plan.taskStart.filter((_, i) => keep[i]);
    states.forEach((sp, k) => passes[k].merger.retainCells(savedCells(sp, plan)));
  }
  let merged = 0;
  let mainMs = 0;
  await runScan(run.pool, plan.tasks, (p, task) => {
    perTask.push({ path: task.path, state: p.stats });
    states?.forEach((sp, k) => noteTaskStats(sp, plan.taskStart[merged], task.path, k === 0 ? p.stats : p.more![k - 1].stats));
    merged++;
    const bound = merged < plan.tasks.length ? plan.taskStart[merged] : Infinity;
    const t = performance.now();
    addToPasses(passes, p, bound);
    mainMs += performance.now() - t;
  });
  const t = performance.now();
  for (const x of passes) x.finish();
  mainMs += performance.now() - t;
  const findings = passes.flatMap((x) => x.findings);
  const warnings = collectWarnings(plan.metrics, perTask);
  run.beforeCommit?.(warnings);
  if (states) for (const [k, sp] of states.entries()) await saveState(sp, plan, passes[k].merger);
  return { findings, warnings, rowsRead: merger.stats.rowsRead, onePass: true, daysFromState: states?.[0].reuse.length ?? 0, mainMs };
}

/**
 * The grid one pass serves, or why there is none: T off the bucket grid, or the robust model,
 * whose median and MAD come from sketches of the whole baseline, not from sums of cells.
 */
export function onePassGrid(run: Pick<HuntRun, 'fromMs' | 'toMs' | 'stepMs' | 'params' | 'rules'>, withState = false): { grid?: HuntGrid; why: string } {
  const { params } = run;
  if ((run.rules ?? [params]).some((p) => p.baselineModel === 'robust')) {
    return { why: '--baseline-model robust takes each T\'s median and MAD from sketches of its whole baseline, which one pass does not sum' };
  }
  const grid = huntGrid(run.fromMs, run.toMs, run.stepMs, params, withState);
  return grid ? { grid, why: '' } : { why: `--from, --step and --window are not all multiples of --span (${params.spanMs} ms)` };
}

/** --state: one store per keying (keyingStateDir), reusing only the days every keying holds. */
async function statePlans(run: HuntRun, plan: HuntPlan, keyings: Keying[]): Promise<StatePlan[] | undefined> {
  if (run.stateDir === undefined) return undefined;
  const warn = (m: string) => run.onWarning?.(m);
  const sps: StatePlan[] = [];
  for (const keying of keyings) {
    const sp = await planState(keyingStateDir(run.stateDir, keying), { ...plan, keying }, run.files, warn);
    if (!sp) return undefined;
    sps.push(sp);
  }
  shareReuse(sps);
  return sps;
}

/** The fallback for grids one pass cannot share: one detection per T. */
async function huntPerTime(run: HuntRun): Promise<HuntResult> {
  const times = detectionTimes(run.fromMs, run.toMs, run.stepMs);
  const findings: Finding[] = [];
  const perT: DataWarning[][] = [];
  let rowsRead = 0;
  for (let i = 0; i < times.length; i++) {
    const r = await detectRules({ files: run.files, rules: run.rules ?? [run.params], atMs: times[i], pool: run.pool, suppress: run.suppress });
    for (const scan of r.scans) for (const k of scan.keyings) run.onEvaluated?.(k.state, r.atMs, k.findings);
    findings.push(...r.findings);
    perT.push(r.scans[0].result.warnings);
    rowsRead += r.scans.reduce((s, x) => s + x.result.state.stats.rowsRead, 0);
    run.onProgress?.('hunt', i + 1, times.length);
  }
  // a row lies in the windows of several T: per file and count, the largest any T saw, not the sum
  const warnings = mergeWarningsByMax(perT);
  run.beforeCommit?.(warnings);
  return { findings, warnings, rowsRead, onePass: false, daysFromState: 0 };
}
