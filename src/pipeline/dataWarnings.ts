import type { ScanStats } from '../state/partialState.js';

export interface DataWarning {
  path: string;
  /** metric -> values skipped as NaN, infinite or negative */
  invalid: Record<string, number>;
  rowsMissingKey: number;
}

/** Per file: values the rule had to skip, so that nothing is dropped silently. */
export function collectWarnings(metrics: string[], perTask: { path: string; state: ScanStats }[]): DataWarning[] {
  const byPath = new Map<string, DataWarning>();
  for (const { path, state } of perTask) {
    const bad = state.invalidValues.some((v) => v > 0);
    if (!bad && state.rowsMissingKey === 0) continue;
    let w = byPath.get(path);
    if (!w) byPath.set(path, (w = { path, invalid: {}, rowsMissingKey: 0 }));
    w.rowsMissingKey += state.rowsMissingKey;
    state.invalidValues.forEach((v, j) => { if (v > 0) w!.invalid[metrics[j]] = (w!.invalid[metrics[j]] ?? 0) + v; });
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
  if (w.rowsMissingKey) parts.push(`skipped ${w.rowsMissingKey} row${w.rowsMissingKey === 1 ? '' : 's'} with a null cluster, workload or process`);
  return `${w.path}: ${parts.join('; ')}`;
}
