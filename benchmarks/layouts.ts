/** What a dataset layout looks like on disk, for the report. */
import { DuckDBInstance } from '@duckdb/node-api';
import { inspectAll } from '../src/pipeline/inspectAll.js';
import { detectWindow } from '../src/plan/scanWindow.js';
import { planScan } from '../src/plan/planScan.js';
import { DEFAULT_PARAMS } from '../src/rule/rule.js';
import { parquetGlob } from './ruleFindings.js';

export interface LayoutInfo {
  files: number;
  bytes: number;
  rows: number;
  rowGroups: number;
  rowsPerRowGroup: { min: number; max: number };
  columns: number;
  timestamp: string;
  /** string columns: Parquet encodings, and whether an Arrow schema hint (dictionary) is embedded */
  strings: string;
  metrics: string;
  compression: string;
  createdBy: string;
  /** written by our exporter, with its layout metadata */
  exporterLayout: boolean;
  /** at T: row groups the planner reads, prunes, and reads without timestamp and cluster */
  plannedRowGroups: number;
  prunedRowGroups: number;
  wholeCellRowGroups: number;
  /** of those, row groups placed by the exporter's key runs: only metric columns decoded */
  keyRunRowGroups: number;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function describeLayout(dir: string, atMs: number): Promise<LayoutInfo> {
  const files = await inspectAll(dir, DEFAULT_PARAMS.metricPatterns);
  const window = detectWindow(atMs, DEFAULT_PARAMS);
  const plan = planScan(files, window, window.baselineStart, window.recentEnd);
  const rgRows = files.flatMap((f) => f.rowGroups.map((g) => g.rows));
  const first = files[0]?.footer;
  const ts = first?.columns.find((c) => c.name === 'timestamp');
  const lt = ts?.logicalType;
  const tsText = !ts ? '-' : lt && lt.type === 'TIMESTAMP'
    ? `${ts.physicalType} TIMESTAMP(${lt.unit}, ${lt.isAdjustedToUTC ? 'UTC' : 'local'})` : ts.physicalType;

  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  const enc = new Map<string, { type: string; encodings: string; compression: string }>();
  try {
    const rows = (await conn.runAndReadAll(
      `SELECT path_in_schema, any_value(type), string_agg(DISTINCT encodings, ' / '), string_agg(DISTINCT compression, ', ') ` +
      `FROM parquet_metadata(${lit(parquetGlob(dir))}) GROUP BY path_in_schema`)).getRows();
    for (const r of rows) enc.set(String(r[0]), { type: String(r[1]), encodings: String(r[2]), compression: String(r[3]) });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const strCol = enc.get('source.workload.name');
  const metricCol = enc.get('tcp.bytes');
  const arrowHint = first?.keyValueMetadata.has('ARROW:schema') ?? false;
  return {
    files: files.length,
    bytes: files.reduce((s, f) => s + f.size, 0),
    rows: rgRows.reduce((s, n) => s + n, 0),
    rowGroups: rgRows.length,
    rowsPerRowGroup: { min: Math.min(...rgRows), max: Math.max(...rgRows) },
    columns: first?.columns.length ?? 0,
    timestamp: tsText,
    strings: `${strCol?.encodings ?? '?'}${arrowHint ? '; Arrow schema embedded (strings as dictionaries)' : '; no Arrow schema embedded'}`,
    metrics: `${metricCol?.type ?? '?'} (${metricCol?.encodings ?? '?'})`,
    compression: [...new Set([...enc.values()].map((e) => e.compression))].join(', '),
    createdBy: first?.createdBy ?? '?',
    exporterLayout: files.length > 0 && files.every((f) => f.exporterLayout),
    plannedRowGroups: plan.tasks.length,
    prunedRowGroups: plan.rowGroupsPruned,
    wholeCellRowGroups: plan.tasks.filter((t) => (t.wholeCell?.[0] ?? -1) >= 0).length,
    keyRunRowGroups: plan.tasks.filter((t) => (t.wholeCell?.[0] ?? -1) >= 0 && t.keyRuns?.[0]).length,
  };
}
