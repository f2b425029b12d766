import type { ScanStats } from '../state/partialState.js';

export interface DataWarning {
  path: string;
  /** metric -> values skipped as NaN, infinite or negative */
  invalid: Record<string, number>;
  rowsMissingKey: number;
  rowsNullTimestamp: number;
}

/** Per file: values the rule had to skip, so that nothing is dropped silently. */
export function collectWarnings(metrics: string[], perTask: { path: string; state: ScanStats }[]): DataWarning[] {
  const byPath = new Map<string, DataWarning>();
  for (const { path, state } of perTask) {
    const bad = state.invalidValues.some((v) => v > 0);
    const nullTs = state.rowsNullTimestamp ?? 0;
    if (!bad && state.rowsMissingKey === 0 && nullTs === 0) continue;
    let w = byPath.get(path);
    if (!w) byPath.set(path, (w = { path, invalid: {}, rowsMissingKey: 0, rowsNullTimestamp: 0 }));
    w.rowsMissingKey += state.rowsMissingKey;
    w.rowsNullTimestamp += nullTs;
    state.invalidValues.forEach((v, j) => { if (v > 0) w!.invalid[metrics[j]] = (w!.invalid[metrics[j]] ?? 0) + v; });
  }
  return [...byPath.values()];
}

/** Warnings of several runs over overlapping rows: per file and count, the largest. */
export function mergeWarningsByMax(runs: DataWarning[][]): DataWarning[] {
  const byPath = new Map<string, DataWarning>();
  for (const run of runs) {
    for (const w of run) {
      const have = byPath.get(w.path);
      if (!have) {
        byPath.set(w.path, { ...w, invalid: { ...w.invalid } });
        continue;
      }
      have.rowsMissingKey = Math.max(have.rowsMissingKey, w.rowsMissingKey);
      have.rowsNullTimestamp = Math.max(have.rowsNullTimestamp, w.rowsNullTimestamp);
      for (const [m, v] of Object.entries(w.invalid)) have.invalid[m] = Math.max(have.invalid[m] ?? 0, v);
    }
  }
  return [...byPath.values()];
}

export function describeWarning(w: DataWarning): string {
  const parts: string[] = [];
  const inv = Object.entries(w.invalid);
  if (inv.length) {
    const total = inv.reduce((s, [, v]) => s + v, 0);
    parts.push(`skipped ${total} NaN, infinite or negative metric value${total === 1 ? '' : 's'} (${inv.map(([m, v]) => `${m}: ${v}`).join(', ')})`);
  }
  if (w.rowsNullTimestamp) parts.push(`skipped ${w.rowsNullTimestamp} row${w.rowsNullTimestamp === 1 ? '' : 's'} with a null timestamp`);
  if (w.rowsMissingKey) parts.push(`skipped ${w.rowsMissingKey} row${w.rowsMissingKey === 1 ? '' : 's'} with a null cluster, workload or process`);
  return `${w.path}: ${parts.join('; ')}`;
}
