/**
 * The exporter records, in each file's key-value metadata, where row groups sit in time and key
 * space. parquet-wasm shows no statistics, and foreign writers' statistics may be absent; this
 * lets the planner prune row groups without decoding them.
 */
export const LAYOUT_KEY = 'egress-anomaly.layout';

export interface FileLayout {
  version: 2;
  sortedBy: string[];
  rowGroups: {
    rows: number;
    minTs: number;
    maxTs: number;
    /** runs of rows: (workload, process, row count), in file order */
    keys: [string, string, number][];
  }[];
}

export function parseLayout(raw: string | undefined): FileLayout | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as FileLayout;
    if (v && v.version === 2 && Array.isArray(v.rowGroups)) return v;
  } catch {
    // A foreign or damaged entry: plan from statistics or by decoding instead.
  }
  return undefined;
}
