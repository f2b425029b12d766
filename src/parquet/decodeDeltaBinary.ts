/**
 * Parquet's DELTA_BINARY_PACKED encoding of INT32 and INT64 values (what DuckDB's and Spark's v2
 * pages and our exporter's timestamps use): blocks of deltas from a minimum, bit-packed per
 * miniblock. Values come out as 32-bit words (INT64 as lo, hi pairs), the arithmetic wrapping at
 * the column's width as the writers' does; no value passes through a float.
 */

let at = 0;
/** the last varint read, as 64 bits */
let lo = 0;
let hi = 0;

function uleb(buf: Uint8Array, end: number): void {
  lo = 0;
  hi = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (at >= end) throw new Error('DELTA_BINARY_PACKED header ends inside a varint');
    const b = buf[at++]!;
    const bits = b & 0x7f;
    if (shift < 32) {
      lo |= bits << shift;
      if (shift > 25) hi |= bits >>> (32 - shift);
    } else if (shift < 64) {
      hi |= bits << (shift - 32);
    }
    if (b < 0x80) return;
  }
  throw new Error('DELTA_BINARY_PACKED varint longer than 64 bits');
}

/** uleb, zigzag-decoded */
function zigzag(buf: Uint8Array, end: number): void {
  uleb(buf, end);
  const negative = lo & 1;
  lo = (lo >>> 1) | (hi << 31);
  hi >>>= 1;
  if (negative) {
    lo = ~lo;
    hi = ~hi;
  }
}

/** `w` bits (1 to 32) at bit `p` of buf, LSB first, as an unsigned number; bytes past buf read as 0. */
function bits(buf: Uint8Array, p: number, w: number): number {
  const i = p >>> 3;
  const s = p & 7;
  let low: number;
  let high: number;
  if (i + 4 < buf.length) {
    low = (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) >>> 0;
    high = buf[i + 4]!;
  } else {
    low = ((buf[i] ?? 0) | ((buf[i + 1] ?? 0) << 8) | ((buf[i + 2] ?? 0) << 16) | ((buf[i + 3] ?? 0) << 24)) >>> 0;
    high = buf[i + 4] ?? 0;
  }
  const x = s === 0 ? low : ((low >>> s) | (high << (32 - s))) >>> 0;
  return w === 32 ? x : (x & ((1 << w) - 1)) >>> 0;
}

let words = new Int32Array(0);

/**
 * The values of a DELTA_BINARY_PACKED page body from buf[pos, end), `count` of them (the page's
 * non-null values), of `width` 4 or 8 bytes, as a byte view of a module-wide scratch (the next
 * call overwrites it). Throws when the data is short, says another count, or is malformed.
 */
export function decodeDeltaBinary(buf: Uint8Array, pos: number, end: number, count: number, width: number): Uint8Array {
  const stride = width / 4;
  if (words.length < count * stride) words = new Int32Array(Math.max(count * stride, words.length * 2));
  const out = words;
  at = pos;
  uleb(buf, end);
  const blockSize = lo >>> 0;
  uleb(buf, end);
  const miniblocks = lo >>> 0;
  uleb(buf, end);
  const total = lo >>> 0;
  if (blockSize === 0 || blockSize % 128 !== 0 || miniblocks === 0 || (blockSize / miniblocks) % 32 !== 0) {
    throw new Error(`DELTA_BINARY_PACKED block of ${blockSize} values in ${miniblocks} miniblocks`);
  }
  if (total !== count) throw new Error(`DELTA_BINARY_PACKED page holds ${total} values, the page header ${count}`);
  zigzag(buf, end);
  let vlo = lo;
  let vhi = hi;
  if (count === 0) return new Uint8Array(out.buffer, 0, 0);
  out[0] = vlo;
  if (stride === 2) out[1] = vhi;
  const perMini = blockSize / miniblocks;
  let k = 1;
  while (k < count) {
    zigzag(buf, end);
    const mlo = lo;
    const mhi = hi;
    if (at + miniblocks > end) throw new Error('DELTA_BINARY_PACKED block ends inside its bit widths');
    const widthsAt = at;
    at += miniblocks;
    for (let m = 0; m < miniblocks && k < count; m++) {
      const w = buf[widthsAt + m]!;
      if (w > width * 8) throw new Error(`DELTA_BINARY_PACKED miniblock of bit width ${w} in a ${width * 8}-bit column`);
      const bytes = (perMini * w) / 8;
      const n = Math.min(perMini, count - k);
      // the last miniblock should be padded to its full size; its values are all that must be there
      if (at + Math.ceil((n * w) / 8) > end) throw new Error('DELTA_BINARY_PACKED miniblock runs past the page');
      const base = at * 8;
      for (let j = 0; j < n; j++, k++) {
        // value += minDelta + packed, in 64 bits (or 32: the hi words are then ignored)
        let plo = 0;
        let phi = 0;
        if (w > 0) {
          const p = base + j * w;
          plo = bits(buf, p, w > 32 ? 32 : w);
          if (w > 32) phi = bits(buf, p + 32, w - 32);
        }
        let sum = (mlo >>> 0) + plo;
        let carry = sum > 0xffffffff ? 1 : 0;
        const dlo = sum >>> 0;
        const dhi = (mhi + phi + carry) | 0;
        sum = (vlo >>> 0) + dlo;
        carry = sum > 0xffffffff ? 1 : 0;
        vlo = sum | 0;
        vhi = (vhi + dhi + carry) | 0;
        if (stride === 2) {
          out[2 * k] = vlo;
          out[2 * k + 1] = vhi;
        } else {
          out[k] = vlo;
        }
      }
      at += bytes;
    }
  }
  return new Uint8Array(out.buffer, 0, count * width);
}
