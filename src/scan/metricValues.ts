import type { Data } from 'apache-arrow';
import { DataType } from 'apache-arrow';
import { readMetric } from './columnReaders.js';

let converted = new Float64Array(0);

/** a column without a bitmap to test */
export const NO_BITMAP: Uint8Array = new Uint8Array(0);

/** The values a column's moments are taken from, or null when every value is null. */
export interface MetricValues {
  v: Float64Array;
  off: number;
  /** a NaN is a null (marked from the validity bitmap), not a value to count as invalid */
  nanIsNull: boolean;
  /** with `unmarked`: the validity bitmap (bit k for v[k]) of a float64 column whose nulls were not marked; else empty */
  bitmap: Uint8Array;
}

/**
 * A metric column as float64 values: a float64 column read in place (its nulls marked NaN and its
 * NaN values -1, once per batch, unless `unmarked`: then its bitmap comes along), another type
 * converted into a buffer that is valid until the next call.
 */
export function metricValues(col: Data, n: number, unmarked = false): MetricValues | null {
  if (col.nullCount === n) return null;
  const type = col.type as DataType;
  if (DataType.isFloat(type) && col.values instanceof Float64Array) {
    const v = col.values;
    const off = col.offset;
    if (col.nullCount > 0 && col.nullBitmap && col.nullBitmap.length > 0) {
      // the folds test validity as they go (a run's a byte at a time): no pass over the values
      if (unmarked) return { v, off, nanIsNull: false, bitmap: col.nullBitmap };
      // The decoded buffer is ours until the next decode: mark nulls in place instead of copying.
      markNulls(v, off, n, col.nullBitmap);
      return { v, off, nanIsNull: true, bitmap: NO_BITMAP };
    }
    return { v, off, nanIsNull: false, bitmap: NO_BITMAP };
  }
  if (converted.length < n) converted = new Float64Array(Math.max(n, converted.length * 2));
  readMetric(col, converted);
  return { v: converted, off: 0, nanIsNull: true, bitmap: NO_BITMAP };
}

/**
 * null -> NaN, a NaN value -> -1, so that a NaN means null to the folds (which count negative and
 * infinite values themselves). A byte of the bitmap at a time: all valid or all null is the
 * common case, and needs no bit tests.
 */
function markNulls(v: Float64Array, off: number, n: number, bitmap: Uint8Array): void {
  const end = off + n;
  let j = off;
  for (; j < end && (j & 7) !== 0; j++) markOne(v, j, bitmap);
  for (; j + 8 <= end; j += 8) {
    const b = bitmap[j >> 3];
    if (b === 255) {
      for (let k = j; k < j + 8; k++) if (v[k] !== v[k]) v[k] = -1;
    } else if (b === 0) {
      v.fill(NaN, j, j + 8);
    } else {
      for (let k = 0; k < 8; k++) {
        if (((b >> k) & 1) === 0) v[j + k] = NaN;
        else if (v[j + k] !== v[j + k]) v[j + k] = -1;
      }
    }
  }
  for (; j < end; j++) markOne(v, j, bitmap);
}

function markOne(v: Float64Array, j: number, bitmap: Uint8Array): void {
  if (((bitmap[j >> 3] >> (j & 7)) & 1) === 0) v[j] = NaN;
  else if (v[j] !== v[j]) v[j] = -1;
}
