/**
 * The RLE / bit-packed hybrid dictionary-index decoder in plain JavaScript, as it was before the
 * WebAssembly one: the reference the tests hold src/parquet/decodeHybrid.ts to.
 */
let at = 0;

function header(buf: Uint8Array, end: number): number {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= end) return -1;
    const b = buf[at++]!;
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return v;
  }
  throw new Error('run header varint too long');
}

/**
 * Dictionary indices of width `bitWidth` from buf[pos, end) into out[outPos, outPos + count);
 * returns the largest (as unsigned), for the caller's range check.
 */
export function referenceHybridIndices(buf: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array, outPos: number): number {
  if (bitWidth > 32) throw new Error(`dictionary index bit width ${bitWidth} exceeds 32`);
  if (bitWidth === 0) {
    out.fill(0, outPos, outPos + count);
    return 0;
  }
  const valueBytes = (bitWidth + 7) >>> 3;
  at = pos;
  let i = outPos;
  let max = 0;
  const stopAll = outPos + count;
  while (i < stopAll) {
    const h = header(buf, end);
    if (h < 0) break;
    if (h % 2 === 1) {
      const groups = (h - 1) / 2;
      const n = Math.min(groups * 8, stopAll - i);
      if (at + Math.ceil((n * bitWidth) / 8) > end) break;
      const m = unpack(buf, at, bitWidth, n, out, i);
      if (m > max) max = m;
      i += n;
      at += groups * bitWidth;
    } else {
      if (at + valueBytes > end) break;
      let v = buf[at]!;
      if (valueBytes > 1) v |= buf[at + 1]! << 8;
      if (valueBytes > 2) v |= buf[at + 2]! << 16;
      if (valueBytes > 3) v |= buf[at + 3]! << 24;
      at += valueBytes;
      const n = Math.min(h / 2, stopAll - i);
      if (n === 0) continue;
      if (n < 16) for (let k = i; k < i + n; k++) out[k] = v;
      else out.fill(v, i, i + n);
      if (v >>> 0 > max) max = v >>> 0;
      i += n;
    }
  }
  if (i < stopAll) throw new Error(`dictionary indices end after ${i - outPos} of ${count} values`);
  return max;
}

/** n values of width w, LSB first, from buf[pos] into out[o, o + n); returns the largest. The caller checked the bytes exist. */
function unpack(buf: Uint8Array, pos: number, w: number, n: number, out: Int32Array, o: number): number {
  let max = 0;
  if (w === 8) {
    for (let i = 0; i < n; i++) {
      const v = buf[pos + i]!;
      out[o + i] = v;
      max = v > max ? v : max;
    }
    return max;
  }
  if (w === 16) {
    for (let i = 0; i < n; i++) {
      const v = buf[pos + 2 * i]! | (buf[pos + 2 * i + 1]! << 8);
      out[o + i] = v;
      max = v > max ? v : max;
    }
    return max;
  }
  if (w > 24) return unpackWide(buf, pos, w, n, out, o);
  const mask = (1 << w) - 1;
  const stop = o + n;
  // each value from one unaligned 32-bit load (shift + width <= 31), which may read up to 3 bytes
  // past the values: where the buffer has them
  const bytes = Math.ceil((n * w) / 8);
  if (pos + bytes + 3 <= buf.length) {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    for (let i = o, bit = 0; i < stop; i++, bit += w) {
      const v = (view.getUint32(pos + (bit >>> 3), true) >>> (bit & 7)) & mask;
      out[i] = v;
      max = v > max ? v : max;
    }
    return max;
  }
  let acc = 0;
  let bits = 0;
  let p = pos;
  for (let i = o; i < stop; i++) {
    while (bits < w) {
      acc |= buf[p++]! << bits;
      bits += 8;
    }
    const v = acc & mask;
    out[i] = v;
    max = v > max ? v : max;
    acc >>>= w;
    bits -= w;
  }
  return max;
}

/** Widths 25-32: the accumulator would overflow 32 bits, so each value is read from its bytes. */
function unpackWide(buf: Uint8Array, pos: number, w: number, n: number, out: Int32Array, o: number): number {
  const span = 2 ** w;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const bit = i * w;
    const b = pos + (bit >>> 3);
    let v = 0;
    for (let k = 4; k >= 0; k--) v = v * 256 + (buf[b + k] ?? 0);
    v = Math.floor(v / 2 ** (bit & 7)) % span;
    out[o + i] = v;
    if (v > max) max = v;
  }
  return max;
}
