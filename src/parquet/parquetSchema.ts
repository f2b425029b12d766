/**
 * The schema part of a Parquet footer: the flattened SchemaElement list walked into top-level
 * fields. Flat top-level columns (a primitive leaf, required or optional) are what readers can
 * select; nested ones (groups: STRUCT, LIST, MAP, or a repeated primitive) are described only so
 * that their leaves' column chunks can be skipped.
 */
import type { TStruct } from './thriftCompact.js';

export type PhysicalType =
  | 'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';
export const PHYSICAL_TYPES: PhysicalType[] =
  ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'];

const CONVERTED_TYPES = [
  'UTF8', 'MAP', 'MAP_KEY_VALUE', 'LIST', 'ENUM', 'DECIMAL', 'DATE', 'TIME_MILLIS', 'TIME_MICROS',
  'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64',
  'INT_8', 'INT_16', 'INT_32', 'INT_64', 'JSON', 'BSON', 'INTERVAL',
];

export type TimeUnit = 'MILLIS' | 'MICROS' | 'NANOS';
const TIME_UNITS: TimeUnit[] = ['MILLIS', 'MICROS', 'NANOS'];

/** Parquet LogicalType, also derived from the legacy ConvertedType when only that is present. */
export type LogicalType =
  | { type: 'STRING' | 'ENUM' | 'JSON' | 'BSON' | 'UUID' | 'DATE' | 'FLOAT16' | 'UNKNOWN' | 'MAP' | 'LIST' }
  | { type: 'TIMESTAMP' | 'TIME'; unit: TimeUnit; isAdjustedToUTC: boolean }
  | { type: 'INTEGER'; bitWidth: number; isSigned: boolean }
  | { type: 'DECIMAL'; scale: number; precision: number }
  | { type: 'OTHER'; id: number };

export interface ParquetColumn {
  /** index among the leaf columns, which is also the index in each row group's chunk list */
  index: number;
  /** position among the schema's top-level fields (0-based) */
  position: number;
  /** index of its SchemaElement in FileMetaData.schema */
  element: number;
  /** the top-level field's name; for a leaf inside a nested field, its path joined by '.' */
  name: string;
  /** path_in_schema of the leaf */
  path: string[];
  physicalType: PhysicalType;
  /** FIXED_LEN_BYTE_ARRAY width */
  typeLength?: number;
  repetition: 'required' | 'optional' | 'repeated';
  convertedType?: string;
  logicalType?: LogicalType;
  /** set on the leaves of a nested top-level field: that field's name */
  nestedIn?: string;
}

export interface NestedColumn {
  name: string;
  position: number;
  kind: 'STRUCT' | 'LIST' | 'MAP';
  /** leaf indexes of its column chunks */
  leaves: number[];
}

export interface ParquetSchema {
  /** flat top-level columns, in schema order */
  columns: ParquetColumn[];
  /** nested top-level fields, which readers skip */
  nestedColumns: NestedColumn[];
  /** every leaf, in chunk order */
  leafColumns: ParquetColumn[];
  /** number of top-level fields */
  fieldCount: number;
}

const MAX_DEPTH = 64;

function fail(msg: string): never {
  throw new Error(msg);
}

function req<V>(v: V | undefined, what: string): V {
  if (v === undefined) throw new Error(`footer lacks ${what}`);
  return v;
}

const isGroup = (el: TStruct) => el.int(1) === undefined || (el.int(5) ?? 0) > 0;

export function parseSchema(schema: TStruct[]): ParquetSchema {
  const root = req(schema[0], 'schema');
  const fieldCount = root.int(5) ?? 0;
  const leafColumns: ParquetColumn[] = [];
  const nestedColumns: NestedColumn[] = [];
  let at = 1;
  const walk = (path: string[], position: number, top: string | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) fail('schema nesting too deep');
    const el = schema[at++] ?? fail(`schema ends inside "${path.join('.')}" (root lists ${fieldCount} fields)`);
    const name = req(el.str(4), 'column name');
    const p = [...path, name];
    if (isGroup(el)) {
      const n = el.int(5) ?? 0;
      for (let k = 0; k < n; k++) walk(p, position, top ?? name, depth + 1);
      return;
    }
    leafColumns.push(leafOf(el, leafColumns.length, position, at - 1, p, top));
  };
  for (let position = 0; position < fieldCount; position++) {
    const el = schema[at] ?? fail(`schema has ${schema.length - 1} elements, fewer than the ${fieldCount} fields its root lists`);
    const first = leafColumns.length;
    const nested = isGroup(el) || el.int(3) === 2;
    walk([], position, nested ? el.str(4) : undefined, 0);
    if (nested) {
      nestedColumns.push({
        name: req(el.str(4), 'column name'), position, kind: nestedKind(el),
        leaves: leafColumns.slice(first).map((c) => c.index),
      });
    }
  }
  if (at !== schema.length) throw new Error(`schema has ${schema.length - 1} elements, but its root's ${fieldCount} fields cover ${at - 1}`);
  return { columns: leafColumns.filter((c) => c.nestedIn === undefined), nestedColumns, leafColumns, fieldCount };
}

function nestedKind(el: TStruct): NestedColumn['kind'] {
  const ct = el.int(6);
  const lt = el.struct(10)?.fields[0]?.id;
  if (ct === 1 || ct === 2 || lt === 2) return 'MAP';
  if (ct === 3 || lt === 3 || el.int(3) === 2) return 'LIST';
  return 'STRUCT';
}

function leafOf(el: TStruct, index: number, position: number, element: number, path: string[], nestedIn: string | undefined): ParquetColumn {
  const convertedType = el.int(6) === undefined ? undefined : CONVERTED_TYPES[el.int(6)!] ?? `CONVERTED_${el.int(6)}`;
  const logical = el.struct(10);
  const rep = el.int(3);
  return {
    index,
    position,
    element,
    name: path.join('.'),
    path,
    physicalType: PHYSICAL_TYPES[el.int(1)!] ?? fail(`unknown physical type ${el.int(1)}`),
    typeLength: el.int(2),
    repetition: rep === 0 ? 'required' : rep === 2 ? 'repeated' : 'optional',
    convertedType,
    logicalType: logical && logical.fields.length ? parseLogicalType(logical) : fromConvertedType(convertedType, el),
    ...(nestedIn === undefined ? {} : { nestedIn }),
  };
}

function parseLogicalType(lt: TStruct): LogicalType {
  const { id, value } = lt.fields[0]!;
  const s = value as TStruct;
  switch (id) {
    case 1: return { type: 'STRING' };
    case 2: return { type: 'MAP' };
    case 3: return { type: 'LIST' };
    case 4: return { type: 'ENUM' };
    case 5: return { type: 'DECIMAL', scale: s.int(1) ?? 0, precision: s.int(2) ?? 0 };
    case 6: return { type: 'DATE' };
    case 7:
    case 8: {
      const unit = TIME_UNITS[(s.struct(2)?.fields[0]?.id ?? 0) - 1] ?? fail('unknown time unit');
      return { type: id === 7 ? 'TIME' : 'TIMESTAMP', unit, isAdjustedToUTC: s.bool(1) ?? false };
    }
    case 10: return { type: 'INTEGER', bitWidth: s.int(1) ?? 64, isSigned: s.bool(2) ?? true };
    case 11: return { type: 'UNKNOWN' };
    case 12: return { type: 'JSON' };
    case 13: return { type: 'BSON' };
    case 14: return { type: 'UUID' };
    case 15: return { type: 'FLOAT16' };
    default: return { type: 'OTHER', id };
  }
}

function fromConvertedType(ct: string | undefined, el: TStruct): LogicalType | undefined {
  switch (ct) {
    case 'UTF8': return { type: 'STRING' };
    case 'ENUM': case 'JSON': case 'BSON': case 'DATE': return { type: ct };
    case 'DECIMAL': return { type: 'DECIMAL', scale: el.int(7) ?? 0, precision: el.int(8) ?? 0 };
    case 'TIME_MILLIS': return { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: true };
    case 'TIME_MICROS': return { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: true };
    case 'TIMESTAMP_MILLIS': return { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true };
    case 'TIMESTAMP_MICROS': return { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true };
  }
  const m = ct && /^(U?)INT_(\d+)$/.exec(ct);
  return m ? { type: 'INTEGER', bitWidth: Number(m[2]), isSigned: m[1] === '' } : undefined;
}

/**
 * Top-level fields (flat or nested) that share a name, as [name, positions]. Readers select
 * columns by name, so such a name cannot be read without guessing.
 */
export function duplicateNames(s: ParquetSchema): [string, number[]][] {
  const byName = new Map<string, number[]>();
  for (const f of [...s.columns, ...s.nestedColumns]) {
    const list = byName.get(f.name);
    if (list) list.push(f.position);
    else byName.set(f.name, [f.position]);
  }
  return [...byName].filter(([, p]) => p.length > 1).map(([n, p]) => [n, p.sort((a, b) => a - b)]);
}
