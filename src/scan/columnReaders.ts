import { DataType, TimeUnit, type Data } from 'apache-arrow';
import type { EpochUnit } from '../parquet/epochUnit.js';
import type { StringInterner } from './stringInterner.js';

const TWO32 = 4294967296;

function hasNulls(d: Data): boolean {
  return d.nullCount > 0 && d.nullBitmap !== undefined && d.nullBitmap.length > 0;
}

function isValid(bitmap: Uint8Array, i: number): boolean {
  return ((bitmap[i >> 3] >> (i & 7)) & 1) === 1;
}

/** A column can serve as the timestamp when it is a Timestamp of any unit, Date64, or int64 epoch ms. */
export function timestampTypeProblem(type: DataType): string | undefined {
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return undefined;
  if (DataType.isInt(type) && type.bitWidth === 64) return undefined;
  return `has type ${String(type)}, expected a timestamp or int64 epoch milliseconds`;
}

export function metricTypeProblem(type: DataType): string | undefined {
  if (DataType.isInt(type) || DataType.isFloat(type)) return undefined;
  if (DataType.isDecimal(type) && (type.bitWidth === 128 || type.bitWidth === 256)) return undefined;
  return `has type ${String(type)}, expected a number`;
}

export function stringTypeProblem(type: DataType): string | undefined {
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return undefined;
  if (DataType.isDictionary(type) && (DataType.isUtf8(type.dictionary) || DataType.isLargeUtf8(type.dictionary))) return undefined;
  return `has type ${String(type)}, expected a string`;
}

/**
 * Epoch milliseconds (floored) into out[0..length); null becomes NaN. `rawUnit` is the unit of a
 * bare INT64 column's raw values (whatever Arrow type it decoded to); without it, a Timestamp's
 * own unit applies and a plain int64 is milliseconds.
 */
export function readTimestamps(d: Data, out: Float64Array, rawUnit?: EpochUnit): void {
  const n = d.length;
  const type = d.type as DataType;
  let divisor = 1;
  let multiplier = 1;
  if (rawUnit !== undefined) {
    if (rawUnit === 's') multiplier = 1000;
    else if (rawUnit === 'us') divisor = 1000;
    else if (rawUnit === 'ns') divisor = 1_000_000;
  } else if (DataType.isTimestamp(type)) {
    if (type.unit === TimeUnit.SECOND) multiplier = 1000;
    else if (type.unit === TimeUnit.MICROSECOND) divisor = 1000;
    else if (type.unit === TimeUnit.NANOSECOND) divisor = 1_000_000;
  } else if (DataType.isDate(type) && type.unit === 0) {
    multiplier = 86_400_000;
  }
  const values = d.values as ArrayLike<unknown>;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const words = new Int32Array(values.buffer, values.byteOffset + d.offset * 8, n * 2);
    if (divisor === 1) {
      for (let i = 0; i < n; i++) out[i] = (words[2 * i + 1] * TWO32 + (words[2 * i] >>> 0)) * multiplier;
    } else {
      // Exact floor(v / divisor) from the two 32-bit halves: no precision lost for nanoseconds.
      const hiQuot = Math.floor(TWO32 / divisor);
      const hiRem = TWO32 - hiQuot * divisor;
      for (let i = 0; i < n; i++) {
        const hi = words[2 * i + 1];
        out[i] = hi * hiQuot + Math.floor((hi * hiRem + (words[2 * i] >>> 0)) / divisor);
      }
    }
  } else {
    const v = values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = Math.floor(v[d.offset + i] / divisor) * multiplier;
  }
  if (hasNulls(d)) {
    const bm = d.nullBitmap as Uint8Array;
    for (let i = 0; i < n; i++) if (!isValid(bm, d.offset + i)) out[i] = NaN;
  }
}

/**
 * Metric values into out as float64. Null becomes NaN (skipped silently); values the rule cannot
 * use (NaN, infinite, negative) become -1 so the aggregator can count them separately.
 */
export function readMetric(d: Data, out: Float64Array): void {
  const n = d.length;
  const values = d.values as ArrayLike<unknown>;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const words = new Int32Array(values.buffer, values.byteOffset + d.offset * 8, n * 2);
    const unsigned = values instanceof BigUint64Array;
    for (let i = 0; i < n; i++) {
      const hi = unsigned ? words[2 * i + 1] >>> 0 : words[2 * i + 1];
      const x = hi * TWO32 + (words[2 * i] >>> 0);
      out[i] = x >= 0 ? x : -1;
    }
  } else if ((d.type as DataType).typeId === 3 && (d.type as { precision?: number }).precision === 0) {
    const v = values as Uint16Array;
    for (let i = 0; i < n; i++) out[i] = float16ToNumber(v[d.offset + i]);
  } else if (DataType.isDecimal(d.type as DataType)) {
    readDecimal(d, out);
  } else {
    const v = values as Float64Array;
    const off = d.offset;
    for (let i = 0; i < n; i++) {
      const x = v[off + i];
      out[i] = x >= 0 && x < Infinity ? x : -1;
    }
  }
  if (hasNulls(d)) {
    const bm = d.nullBitmap as Uint8Array;
    for (let i = 0; i < n; i++) if (!isValid(bm, d.offset + i)) out[i] = NaN;
  }
}

let allRows = new Float64Array(0);

/** readMetric for a few rows only: out[r] is row rows[r]'s value, same conventions. */
export function readMetricRows(d: Data, rows: Int32Array, count: number, out: Float64Array): void {
  const values = d.values as ArrayLike<unknown>;
  if (!(values instanceof Float64Array)) {
    if (allRows.length < d.length) allRows = new Float64Array(Math.max(d.length, allRows.length * 2));
    const all = allRows;
    readMetric(d, all);
    for (let r = 0; r < count; r++) out[r] = all[rows[r]];
    return;
  }
  const off = d.offset;
  const bm = hasNulls(d) ? (d.nullBitmap as Uint8Array) : undefined;
  for (let r = 0; r < count; r++) {
    const i = off + rows[r];
    const x = values[i];
    out[r] = bm !== undefined && !isValid(bm, i) ? NaN : x >= 0 && x < Infinity ? x : -1;
  }
}

/**
 * Decimal128/256 (little-endian two's complement words) as unscaled / 10^scale. Exact to the
 * double nearest the decimal whenever the unscaled value fits in 2^53 (one rounding, in the
 * division); beyond that within a few ulps. Negative values become -1, as in readMetric.
 */
function readDecimal(d: Data, out: Float64Array): void {
  const n = d.length;
  const type = d.type as unknown as { bitWidth: number; scale: number };
  const words = type.bitWidth / 32;
  const raw = d.values as Uint32Array;
  // arrow-js-ffi sizes this view as one word per value: look at the whole buffer instead
  const w = new Int32Array(raw.buffer, raw.byteOffset + d.offset * words * 4, n * words);
  const pow = 10 ** Math.abs(type.scale);
  const scaleDown = type.scale >= 0;
  for (let i = 0; i < n; i++) {
    const o = i * words;
    const hi = w[o + 1];
    let small = true;
    for (let k = 2; k < words; k++) if (w[o + k] !== hi >> 31) { small = false; break; }
    let x: number;
    if (small) x = hi * TWO32 + (w[o] >>> 0);
    else {
      x = w[o + words - 1];
      for (let k = words - 2; k >= 0; k--) x = x * TWO32 + (w[o + k] >>> 0);
    }
    const v = scaleDown ? x / pow : x * pow;
    out[i] = v >= 0 ? v : -1;
  }
}

function float16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return -1;
  const x = s * (1 + f / 1024) * 2 ** (e - 15);
  return x >= 0 ? x : -1;
}

/** Interned string ids into out; null becomes -1. */
export function readStrings(d: Data, interner: StringInterner, out: Int32Array): void {
  const n = d.length;
  const type = d.type as DataType;
  if (DataType.isDictionary(type)) {
    const dict = d.dictionary!.data[0];
    const dictIds = new Int32Array(dict.length);
    readStrings(dict, interner, dictIds);
    const idx = d.values as ArrayLike<number>;
    const off = d.offset;
    if (idx instanceof BigInt64Array || idx instanceof BigUint64Array) {
      for (let i = 0; i < n; i++) out[i] = dictIds[Number(idx[off + i])];
    } else {
      for (let i = 0; i < n; i++) out[i] = dictIds[idx[off + i]];
    }
  } else {
    const bytes = d.values as Uint8Array;
    const rawOffsets = d.valueOffsets as Int32Array | BigInt64Array;
    const offsets = rawOffsets instanceof BigInt64Array ? Float64Array.from(rawOffsets, Number) : rawOffsets;
    const off = d.offset;
    let prevStart = -1;
    let prevEnd = -1;
    let prevId = -1;
    for (let i = 0; i < n; i++) {
      const start = offsets[off + i];
      const end = offsets[off + i + 1];
      if (prevId >= 0 && end - start === prevEnd - prevStart && sameBytes(bytes, start, prevStart, end - start)) {
        out[i] = prevId;
        continue;
      }
      prevId = interner.idOfBytes(bytes, start, end);
      prevStart = start;
      prevEnd = end;
      out[i] = prevId;
    }
  }
  if (hasNulls(d)) {
    const bm = d.nullBitmap as Uint8Array;
    for (let i = 0; i < n; i++) if (!isValid(bm, d.offset + i)) out[i] = -1;
  }
}

function sameBytes(b: Uint8Array, a: number, c: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[a + i] !== b[c + i]) return false;
  return true;
}
