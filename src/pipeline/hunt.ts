import type { Piscina } from 'piscina';
import type { Finding } from '../evaluate/finding.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { FileInfo } from '../plan/inspectFile.js';
import type { RuleParams } from '../rule/rule.js';
import type { DataWarning } from './dataWarnings.js';
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
}

export function detectionTimes(fromMs: number, toMs: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) out.push(t);
  return out;
}

/** Every T = from, from + step, ... <= to: exactly what detect --at T reports, concatenated. */
export async function hunt(run: HuntRun): Promise<HuntResult> {
  if (run.stateDir !== undefined) throw new Error('hunt: --state is not implemented yet');
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
  return { findings, warnings, rowsRead };
}
