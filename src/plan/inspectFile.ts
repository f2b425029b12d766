import { open } from 'node:fs/promises';
import { COLUMNS, SCHEMA_METRICS } from '../rule/rule.js';
import { LAYOUT_KEY, parseLayout } from '../export/fileLayout.js';
import { readFooterFromFd, statInt64Range, type ParquetColumn, type ParquetFooter } from '../parquet/parquetFooter.js';
import { matchesAny } from './globMatch.js';

export interface RowGroupInfo {
  index: number;
  rows: number;
  /** epoch ms; undefined where neither the exporter's layout nor statistics tell */
  minTs?: number;
  maxTs?: number;
  /** runs of rows per (workload, process), from the exporter's layout */
  keys?: [string, string, number][];
  /** known to have no null timestamp, so [minTs, maxTs] bounds every row */
  timestampsComplete: boolean;
}

export interface FileInfo {
  path: string;
  size: number;
  /** modification time, part of the fingerprint incremental state trusts */
  mtimeMs: number;
  footer: ParquetFooter;
  /** metric name -> column name (they are the same; kept for renames by future sources) */
  metricColumns: string[];
  /** columns that match the metric globs but hold no numbers, so are not metrics (mstats semantics) */
  ignoredColumns: string[];
  rowGroups: RowGroupInfo[];
  /** written by our exporter, whose layout we know */
  exporterLayout: boolean;
}

const REQUIRED = [COLUMNS.timestamp, COLUMNS.cluster, COLUMNS.workload, COLUMNS.process];
/** The schema's metric columns must hold numbers; other glob matches that do not are simply not metrics. */
const CANONICAL_METRICS = new Set<string>(SCHEMA_METRICS);

function typeName(c: ParquetColumn): string {
  const lt = c.logicalType;
  if (!lt) return c.physicalType.toLowerCase();
  if (lt.type === 'TIMESTAMP') return `timestamp[${lt.unit.toLowerCase()}]`;
  if (lt.type === 'INTEGER') return `${lt.isSigned ? '' : 'u'}int${lt.bitWidth}`;
  if (lt.type === 'DECIMAL') return `decimal(${lt.precision},${lt.scale})`;
  if (lt.type === 'STRING') return 'utf8';
  return lt.type.toLowerCase();
}

function isNumber(c: ParquetColumn): boolean {
  const lt = c.logicalType;
  if (c.physicalType === 'FIXED_LEN_BYTE_ARRAY') return lt?.type === 'FLOAT16';
  if (!['INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(c.physicalType)) return false;
  return lt === undefined || lt.type === 'INTEGER';
}

function isString(c: ParquetColumn): boolean {
  return c.physicalType === 'BYTE_ARRAY' && (c.logicalType === undefined || ['STRING', 'ENUM', 'JSON'].includes(c.logicalType.type));
}

function isTimestamp(c: ParquetColumn): boolean {
  const lt = c.logicalType;
  if (c.physicalType === 'INT64') return lt === undefined || lt.type === 'TIMESTAMP' || (lt.type === 'INTEGER' && lt.isSigned);
  return false;
}

/** Floors a raw int64 timestamp statistic to epoch ms. */
function statToMs(v: bigint, c: ParquetColumn, floor: boolean): number {
  const lt = c.logicalType;
  const div = lt?.type === 'TIMESTAMP' ? (lt.unit === 'MICROS' ? 1000n : lt.unit === 'NANOS' ? 1_000_000n : 1n) : 1n;
  let q = v / div;
  if (floor && v < 0n && v % div !== 0n) q -= 1n;
  return Number(q);
}

export function describeFile(footer: ParquetFooter, metricPatterns: string[], mtimeMs = 0): FileInfo {
  const byName = new Map(footer.columns.map((c) => [c.name, c]));
  const where = `${footer.path}`;
  for (const name of REQUIRED) {
    const c = byName.get(name);
    if (!c) throw new Error(`plan: ${where} has no column "${name}"`);
    if (name === COLUMNS.timestamp ? !isTimestamp(c) : !isString(c)) {
      const expected = name === COLUMNS.timestamp ? 'a timestamp or int64 epoch milliseconds' : 'a string';
      throw new Error(`plan: column "${name}" in ${where} has type ${typeName(c)}, expected ${expected}`);
    }
  }
  const metricColumns: string[] = [];
  const ignoredColumns: string[] = [];
  for (const c of footer.columns) {
    if (!matchesAny(c.name, metricPatterns)) continue;
    if (isNumber(c)) metricColumns.push(c.name);
    else if (CANONICAL_METRICS.has(c.name)) throw new Error(`plan: column "${c.name}" in ${where} has type ${typeName(c)}, expected a number`);
    else ignoredColumns.push(`${c.name} (${typeName(c)})`);
  }
  const layout = parseLayout(footer.keyValueMetadata.get(LAYOUT_KEY));
  const usable = layout !== undefined && layout.rowGroups.length === footer.rowGroups.length &&
    layout.rowGroups.every((g, i) => g.rows === footer.rowGroups[i].numRows);
  const tsCol = byName.get(COLUMNS.timestamp)!;
  const rowGroups: RowGroupInfo[] = footer.rowGroups.map((rg, i) => {
    if (usable) {
      const g = layout.rowGroups[i];
      return { index: i, rows: rg.numRows, minTs: g.minTs, maxTs: g.maxTs, keys: g.keys, timestampsComplete: true };
    }
    const chunk = rg.columns[tsCol.index];
    const range = statInt64Range(chunk);
    const complete = range !== undefined;
    return {
      index: i,
      rows: rg.numRows,
      minTs: complete ? statToMs(range.min, tsCol, true) : undefined,
      maxTs: complete ? statToMs(range.max, tsCol, true) : undefined,
      timestampsComplete: complete && chunk.nullCount === 0,
    };
  });
  return { path: footer.path, size: footer.fileSize, mtimeMs, footer, metricColumns, ignoredColumns, rowGroups, exporterLayout: usable };
}

export async function inspectFile(path: string, metricPatterns: string[]): Promise<FileInfo> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (cause) {
    throw new Error(`plan: cannot open ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  try {
    const { size, mtimeMs } = await fh.stat();
    return describeFile(await readFooterFromFd(fh, size, path), metricPatterns, mtimeMs);
  } finally {
    await fh.close();
  }
}
