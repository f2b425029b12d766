/**
 * A byte-level Parquet writer for tests: flat schemas, uncompressed PLAIN data pages (V1), with the
 * footer written by the project's Thrift encoder. It writes what no writer at hand produces: INT96
 * timestamps, bare INT64 timestamps, FLOAT16, BYTE_ARRAY decimals, duplicate column names, foreign
 * `ARROW:schema` entries.
 */
import { stringBytes, T, TStruct } from '../../src/parquet/thriftCompact.js';
import { encodeStruct } from '../../src/parquet/thriftEncode.js';

export type ByteType = 'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';
const TYPE_CODE: Record<ByteType, number> = {
  BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7,
};

/** A value as written: numbers / bigints for numeric types, strings for BYTE_ARRAY, raw bytes otherwise. */
export type ByteValue = number | bigint | string | Uint8Array | null;

export interface ByteColumn {
  name: string;
  type: ByteType;
  typeLength?: number;
  /** default true */
  optional?: boolean;
  convertedType?: number;
  scale?: number;
  precision?: number;
  /** the LogicalType union, see LT */
  logicalType?: TStruct;
  values: ByteValue[];
  /** min/max statistics (plain encoding) to write; 'auto' computes them for INT32/INT64 (signed) */
  statistics?: 'auto' | 'none' | { min: Uint8Array; max: Uint8Array };
}

export interface ByteFileOptions {
  /** rows per row group (default: all in one) */
  rowGroupRows?: number;
  keyValue?: Record<string, string>;
}

/** LogicalType union members. */
export const LT = {
  string: () => new TStruct().set(1, T.STRUCT, new TStruct()),
  decimal: (scale: number, precision: number) => new TStruct().set(5, T.STRUCT, new TStruct().set(1, T.I32, scale).set(2, T.I32, precision)),
  timestamp: (unit: 'MILLIS' | 'MICROS' | 'NANOS', utc = true) => new TStruct().set(8, T.STRUCT, new TStruct()
    .set(1, T.TRUE, utc)
    .set(2, T.STRUCT, new TStruct().set(unit === 'MILLIS' ? 1 : unit === 'MICROS' ? 2 : 3, T.STRUCT, new TStruct()))),
  float16: () => new TStruct().set(15, T.STRUCT, new TStruct()),
};

/** 12 INT96 bytes for an epoch-ms time: nanoseconds of the day (int64) then the Julian day (int32). */
export function int96Of(ms: number, extraNanos = 0): Uint8Array {
  const day = Math.floor(ms / 86_400_000);
  const nanos = BigInt(ms - day * 86_400_000) * 1_000_000n + BigInt(extraNanos);
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, nanos, true);
  v.setInt32(8, day + 2_440_588, true);
  return b;
}

/** IEEE 754 half-precision bits of x (round to nearest even; exact for values a half can hold). */
export function float16Bits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  let mant = u & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00 | (Number.isNaN(x) ? 0x200 : 0);
  if (exp <= 0) {
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = mant >> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (rest > mid || (rest === mid && half & 1) ? half + 1 : half);
  }
  const half = (exp << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}

/** Big-endian two's complement bytes of an unscaled decimal, as FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY decimals store it. */
export function decimalBytes(unscaled: bigint, width: number): Uint8Array {
  const b = new Uint8Array(width);
  let v = BigInt.asUintN(width * 8, unscaled);
  for (let i = width - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

function plain(col: ByteColumn, v: Exclude<ByteValue, null>): Uint8Array {
  if (v instanceof Uint8Array) {
    if (col.type !== 'BYTE_ARRAY') return v;
    const b = new Uint8Array(4 + v.length);
    new DataView(b.buffer).setUint32(0, v.length, true);
    b.set(v, 4);
    return b;
  }
  switch (col.type) {
    case 'INT32': { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, Number(v), true); return b; }
    case 'INT64': { const b = new Uint8Array(8); new DataView(b.buffer).setBigInt64(0, BigInt(v), true); return b; }
    case 'FLOAT': { const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, Number(v), true); return b; }
    case 'DOUBLE': { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, Number(v), true); return b; }
    case 'BYTE_ARRAY': return plain(col, stringBytes(String(v)));
    default: throw new Error(`parquetBytes: give ${col.type} values of "${col.name}" as bytes`);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n >>>= 7; }
  out.push(n);
  return out;
}

/** Definition levels (bit width 1) as RLE runs, with the V1 page's 4-byte length prefix. */
function defLevels(values: ByteValue[]): Uint8Array {
  const body: number[] = [];
  for (let i = 0; i < values.length;) {
    const level = values[i] === null ? 0 : 1;
    let j = i;
    while (j < values.length && (values[j] === null ? 0 : 1) === level) j++;
    body.push(...varint((j - i) << 1), level);
    i = j;
  }
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, true);
  out.set(body, 4);
  return out;
}

function autoStats(col: ByteColumn, values: ByteValue[]): { min: Uint8Array; max: Uint8Array } | undefined {
  if (col.type !== 'INT64' && col.type !== 'INT32') return undefined;
  const nums = values.filter((v): v is number | bigint => v !== null && !(v instanceof Uint8Array) && typeof v !== 'string').map((v) => BigInt(v));
  if (nums.length === 0) return undefined;
  let min = nums[0]!, max = nums[0]!;
  for (const x of nums) { if (x < min) min = x; if (x > max) max = x; }
  return { min: plain(col, min), max: plain(col, max) };
}

/** Writes the columns (all of the same length) as one Parquet file. */
export function writeParquetBytes(columns: ByteColumn[], options: ByteFileOptions = {}): Uint8Array {
  const rows = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== rows)) throw new Error('parquetBytes: columns differ in length');
  const per = options.rowGroupRows ?? Math.max(rows, 1);
  const parts: Uint8Array[] = [new Uint8Array([0x50, 0x41, 0x52, 0x31])];
  let pos = 4;
  const rowGroups: TStruct[] = [];
  for (let start = 0; start < rows || (rows === 0 && start === 0); start += per) {
    const end = Math.min(rows, start + per);
    const chunks: TStruct[] = [];
    let groupBytes = 0;
    for (const col of columns) {
      const values = col.values.slice(start, end);
      const optional = col.optional ?? true;
      if (!optional && values.includes(null)) throw new Error(`parquetBytes: required column "${col.name}" has a null`);
      const data = concat([...(optional ? [defLevels(values)] : []), ...values.filter((v) => v !== null).map((v) => plain(col, v))]);
      const header = encodeStruct(new TStruct()
        .set(1, T.I32, 0)
        .set(2, T.I32, data.length)
        .set(3, T.I32, data.length)
        .set(5, T.STRUCT, new TStruct().set(1, T.I32, values.length).set(2, T.I32, 0).set(3, T.I32, 3).set(4, T.I32, 3)));
      const page = concat([header, data]);
      const md = new TStruct()
        .set(1, T.I32, TYPE_CODE[col.type])
        .set(2, T.LIST, { elemType: T.I32, items: [0, 3] })
        .set(3, T.LIST, { elemType: T.BINARY, items: [stringBytes(col.name)] })
        .set(4, T.I32, 0)
        .set(5, T.I64, values.length)
        .set(6, T.I64, page.length)
        .set(7, T.I64, page.length)
        .set(9, T.I64, pos);
      const stats = col.statistics === 'none' ? undefined : col.statistics === undefined || col.statistics === 'auto' ? autoStats(col, values) : col.statistics;
      const st = new TStruct().set(3, T.I64, values.filter((v) => v === null).length);
      if (stats) st.set(5, T.BINARY, stats.max).set(6, T.BINARY, stats.min);
      md.set(12, T.STRUCT, st);
      chunks.push(new TStruct().set(2, T.I64, pos).set(3, T.STRUCT, md));
      parts.push(page);
      pos += page.length;
      groupBytes += page.length;
    }
    rowGroups.push(new TStruct()
      .set(1, T.LIST, { elemType: T.STRUCT, items: chunks })
      .set(2, T.I64, groupBytes)
      .set(3, T.I64, end - start));
    if (rows === 0) break;
  }
  const schema = [new TStruct().set(4, T.BINARY, stringBytes('schema')).set(5, T.I32, columns.length), ...columns.map((c) => {
    const el = new TStruct().set(1, T.I32, TYPE_CODE[c.type]);
    if (c.typeLength !== undefined) el.set(2, T.I32, c.typeLength);
    el.set(3, T.I32, c.optional ?? true ? 1 : 0).set(4, T.BINARY, stringBytes(c.name));
    if (c.convertedType !== undefined) el.set(6, T.I32, c.convertedType);
    if (c.scale !== undefined) el.set(7, T.I32, c.scale);
    if (c.precision !== undefined) el.set(8, T.I32, c.precision);
    if (c.logicalType) el.set(10, T.STRUCT, c.logicalType);
    return el;
  })];
  const meta = new TStruct()
    .set(1, T.I32, 1)
    .set(2, T.LIST, { elemType: T.STRUCT, items: schema })
    .set(3, T.I64, rows)
    .set(4, T.LIST, { elemType: T.STRUCT, items: rowGroups });
  const kv = Object.entries(options.keyValue ?? {});
  if (kv.length) {
    meta.set(5, T.LIST, {
      elemType: T.STRUCT,
      items: kv.map(([k, v]) => new TStruct().set(1, T.BINARY, stringBytes(k)).set(2, T.BINARY, stringBytes(v))),
    });
  }
  meta.set(6, T.BINARY, stringBytes('parquetBytes test writer'));
  const footer = encodeStruct(meta);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, footer.length, true);
  parts.push(footer, len, new Uint8Array([0x50, 0x41, 0x52, 0x31]));
  return concat(parts);
}

/** The number an IEEE 754 half-precision bit pattern holds. */
export function float16Value(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** 2 little-endian bytes of x as a half (FIXED_LEN_BYTE_ARRAY(2) FLOAT16). */
export function float16Bytes(x: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, float16Bits(x), true);
  return b;
}
