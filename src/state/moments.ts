/**
 * Mergeable moments of a stream of non-negative float64 values, the currency between stages.
 *
 * Slot layout (MOMENT_STRIDE doubles): count, sum, sumErr, sumSq, sumSqErr, min, max.
 * Sums are compensated (Ogita-Rump-Oishi Sum2 with Dekker's exact square), so they carry about
 * twice float64's precision. That makes the finished mean and standard deviation independent of
 * row order, partitioning and merge order: the same bytes out whatever the worker count, layout,
 * hunt or detect. min/max make a constant series' stdev exactly 0.
 */
export const MOMENT_STRIDE = 7;
export const BUCKET_STRIDE = 3;

const SPLIT = 134217729; // 2^27 + 1

export function initMoments(a: Float64Array, off: number): void {
  a[off] = 0; a[off + 1] = 0; a[off + 2] = 0; a[off + 3] = 0; a[off + 4] = 0;
  a[off + 5] = Infinity; a[off + 6] = -Infinity;
}

export function newMoments(slots: number): Float64Array {
  const a = new Float64Array(slots * MOMENT_STRIDE);
  initAllMoments(a, 0);
  return a;
}

/** Marks every slot from offset `from` on as empty (min +inf, max -inf). */
export function initAllMoments(a: Float64Array, from: number): void {
  for (let o = from; o + MOMENT_STRIDE <= a.length; o += MOMENT_STRIDE) initMoments(a, o);
}

export function addMoment(a: Float64Array, off: number, x: number): void {
  addBucket(a, off, x);
  const p = x * x;
  compensatedAdd(a, off + 3, p, squareError(x, p));
  if (x < a[off + 5]) a[off + 5] = x;
  if (x > a[off + 6]) a[off + 6] = x;
}

/** x * x - p exactly, for p = fl(x * x) (Dekker). */
export function squareError(x: number, p: number): number {
  // counts and byte totals are integers: below 2^26 their square is exact, and the split is skipped
  if (x < 67108864 && x > -67108864 && (x | 0) === x) return 0;
  const c = SPLIT * x;
  const xh = c - (c - x);
  const xl = x - xh;
  return ((xh * xh - p) + 2 * xh * xl) + xl * xl;
}

export function mergeMoments(dst: Float64Array, d: number, src: Float64Array, s: number): void {
  if (src[s] === 0) return;
  dst[d] += src[s];
  compensatedAdd(dst, d + 1, src[s + 1], src[s + 2]);
  compensatedAdd(dst, d + 3, src[s + 3], src[s + 4]);
  if (src[s + 5] < dst[d + 5]) dst[d + 5] = src[s + 5];
  if (src[s + 6] > dst[d + 6]) dst[d + 6] = src[s + 6];
}

/** Adds hi + lo into the (sum, error) pair at a[off], a[off + 1], keeping the rounding error. */
export function compensatedAdd(a: Float64Array, off: number, hi: number, lo: number): void {
  const s = a[off];
  const t = s + hi;
  const bp = t - s;
  a[off] = t;
  a[off + 1] += (s - (t - bp)) + (hi - bp) + lo;
}

export function momentsCount(a: Float64Array, off: number): number {
  return a[off];
}

export function momentsMean(a: Float64Array, off: number): number {
  return compensatedMean(a[off], a[off + 1], a[off + 2]);
}

/** (sum + err) / n with one rounding at the end, so the mean is as exact as the sum. */
function compensatedMean(n: number, sum: number, err: number): number {
  if (n === 0) return NaN;
  const hi = sum + err;
  const lo = err - (hi - sum);
  const q = hi / n;
  const p = q * n;
  return q + (((hi - p) - twoProdErr(q, n, p)) + lo) / n;
}

/** Sample standard deviation (n - 1); NaN when n < 2. */
export function momentsStdev(a: Float64Array, off: number): number {
  const n = a[off];
  if (n < 2) return NaN;
  if (a[off + 5] === a[off + 6]) return 0;
  // M2 = sumSq - sum^2 / n, in double-double so that the subtraction keeps its digits.
  let sh = a[off + 1] + a[off + 2];
  let sl = a[off + 2] - (sh - a[off + 1]);
  // square (sh, sl)
  let p = sh * sh;
  let e = twoProdErr(sh, sh, p) + 2 * sh * sl;
  let qh = p + e;
  let ql = e - (qh - p);
  // divide by n
  const q1 = qh / n;
  const pn = q1 * n;
  const r = ((qh - pn) - twoProdErr(q1, n, pn)) + ql;
  const q2 = r / n;
  qh = q1 + q2;
  ql = q2 - (qh - q1);
  // subtract from sumSq, normalised first, so that the same exact sum split otherwise by another
  // order of additions (exact for integers) gives the same bits
  sh = a[off + 3] + a[off + 4];
  sl = a[off + 4] - (sh - a[off + 3]);
  const d = sh - qh;
  const bp = d - sh;
  const err = (sh - (d - bp)) + (-qh - bp);
  const m2 = d + (err + sl - ql);
  return m2 <= 0 ? 0 : Math.sqrt(m2 / (n - 1));
}

function twoProdErr(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

export function addBucket(a: Float64Array, off: number, x: number): void {
  a[off] += 1;
  compensatedAdd(a, off + 1, x, 0);
}

export function mergeBucket(dst: Float64Array, d: number, src: Float64Array, s: number): void {
  if (src[s] === 0) return;
  dst[d] += src[s];
  compensatedAdd(dst, d + 1, src[s + 1], src[s + 2]);
}

export function bucketMean(a: Float64Array, off: number): number {
  return compensatedMean(a[off], a[off + 1], a[off + 2]);
}
