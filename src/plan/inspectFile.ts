import { openInput, type InputStat } from '../io/openInput.js';
import { COLUMNS, SCHEMA_METRICS } from '../rule/rule.js';
import { verifiedLayout } from '../export/fileLayout.js';
import { readFooterFromFd, type ParquetColumn, type ParquetFooter } from '../parquet/parquetFooter.js';
import { duplicateNames } from '../parquet/parquetSchema.js';
import type { EpochUnit } from '../parquet/epochUnit.js';
import { matchesAny } from './globMatch.js';
import { prepareTimestampUnit, statToMs, timestampUnitOf } from './timestampUnit.js';

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
  /** an object's ETag (S3, HTTP): a worker refuses the object if it is no longer this one */
  etag?: string;
  footer: ParquetFooter;
  /** metric name -> column name (they are the same; kept for renames by future sources) */
  metricColumns: string[];
  /** columns that match the metric globs but hold no numbers, so are not metrics (mstats semantics) */
  ignoredColumns: string[];
  rowGroups: RowGroupInfo[];
  /** written by our exporter, whose layout we know */
  exporterLayout: boolean;
  /**
   * the unit of a bare INT64 timestamp column (no Parquet timestamp type), which the scan applies
   * to its raw values; undefined where the column's own type gives the unit
   */
  timestampUnit?: EpochUnit;
  /** what the reader assumed about this file, for stderr (each names the file) */
  notes?: string[];
}

export interface InspectOptions {
  /** --timestamp-unit: the unit of bare INT64 timestamps, whatever the file or its statistics say */
  timestampUnit?: EpochUnit;
  /** the string columns the rules read besides the timestamp (keyingColumns); absent: the outbound rule's */
  keyColumns?: readonly string[];
}

const OUTBOUND_COLUMNS = [COLUMNS.cluster, COLUMNS.workload, COLUMNS.process];
/** The schema's metric columns must hold numbers; other glob matches that do not are simply not metrics. */
const CANONICAL_METRICS = new Set<string>(SCHEMA_METRICS);

function typeName(c: ParquetColumn): string {
  const lt = c.logicalType;
  if (lt?.type === 'FLOAT16') return 'float16';
  if (!lt) return c.physicalType.toLowerCase();
  if (lt.type === 'TIMESTAMP') return `timestamp[${lt.unit.toLowerCase()}]`;
  if (lt.type === 'INTEGER') return `${lt.isSigned ? '' : 'u'}int${lt.bitWidth}`;
  if (lt.type === 'DECIMAL') return `decimal(${lt.precision},${lt.scale})`;
  if (lt.type === 'STRING') return 'utf8';
  return lt.type.toLowerCase();
}

function isNumber(c: ParquetColumn): boolean {
  const lt = c.logicalType;
  if (lt?.type === 'DECIMAL') return ['INT32', 'INT64', 'FIXED_LEN_BYTE_ARRAY', 'BYTE_ARRAY'].includes(c.physicalType);
  if (c.physicalType === 'FIXED_LEN_BYTE_ARRAY') return lt?.type === 'FLOAT16' && c.typeLength === 2;
  if (!['INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(c.physicalType)) return false;
  return lt === undefined || lt.type === 'INTEGER';
}

function isString(c: ParquetColumn): boolean {
  return c.physicalType === 'BYTE_ARRAY' && (c.logicalType === undefined || ['STRING', 'ENUM', 'JSON'].includes(c.logicalType.type));
}

function isTimestamp(c: ParquetColumn): boolean {
  const lt = c.logicalType;
  if (c.physicalType === 'INT96') return lt === undefined;
  if (c.physicalType === 'INT64') return lt === undefined || lt.type === 'TIMESTAMP' || (lt.type === 'INTEGER' && lt.isSigned);
  return false;
}

/** A column the rule reads must be a flat column, and the only one of its name. */
function flatColumn(footer: ParquetFooter, name: string, dup: Map<string, number[]>): ParquetColumn | undefined {
  const positions = dup.get(name);
  if (positions) throw new Error(`plan: ${footer.path} has two columns named "${name}" (columns ${positions[0]! + 1} and ${positions[1]! + 1})`);
  const nested = footer.nestedColumns.find((c) => c.name === name);
  if (nested) throw new Error(`plan: column "${name}" in ${footer.path} is nested (a ${nested.kind}), expected a flat column`);
  return footer.columns.find((c) => c.name === name);
}

export function describeFile(footer: ParquetFooter, metricPatterns: string[], mtimeMs = 0, options: InspectOptions = {}): FileInfo {
  const where = `${footer.path}`;
  const dup = new Map(duplicateNames(footer));
  for (const name of [COLUMNS.timestamp, ...(options.keyColumns ?? OUTBOUND_COLUMNS)]) {
    const c = flatColumn(footer, name, dup);
    if (!c) throw new Error(`plan: ${where} has no column "${name}"`);
    if (name === COLUMNS.timestamp ? !isTimestamp(c) : !isString(c)) {
      const expected = name === COLUMNS.timestamp ? 'a timestamp or int64 epoch milliseconds' : 'a string';
      throw new Error(`plan: column "${name}" in ${where} has type ${typeName(c)}, expected ${expected}`);
    }
  }
  const metricColumns: string[] = [];
  const ignoredColumns: string[] = [];
  for (const n of footer.nestedColumns) {
    // a nested column is never read; one sharing its name with a flat column fails below
    if (!matchesAny(n.name, metricPatterns) || dup.has(n.name)) continue;
    if (CANONICAL_METRICS.has(n.name)) throw new Error(`plan: column "${n.name}" in ${where} is nested (a ${n.kind}), expected a number`);
    ignoredColumns.push(`${n.name} (${n.kind.toLowerCase()})`);
  }
  for (const c of footer.columns) {
    if (!matchesAny(c.name, metricPatterns)) continue;
    if (dup.has(c.name)) flatColumn(footer, c.name, dup);
    if (isNumber(c)) metricColumns.push(c.name);
    else if (CANONICAL_METRICS.has(c.name)) throw new Error(`plan: column "${c.name}" in ${where} has type ${typeName(c)}, expected a number`);
    else ignoredColumns.push(`${c.name} (${typeName(c)})`);
  }
  const { layout, problem: layoutProblem } = verifiedLayout(footer);
  const usable = layout !== undefined;
  const tsCol = flatColumn(footer, COLUMNS.timestamp, dup)!;
  const notes: string[] = layoutProblem ? [`${footer.path}: ${layoutProblem}; reading it without that metadata`] : [];
  const ts = timestampUnitOf(footer, tsCol, options.timestampUnit, notes);
  const rowGroups: RowGroupInfo[] = footer.rowGroups.map((rg, i) => {
    if (usable) {
      const g = layout.rowGroups[i];
      return { index: i, rows: rg.numRows, minTs: g.minTs, maxTs: g.maxTs, keys: g.keys, timestampsComplete: true };
    }
    const chunk = rg.columns[tsCol.index];
    const range = ts.statistics ? ts.statistics(chunk) : undefined;
    const complete = range !== undefined && ts.unit !== undefined;
    return {
      index: i,
      rows: rg.numRows,
      minTs: complete ? statToMs(range.min, ts.unit!) : undefined,
      maxTs: complete ? statToMs(range.max, ts.unit!) : undefined,
      timestampsComplete: complete && chunk.nullCount === 0,
    };
  });
  return {
    path: footer.path, size: footer.fileSize, mtimeMs, footer, metricColumns, ignoredColumns, rowGroups, exporterLayout: usable,
    ...(ts.bare ? { timestampUnit: ts.unit } : {}), notes,
  };
}

/** `known`: the object's size, LastModified and ETag from a listing, so it is opened without a HEAD. */
export async function inspectFile(path: string, metricPatterns: string[], options: InspectOptions = {}, known?: InputStat): Promise<FileInfo> {
  const fh = await openInput(path, { subsystem: 'plan', known });
  try {
    const { size, mtimeMs, etag } = await fh.stat();
    const footer = await readFooterFromFd(fh, size, path);
    await prepareTimestampUnit(footer, COLUMNS.timestamp);
    const info = describeFile(footer, metricPatterns, mtimeMs, options);
    return etag ? { ...info, etag } : info;
  } finally {
    await fh.close();
  }
}
