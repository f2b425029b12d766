/**
 * Mean and sample standard deviation of non-negative finite doubles in exact rational arithmetic
 * (BigInt), rounded once at the end: the truth that float64 methods approximate. Two-pass or
 * Welford in float64 lose digits on data far from zero (2^40 + 0.1 noise loses six), which would
 * make a correct tool look wrong.
 */

const SCALE = 1074n; // every finite double is an integer multiple of 2^-1074

/** x * 2^1074 exactly. */
function scaled(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // subnormals: fraction * 2^-1074; normals: (2^52 + fraction) * 2^(exponent - 1075)
  return exponent === 0 ? fraction : (fraction | (1n << 52n)) << BigInt(exponent - 1);
}

const bitLength = (v: bigint) => v.toString(2).length;

/** num / den * 2^-shift rounded to the nearest double (num >= 0, den > 0). */
function toDouble(num: bigint, den: bigint, shift: bigint): number {
  if (num === 0n) return 0;
  // a quotient of at least 64 bits, with a sticky bit for an inexact remainder, rounds correctly
  const s = BigInt(66 - (bitLength(num) - bitLength(den)));
  const n = s >= 0n ? num << s : num;
  const d = s >= 0n ? den : den << -s;
  let q = n / d;
  if (q * d !== n) q |= 1n;
  let v = Number(q);
  let e = -Number(s + shift);
  while (e < -1000) { v *= 2 ** -1000; e += 1000; }
  while (e > 1000) { v *= 2 ** 1000; e -= 1000; }
  return v * 2 ** e;
}

export function exactMean(xs: number[]): number {
  let sum = 0n;
  for (const x of xs) sum += scaled(x);
  return toDouble(sum, BigInt(xs.length), SCALE);
}

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = 1n << BigInt(Math.ceil(bitLength(v) / 2));
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt(num / den) * 2^-shift rounded to the nearest double. */
function sqrtToDouble(num: bigint, den: bigint, shift: bigint): number {
  if (num === 0n) return 0;
  // a root of at least 66 bits, with a sticky bit when inexact, rounds correctly
  const k = BigInt(Math.ceil((136 - (bitLength(num) - bitLength(den))) / 2));
  const n = k >= 0n ? num << (2n * k) : num;
  const d = k >= 0n ? den : den << (-2n * k);
  const x = n / d;
  let q = isqrt(x);
  if (q * q !== x || x * d !== n) q |= 1n;
  return toDouble(q, 1n, shift + k);
}

/**
 * Sample standard deviation (n - 1), undefined below two values: the correctly rounded root of the
 * exact variance (the variance itself may be too small or too large for a double).
 */
export function exactSampleStdev(xs: number[]): number | undefined {
  if (xs.length < 2) return undefined;
  const n = BigInt(xs.length);
  let sum = 0n;
  let squares = 0n;
  for (const x of xs) {
    const v = scaled(x);
    sum += v;
    squares += v * v;
  }
  // variance = (n * sum(x^2) - sum(x)^2) / (n * (n - 1)) in units of 2^-2148, so its root is in units of 2^-1074
  return sqrtToDouble(n * squares - sum * sum, n * (n - 1n), SCALE);
}
