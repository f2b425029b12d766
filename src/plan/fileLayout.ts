/**
 * The exporter records, in each file's key-value metadata, where row groups sit in time and key
 * space. parquet-wasm shows no statistics, and foreign writers' statistics may be absent; this
 * lets the planner prune row groups without decoding them.
 */
export const LAYOUT_KEY = 'egress-anomaly.layout';

export interface FileLayout {
  version: 1;
  sortedBy: string[];
  rowGroups: {
    rows: number;
    minTs: number;
    maxTs: number;
    /** (workload, process) pairs present, in file order */
    keys: [string, string][];
  }[];
}

export function parseLayout(raw: string | undefined): FileLayout | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as FileLayout;
    if (v && v.version === 1 && Array.isArray(v.rowGroups)) return v;
  } catch {
    // A foreign or damaged entry: plan from statistics or by decoding instead.
  }
  return undefined;
}
