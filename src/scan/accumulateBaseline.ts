import type { Data } from 'apache-arrow';
import { MOMENT_STRIDE, addMoment, compensatedAdd, squareError } from '../state/moments.js';
import type { SketchTable } from '../state/sketchTable.js';
import { NO_BITMAP, metricValues } from './metricValues.js';

/** 2^53: sums of non-negative integers that stay below it are exact in float64 */
const EXACT_LIMIT = 9007199254740992;

/** whether sumExact may apply to the column being folded: cleared once it does not */
let exactHope = true;

/** Lets sumRun try plain integer sums again (for each new column). */
export function expectIntegers(): void {
  exactHope = true;
}

/** Whether sumRun still sums integers plainly: no value since expectIntegers had a fraction. */
export function integersExact(): boolean {
  return exactHope;
}

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
  const values = metricValues(col, n, sketch === undefined);
  if (values === null) return 0;
  expectIntegers();
  const { v, off, nanIsNull, bitmap } = values;
  if (sketch !== undefined) sketch.addColumn(v, off, slotOf, n, MOMENT_STRIDE, metricOffset / MOMENT_STRIDE);
  if (!grouped) return addEach(v, off, slotOf, n, a, metricOffset, nanIsNull, bitmap);
  let invalid = 0;
  let i = 0;
  while (i < n) {
    const slot = slotOf[i];
    let j = i + 1;
    while (j < n && slotOf[j] === slot) j++;
    if (slot >= 0) invalid += addRun(v, off + i, off + j, a, slot + metricOffset, nanIsNull, bitmap);
    i = j;
  }
  return invalid;
}

function addRun(v: Float64Array, from: number, to: number, a: Float64Array, o: number, nanIsNull: boolean, bitmap: Uint8Array): number {
  const invalid = sumRun(v, from, to, nanIsNull, bitmap);
  const r = runSums;
  if (r[0] > 0) flush(a, o, r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
  return invalid;
}

/** sumRun's result: count, sum, its error, sum of squares, its error, min, max. */
export const runSums = new Float64Array(7);

/**
 * The compensated moments of v[from, to) into runSums, summed over locals so they stay in
 * registers; returns how many values were NaN, infinite or negative (a NaN that marks a null is
 * skipped silently). With a `bitmap` (bit k for v[k]) only valid rows are read: whole bytes of
 * valid rows are summed as stretches without per-value tests, null bytes skipped, and only mixed
 * bytes tested bit by bit. The sums carry on across pieces, so they are the same additions in
 * the same order as one tested loop over the run.
 */
export function sumRun(v: Float64Array, from: number, to: number, nanIsNull: boolean, bitmap = NO_BITMAP): number {
  const r = runSums;
  r[0] = 0; r[1] = 0; r[2] = 0; r[3] = 0; r[4] = 0; r[5] = Infinity; r[6] = -Infinity;
  if (bitmap.length === 0) return sumStretch(v, from, to) ? 0 : sumTested(v, from, to, nanIsNull, NO_BITMAP);
  let invalid = 0;
  let k = from;
  while (k < to) {
    if ((k & 7) === 0 && k + 8 <= to) {
      const b = bitmap[k >> 3];
      if (b === 255 || b === 0) {
        let e = k + 8;
        while (e + 8 <= to && bitmap[e >> 3] === b) e += 8;
        if (b === 255 && !sumStretch(v, k, e)) invalid += sumTested(v, k, e, false, NO_BITMAP);
        k = e;
        continue;
      }
    }
    const e = Math.min(to, (k | 7) + 1);
    invalid += sumTested(v, k, e, false, bitmap);
    k = e;
  }
  return invalid;
}

/** A stretch without nulls into runSums: plain sums of integers where they apply, else sumUsable; false when a value is unusable. */
function sumStretch(v: Float64Array, from: number, to: number): boolean {
  return exactHope ? sumExact(v, from, to) : sumUsable(v, from, to);
}

/** values per block of sumExact: 32 squares below 2^48 each stay below 2^53 */
const BLOCK = 32;
const saved = new Float64Array(7);

/**
 * sumUsable for integers (counts, bytes, packets: most metrics), a block at a time: a block's
 * plain sums are exact while its sum of squares stays below 2^53, so they are added into the
 * compensated sums once per block, with their rounding error, and the run's sums are as exact as
 * sumUsable's at a fraction of the work. A block that is not exact (a fraction, or squares past
 * 2^53) goes through sumUsable; after a fraction the rest of the column does. false, with runSums
 * left as it was, when a value is NaN, infinite or negative.
 */
function sumExact(v: Float64Array, from: number, to: number): boolean {
  const r = runSums;
  saved.set(r);
  let cnt = r[0], s = r[1], se = r[2], q = r[3], qe = r[4], mn = r[5], mx = r[6];
  for (let b = from; b < to; b += BLOCK) {
    const e = b + BLOCK < to ? b + BLOCK : to;
    let bs = 0, bq = 0, f = 0;
    for (let k = b; k < e; k++) {
      const x = v[k];
      bs += x;
      bq += x * x;
      f += x - Math.floor(x);
      mn = x < mn ? x : mn;
      mx = x > mx ? x : mx;
    }
    if (f === 0 && bq < EXACT_LIMIT && mn >= 0) {
      cnt += e - b;
      const t = s + bs;
      const bp = t - s;
      se += (s - (t - bp)) + (bs - bp);
      s = t;
      const t2 = q + bq;
      const bp2 = t2 - q;
      qe += (q - (t2 - bp2)) + (bq - bp2);
      q = t2;
      continue;
    }
    if (f !== f || mn < 0) return restore();
    r[0] = cnt; r[1] = s; r[2] = se; r[3] = q; r[4] = qe; r[5] = mn; r[6] = mx;
    if (f !== 0) {
      exactHope = false;
      return sumUsable(v, b, to) || restore();
    }
    if (!sumUsable(v, b, e)) return restore();
    cnt = r[0]; s = r[1]; se = r[2]; q = r[3]; qe = r[4];
  }
  r[0] = cnt; r[1] = s; r[2] = se; r[3] = q; r[4] = qe; r[5] = mn; r[6] = mx;
  return true;
}

function restore(): false {
  runSums.set(saved);
  return false;
}

/** sumRun's loop, testing each value (and with a bitmap, its bit), carrying on from runSums. */
function sumTested(v: Float64Array, from: number, to: number, nanIsNull: boolean, bitmap: Uint8Array): number {
  const masked = bitmap.length > 0;
  const r = runSums;
  let invalid = 0;
  let cnt = r[0], s = r[1], se = r[2], q = r[3], qe = r[4], mn = r[5], mx = r[6];
  for (let k = from; k < to; k++) {
    if (masked && ((bitmap[k >> 3] >> (k & 7)) & 1) === 0) continue;
    const x = v[k];
    if (!(x >= 0 && x < Infinity)) {
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
  r[0] = cnt; r[1] = s; r[2] = se; r[3] = q; r[4] = qe; r[5] = mn; r[6] = mx;
  return invalid;
}

/**
 * sumTested for a stretch whose values are all usable, without testing each: a NaN poisons the
 * sum, and a negative or infinite value shows in the minimum or maximum, so the stretch is judged
 * once at its end (false: runSums is left as it was, for sumTested to redo the stretch). Its
 * arithmetic is sumTested's, term for term, so a run's bits do not depend on which loop took a
 * stretch. (Splitting sumTested into stretches for this loop alone, to keep one copy of it, made
 * runs with scattered nulls up to 1.7x slower.)
 */
function sumUsable(v: Float64Array, from: number, to: number): boolean {
  const r = runSums;
  let s = r[1], se = r[2], q = r[3], qe = r[4], mn = r[5], mx = r[6];
  for (let k = from; k < to; k++) {
    const x = v[k];
    const t = s + x;
    const bp = t - s;
    se += (s - (t - bp)) + (x - bp);
    s = t;
    const p = x * x;
    const t2 = q + p;
    const bp2 = t2 - q;
    // squareError, inlined by hand (calling it made this loop about a tenth slower): an integer
    // below 2^26 (counts, byte totals) squares exactly
    let e = 0;
    if (!(x < 67108864 && (x | 0) === x)) {
      const c = 134217729 * x;
      const xh = c - (c - x);
      const xl = x - xh;
      e = ((xh * xh - p) + 2 * xh * xl) + xl * xl;
    }
    qe += (q - (t2 - bp2)) + (p - bp2) + e;
    q = t2;
    mn = x < mn ? x : mn;
    mx = x > mx ? x : mx;
  }
  if (!(mn >= 0 && mx < Infinity && s === s)) return false;
  r[0] += to - from; r[1] = s; r[2] = se; r[3] = q; r[4] = qe; r[5] = mn; r[6] = mx;
  return true;
}

/** One value at a time into its slot: for batches whose rows are not grouped by key. */
function addEach(v: Float64Array, off: number, slotOf: Int32Array, n: number, a: Float64Array, mo: number, nanIsNull: boolean, bitmap: Uint8Array): number {
  const masked = bitmap.length > 0;
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    const slot = slotOf[i];
    if (slot < 0) continue;
    const k = off + i;
    if (masked && ((bitmap[k >> 3] >> (k & 7)) & 1) === 0) continue;
    const x = v[k];
    if (!(x >= 0 && x < Infinity)) {
      if (x === x || !nanIsNull) invalid++;
      continue;
    }
    addMoment(a, slot + mo, x);
  }
  return invalid;
}

export function flush(a: Float64Array, o: number, cnt: number, s: number, se: number, q: number, qe: number, mn: number, mx: number): void {
  a[o] += cnt;
  compensatedAdd(a, o + 1, s, se);
  compensatedAdd(a, o + 3, q, qe);
  if (mn < a[o + 5]) a[o + 5] = mn;
  if (mx > a[o + 6]) a[o + 6] = mx;
}
