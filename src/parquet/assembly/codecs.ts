// AssemblyScript: the page decompressors whose per-sequence work JavaScript does slowly (LZ4_RAW
// and SNAPPY pages of doubles hold a sequence every few bytes). Compiled by
// scripts/buildCodecs.mjs; src/parquet/wasmCodecs.ts owns the memory: the input at `src`, the
// output at `dst`, each with 16 bytes of slack after it, so copies may run 8 or 16 bytes past a
// sequence's end (into bytes later output overwrites, or the slack). Each returns the bytes
// written, or a negative code that wasmCodecs.ts words, `errorAt` saying where: the output
// position, or for a wrong Snappy preamble the size it gives.

const TRUNCATED_LENGTH: i32 = -1;
const LITERALS_PAST_INPUT: i32 = -2;
const OUTPUT_OVERFLOW: i32 = -3;
const TRUNCATED_OFFSET: i32 = -4;
const BAD_OFFSET: i32 = -5;
const SHORT_OUTPUT: i32 = -6;
const BAD_PREAMBLE: i32 = -7;

export let errorAt: i32 = 0;

@inline
function fail(code: i32, at: i32): i32 {
  errorAt = at;
  return code;
}

@inline
function copyMatch(d: usize, off: usize, len: usize): void {
  const e = d + len;
  let step = off;
  if (off < 8) {
    // the match repeats with period `off`: a byte at a time until a whole number of periods
    // (8 to 14 bytes) lies behind, then 8 bytes at a time from that far back
    step = off * ((8 + off - 1) / off);
    const first = d + step;
    while (d < first && d < e) {
      store<u8>(d, load<u8>(d - off));
      d++;
    }
  }
  while (d < e) {
    store<u64>(d, load<u64>(d - step));
    d += 8;
  }
}

@inline
function copyLiterals(d: usize, s: usize, len: usize): void {
  if (len <= 16) {
    store<u64>(d, load<u64>(s));
    store<u64>(d + 8, load<u64>(s + 8));
  } else {
    memory.copy(d, s, len);
  }
}

/** One LZ4 block (Parquet's LZ4_RAW) of exactly dstLen bytes. */
export function lz4(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  let ip: i32 = 0;
  let op: i32 = 0;
  while (ip < srcLen) {
    const token = <i32>load<u8>(src + ip);
    ip++;
    let lit = token >>> 4;
    if (lit == 15) {
      let b: i32 = 0;
      do {
        if (ip >= srcLen) return fail(TRUNCATED_LENGTH, op);
        b = <i32>load<u8>(src + ip);
        ip++;
        lit += b;
      } while (b == 255 && lit <= srcLen);
    }
    if (lit > srcLen - ip) return fail(LITERALS_PAST_INPUT, op);
    if (lit > dstLen - op) return fail(OUTPUT_OVERFLOW, op);
    copyLiterals(dst + op, src + ip, lit);
    ip += lit;
    op += lit;
    // the last sequence holds only literals
    if (ip == srcLen) break;
    if (ip + 2 > srcLen) return fail(TRUNCATED_OFFSET, op);
    const off = <i32>load<u16>(src + ip);
    ip += 2;
    let len = (token & 15) + 4;
    if (len == 19) {
      let b: i32 = 0;
      do {
        if (ip >= srcLen) return fail(TRUNCATED_LENGTH, op);
        b = <i32>load<u8>(src + ip);
        ip++;
        len += b;
      } while (b == 255 && len <= dstLen);
    }
    if (off == 0 || off > op) return fail(BAD_OFFSET, op);
    if (len > dstLen - op) return fail(OUTPUT_OVERFLOW, op);
    copyMatch(dst + op, off, len);
    op += len;
  }
  return op == dstLen ? op : fail(SHORT_OUTPUT, op);
}

/** One Snappy block of exactly dstLen bytes (its preamble must say so). */
export function snappy(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  let ip: i32 = 0;
  let size: u32 = 0;
  let shift: u32 = 0;
  while (true) {
    if (ip >= srcLen || shift > 28) return fail(BAD_PREAMBLE, -1);
    const b = <u32>load<u8>(src + ip);
    ip++;
    size |= (b & 127) << shift;
    if (b < 128) break;
    shift += 7;
  }
  if (size != <u32>dstLen) return fail(BAD_PREAMBLE, <i32>size);
  let op: i32 = 0;
  while (ip < srcLen) {
    const tag = <i32>load<u8>(src + ip);
    ip++;
    const kind = tag & 3;
    if (kind == 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        if (ip + bytes > srcLen) return fail(TRUNCATED_LENGTH, op);
        let long: u32 = 0;
        for (let k = 0; k < bytes; k++) long |= <u32>load<u8>(src + ip + k) << (8 * k);
        ip += bytes;
        if (long >= <u32>(srcLen - ip)) return fail(LITERALS_PAST_INPUT, op);
        len = <i32>long + 1;
      }
      if (len > srcLen - ip) return fail(LITERALS_PAST_INPUT, op);
      if (len > dstLen - op) return fail(OUTPUT_OVERFLOW, op);
      copyLiterals(dst + op, src + ip, len);
      ip += len;
      op += len;
      continue;
    }
    let len: i32;
    let off: i32;
    if (kind == 1) {
      if (ip >= srcLen) return fail(TRUNCATED_OFFSET, op);
      len = ((tag >>> 2) & 7) + 4;
      off = ((tag >>> 5) << 8) | <i32>load<u8>(src + ip);
      ip++;
    } else if (kind == 2) {
      if (ip + 2 > srcLen) return fail(TRUNCATED_OFFSET, op);
      len = (tag >>> 2) + 1;
      off = <i32>load<u16>(src + ip);
      ip += 2;
    } else {
      if (ip + 4 > srcLen) return fail(TRUNCATED_OFFSET, op);
      len = (tag >>> 2) + 1;
      off = load<i32>(src + ip);
      ip += 4;
    }
    if (off <= 0 || off > op) return fail(BAD_OFFSET, op);
    if (len > dstLen - op) return fail(OUTPUT_OVERFLOW, op);
    copyMatch(dst + op, off, len);
    op += len;
  }
  return op == dstLen ? op : fail(SHORT_OUTPUT, op);
}

// BYTE_STREAM_SPLIT byte gathers, for i8x16.shuffle: interleave the low or high halves of two
// vectors by bytes, then by 2-byte and 4-byte units, so 8 (or 4) streams of 16 bytes become 16
// whole values in three (or two) rounds.

@inline
function zip8lo(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

@inline
function zip8hi(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

@inline
function zip16lo(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
}

@inline
function zip16hi(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
}

@inline
function zip32lo(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
}

@inline
function zip32hi(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
}

/**
 * BYTE_STREAM_SPLIT: `count` values of `width` (4 or 8) bytes whose byte b lies in stream b, at
 * src + b * count, interleaved into whole values at dst (which must not overlap src).
 */
export function byteStreamSplit(src: usize, count: i32, width: i32, dst: usize): void {
  const n = <usize>count;
  let i: usize = 0;
  if (width == 8) {
    for (; i + 16 <= n; i += 16) {
      const s = src + i;
      const p0 = v128.load(s), p1 = v128.load(s + n), p2 = v128.load(s + 2 * n), p3 = v128.load(s + 3 * n);
      const p4 = v128.load(s + 4 * n), p5 = v128.load(s + 5 * n), p6 = v128.load(s + 6 * n), p7 = v128.load(s + 7 * n);
      const a0 = zip8lo(p0, p1), a1 = zip8hi(p0, p1), b0 = zip8lo(p2, p3), b1 = zip8hi(p2, p3);
      const c0 = zip8lo(p4, p5), c1 = zip8hi(p4, p5), d0 = zip8lo(p6, p7), d1 = zip8hi(p6, p7);
      // bytes 0-3 and 4-7 of values 0-3, 4-7, 8-11, 12-15
      const e0 = zip16lo(a0, b0), e1 = zip16hi(a0, b0), e2 = zip16lo(a1, b1), e3 = zip16hi(a1, b1);
      const f0 = zip16lo(c0, d0), f1 = zip16hi(c0, d0), f2 = zip16lo(c1, d1), f3 = zip16hi(c1, d1);
      const o = dst + i * 8;
      v128.store(o, zip32lo(e0, f0));
      v128.store(o + 16, zip32hi(e0, f0));
      v128.store(o + 32, zip32lo(e1, f1));
      v128.store(o + 48, zip32hi(e1, f1));
      v128.store(o + 64, zip32lo(e2, f2));
      v128.store(o + 80, zip32hi(e2, f2));
      v128.store(o + 96, zip32lo(e3, f3));
      v128.store(o + 112, zip32hi(e3, f3));
    }
  } else if (width == 4) {
    for (; i + 16 <= n; i += 16) {
      const s = src + i;
      const p0 = v128.load(s), p1 = v128.load(s + n), p2 = v128.load(s + 2 * n), p3 = v128.load(s + 3 * n);
      const a0 = zip8lo(p0, p1), a1 = zip8hi(p0, p1), b0 = zip8lo(p2, p3), b1 = zip8hi(p2, p3);
      const o = dst + i * 4;
      v128.store(o, zip16lo(a0, b0));
      v128.store(o + 16, zip16hi(a0, b0));
      v128.store(o + 32, zip16lo(a1, b1));
      v128.store(o + 48, zip16hi(a1, b1));
    }
  }
  const w = <usize>width;
  for (; i < n; i++) {
    for (let b: usize = 0; b < w; b++) store<u8>(dst + i * w + b, load<u8>(src + b * n + i));
  }
}

/** hybridIndices' largest index (unsigned) */
export let maxIndex: u32 = 0;

/**
 * Parquet's RLE / bit-packed hybrid dictionary indices of width `w` (1 to 32): up to `count` from
 * src[0, len) into i32s at dst. Returns how many it decoded: fewer than `count` when the data ends
 * first, -1 for a run header longer than 5 bytes. Reads up to 8 bytes past `len` (slack).
 */
export function hybridIndices(src: usize, len: i32, w: i32, count: i32, dst: usize): i32 {
  const mask: u64 = (<u64>1 << <u64>w) - 1;
  const valueBytes = (w + 7) >> 3;
  const end = <i64>len;
  let at: i64 = 0;
  let i: i32 = 0;
  let max: u32 = 0;
  while (i < count) {
    let h: u64 = 0;
    let shift: i32 = 0;
    let done = false;
    while (at < end) {
      const b = <u64>load<u8>(src + <usize>at);
      at++;
      h |= (b & 0x7f) << <u64>shift;
      if (b < 0x80) {
        done = true;
        break;
      }
      shift += 7;
      if (shift >= 35) return -1;
    }
    if (!done) break;
    const left = <i64>(count - i);
    const length = <i64>(h >> 1);
    if (h & 1) {
      const n = <i32>(length * 8 < left ? length * 8 : left);
      if (at + <i64>((n * w + 7) >> 3) > end) break;
      const base = src + <usize>at;
      const o = dst + (<usize>i << 2);
      for (let k: i32 = 0, bit: i32 = 0; k < n; k++, bit += w) {
        const v = <u32>((load<u64>(base + <usize>(bit >> 3)) >> <u64>(bit & 7)) & mask);
        store<u32>(o + (<usize>k << 2), v);
        max = v > max ? v : max;
      }
      i += n;
      at += length * <i64>w;
    } else {
      if (at + <i64>valueBytes > end) break;
      let v: u32 = 0;
      for (let k = 0; k < valueBytes; k++) v |= (<u32>load<u8>(src + <usize>at + k)) << (8 * k);
      at += valueBytes;
      const n = <i32>(length < left ? length : left);
      const o = dst + (<usize>i << 2);
      for (let k: i32 = 0; k < n; k++) store<u32>(o + (<usize>k << 2), v);
      if (n > 0 && v > max) max = v;
      i += n;
    }
  }
  maxIndex = max;
  return i;
}
