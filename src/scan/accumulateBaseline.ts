import type { Data } from 'apache-arrow';
import { DataType } from 'apache-arrow';
import { MOMENT_STRIDE, addMoment, compensatedAdd, squareError } from '../state/moments.js';
import type { SketchTable } from '../state/sketchTable.js';
import { readMetric } from './columnReaders.js';

let converted = new Float64Array(0);

/**
 * Adds one metric column into baseline moments. slotOf[i] is the moments offset of row i (-1 to
 * skip). With `grouped` (rows sorted by key, as the exporter writes them), each run of one slot is
 * summed in a tight loop over locals and flushed once, which keeps the compensated arithmetic in
 * registers; otherwise every value updates its slot directly (the slots of a batch fit in L1).
 * Float64 columns are read in place from wasm memory. Returns how many values were NaN, infinite
 * or negative. With `sketch` (--baseline-model robust) the same values also go into its sketches.
 */
export function accumulateBaseline(
  col: Data, slotOf: Int32Array, n: number, a: Float64Array, metricOffset: number, grouped = true, sketch?: SketchTable,
): number {
  if (col.nullCount === n) return 0;
  let v: Float64Array;
  let off = 0;
  let nanIsNull = true;
  const type = col.type as DataType;
  if (DataType.isFloat(type) && col.values instanceof Float64Array) {
    v = col.values;
    off = col.offset;
    // The decoded buffer is ours until the next decode: mark nulls in place instead of copying.
    if (col.nullCount > 0 && col.nullBitmap && col.nullBitmap.length > 0) markNulls(v, off, n, col.nullBitmap);
    else nanIsNull = false;
  } else {
    if (converted.length < n) converted = new Float64Array(Math.max(n, converted.length * 2));
    readMetric(col, converted);
    v = converted;
  }
  if (sketch !== undefined) sketch.addColumn(v, off, slotOf, n, MOMENT_STRIDE, metricOffset / MOMENT_STRIDE);
  if (!grouped) return addEach(v, off, slotOf, n, a, metricOffset, nanIsNull);
  let invalid = 0;
  let i = 0;
  while (i < n) {
    const slot = slotOf[i];
    let j = i + 1;
    while (j < n && slotOf[j] === slot) j++;
    if (slot >= 0) invalid += addRun(v, off + i, off + j, a, slot + metricOffset, nanIsNull);
    i = j;
  }
  return invalid;
}

function addRun(v: Float64Array, from: number, to: number, a: Float64Array, o: number, nanIsNull: boolean): number {
  let invalid = 0;
  let cnt = 0, s = 0, se = 0, q = 0, qe = 0, mn = Infinity, mx = -Infinity;
  for (let k = from; k < to; k++) {
    const x = v[k];
    if (!(x >= 0 && x < Infinity)) {
      // null (NaN once marked) is skipped silently; NaN, infinite and negative values are counted
      if (x === x || !nanIsNull) invalid++;
      continue;
    }
    cnt++;
    const t = s + x;
    const bp = t - s;
    se += (s - (t - bp)) + (x - bp);
    s = t;
    const p = x * x;
    const t2 = q + p;
    const bp2 = t2 - q;
    qe += (q - (t2 - bp2)) + (p - bp2) + squareError(x, p);
    q = t2;
    mn = x < mn ? x : mn;
    mx = x > mx ? x : mx;
  }
  if (cnt > 0) flush(a, o, cnt, s, se, q, qe, mn, mx);
  return invalid;
}

/** One value at a time into its slot: for batches whose rows are not grouped by key. */
function addEach(v: Float64Array, off: number, slotOf: Int32Array, n: number, a: Float64Array, mo: number, nanIsNull: boolean): number {
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    const slot = slotOf[i];
    if (slot < 0) continue;
    const x = v[off + i];
    if (!(x >= 0 && x < Infinity)) {
      if (x === x || !nanIsNull) invalid++;
      continue;
    }
    addMoment(a, slot + mo, x);
  }
  return invalid;
}

function flush(a: Float64Array, o: number, cnt: number, s: number, se: number, q: number, qe: number, mn: number, mx: number): void {
  a[o] += cnt;
  compensatedAdd(a, o + 1, s, se);
  compensatedAdd(a, o + 3, q, qe);
  if (mn < a[o + 5]) a[o + 5] = mn;
  if (mx > a[o + 6]) a[o + 6] = mx;
}

/** null -> NaN, unusable (NaN, infinite, negative) -> -1, so one comparison tells them apart. */
function markNulls(v: Float64Array, off: number, n: number, bitmap: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    const j = off + i;
    if (((bitmap[j >> 3] >> (j & 7)) & 1) === 0) v[j] = NaN;
    else if (!(v[j] >= 0 && v[j] < Infinity)) v[j] = -1;
  }
}
