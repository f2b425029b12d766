/**
 * A data page's values into the chunk's output arrays at row `row`: PLAIN values copied, or
 * dictionary indices gathered, and spread over the page's rows by its definition level runs
 * (`runs` null when the page has no nulls): runs of valid rows are copied as blocks, null rows get
 * 0. The caller checked that the value bytes exist and that indices are in range.
 */
import type { ByteDictionary } from './byteDictionary.js';
import type { LevelRuns } from './decodeHybrid.js';

let i32Scratch = new Int32Array(1024);
let idxScratch = new Int32Array(1024);

/** the runs shorter than this are copied value by value, not with set() */
const BLOCK = 8;

/** `words` 4-byte words at src[at] as an Int32Array, copied to scratch only when unaligned. */
function aligned32(src: Uint8Array, at: number, words: number): Int32Array {
  if ((src.byteOffset + at) % 4 === 0) return new Int32Array(src.buffer, src.byteOffset + at, words);
  if (i32Scratch.length < words) i32Scratch = new Int32Array(Math.max(words, i32Scratch.length * 2));
  new Uint8Array(i32Scratch.buffer, 0, words * 4).set(src.subarray(at, at + words * 4));
  return i32Scratch;
}

/** The dense index scratch, at least `count` long; overwritten by the next page. */
export function indexScratch(count: number): Int32Array {
  if (idxScratch.length < count) idxScratch = new Int32Array(Math.max(count, idxScratch.length * 2));
  return idxScratch;
}

/**
 * PLAIN values of `width` (4 or 8) bytes into `out`, the chunk's value bytes, as 32-bit words
 * (bit patterns kept: NaN payloads, INT64 halves); `nonNull` values at src[at].
 */
export function plainFixed(src: Uint8Array, at: number, width: number, runs: LevelRuns | null, n: number, nonNull: number,
  out: ArrayBuffer, row: number): void {
  const outBytes = new Uint8Array(out, row * width, n * width);
  if (runs === null) {
    outBytes.set(src.subarray(at, at + n * width));
    return;
  }
  const stride = width / 4;
  const v = aligned32(src, at, nonNull * stride);
  const o = new Int32Array(out, row * width, n * stride);
  const { runs: rl, runCount, levels } = runs;
  let i = 0;
  let k = 0;
  for (let r = 0; r < runCount; r++) {
    const len = rl[2 * r]!;
    const kind = rl[2 * r + 1]!;
    const stop = i + len;
    if (kind === 1) {
      if (len >= BLOCK) o.set(v.subarray(k * stride, (k + len) * stride), i * stride);
      else for (let w = 0; w < len * stride; w++) o[i * stride + w] = v[k * stride + w]!;
      k += len;
    } else if (kind === 0) {
      o.fill(0, i * stride, stop * stride);
    } else if (stride === 1) {
      for (let j = i; j < stop; j++) o[j] = levels[j] ? v[k++]! : 0;
    } else {
      for (let j = i; j < stop; j++) {
        if (levels[j]) {
          o[2 * j] = v[2 * k]!;
          o[2 * j + 1] = v[2 * k + 1]!;
          k++;
        } else {
          o[2 * j] = 0;
          o[2 * j + 1] = 0;
        }
      }
    }
    i = stop;
  }
}

/** DOUBLE dictionary values gathered by idx[0, nonNull) into o[row, row + n). */
export function gatherF64(idx: Int32Array, dict: Float64Array, runs: LevelRuns | null, n: number, o: Float64Array, row: number): void {
  if (runs === null) {
    for (let i = 0; i < n; i++) o[row + i] = dict[idx[i]!]!;
    return;
  }
  const { runs: rl, runCount, levels } = runs;
  let i = 0;
  let k = 0;
  for (let r = 0; r < runCount; r++) {
    const len = rl[2 * r]!;
    const kind = rl[2 * r + 1]!;
    const stop = i + len;
    if (kind === 1) {
      for (let j = i; j < stop; j++) o[row + j] = dict[idx[k++]!]!;
    } else if (kind === 0) {
      o.fill(0, row + i, row + stop);
    } else {
      for (let j = i; j < stop; j++) o[row + j] = levels[j] ? dict[idx[k++]!]! : 0;
    }
    i = stop;
  }
}

/** 4-byte (stride 1) or 8-byte (stride 2, as word pairs) dictionary values gathered by idx[0, nonNull). */
export function gatherWords(idx: Int32Array, dict: Int32Array, stride: number, runs: LevelRuns | null, n: number, o: Int32Array, row: number): void {
  const levels = runs?.levels;
  const runCount = runs === null ? 1 : runs.runCount;
  let i = 0;
  let k = 0;
  for (let r = 0; r < runCount; r++) {
    const len = runs === null ? n : runs.runs[2 * r]!;
    const kind = runs === null ? 1 : runs.runs[2 * r + 1]!;
    const stop = i + len;
    if (kind === 0) {
      o.fill(0, (row + i) * stride, (row + stop) * stride);
    } else if (stride === 1) {
      for (let j = i; j < stop; j++) o[row + j] = kind === 1 || levels![j] ? dict[idx[k++]!]! : 0;
    } else {
      for (let j = i; j < stop; j++) {
        const w = 2 * (row + j);
        if (kind === 1 || levels![j]) {
          const d = 2 * idx[k++]!;
          o[w] = dict[d]!;
          o[w + 1] = dict[d + 1]!;
        } else {
          o[w] = 0;
          o[w + 1] = 0;
        }
      }
    }
    i = stop;
  }
}

/** String dictionary indices idx[0, nonNull), mapped through `remap` when set, spread into o[row, row + n). */
export function spreadIndices(idx: Int32Array, remap: Int32Array | null, runs: LevelRuns | null, n: number, o: Int32Array, row: number): void {
  const levels = runs?.levels;
  const runCount = runs === null ? 1 : runs.runCount;
  let i = 0;
  let k = 0;
  for (let r = 0; r < runCount; r++) {
    const len = runs === null ? n : runs.runs[2 * r]!;
    const kind = runs === null ? 1 : runs.runs[2 * r + 1]!;
    const stop = i + len;
    if (kind === 0) {
      o.fill(0, row + i, row + stop);
    } else if (kind === 1 && remap === null) {
      o.set(idx.subarray(k, k + len), row + i);
      k += len;
    } else if (remap === null) {
      for (let j = i; j < stop; j++) o[row + j] = levels![j] ? idx[k++]! : 0;
    } else {
      for (let j = i; j < stop; j++) o[row + j] = kind === 1 || levels![j] ? remap[idx[k++]!]! : 0;
    }
    i = stop;
  }
}

/**
 * PLAIN BYTE_ARRAY values (4-byte length, then the bytes) interned into `dict`, their indices into
 * o[row, row + n). A value equal to the one before skips the hash lookup (sorted data repeats).
 */
export function plainStrings(src: Uint8Array, at: number, end: number, dict: ByteDictionary, runs: LevelRuns | null,
  n: number, o: Int32Array, row: number): void {
  const levels = runs?.levels;
  const runCount = runs === null ? 1 : runs.runCount;
  let p = at;
  let i = 0;
  let prevAt = -1;
  let prevSize = -1;
  let prevIdx = 0;
  for (let r = 0; r < runCount; r++) {
    const len = runs === null ? n : runs.runs[2 * r]!;
    const kind = runs === null ? 1 : runs.runs[2 * r + 1]!;
    const stop = i + len;
    for (; i < stop; i++) {
      if (kind === 0 || (kind === 2 && !levels![i])) {
        o[row + i] = 0;
        continue;
      }
      if (p + 4 > end) throw new Error(`PLAIN strings end after ${i} of ${n} values`);
      const size = (src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16) | (src[p + 3]! << 24)) >>> 0;
      p += 4;
      if (p + size > end) throw new Error(`a PLAIN string of ${size} bytes runs past the page`);
      if (size !== prevSize || !sameBytes(src, p, prevAt, size)) {
        prevIdx = dict.intern(src, p, p + size);
        prevAt = p;
        prevSize = size;
      }
      o[row + i] = prevIdx;
      p += size;
    }
  }
}

function sameBytes(b: Uint8Array, x: number, y: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (b[x + k] !== b[y + k]) return false;
  return true;
}

/** Sets the validity bits of the page's valid rows, rows [row, row + n) of the chunk. */
export function setValidity(bm: Uint8Array, runs: LevelRuns | null, n: number, row: number): void {
  if (runs === null) {
    setBits(bm, row, n);
    return;
  }
  const { runs: rl, runCount, levels } = runs;
  let i = 0;
  for (let r = 0; r < runCount; r++) {
    const len = rl[2 * r]!;
    const kind = rl[2 * r + 1]!;
    if (kind === 1) setBits(bm, row + i, len);
    else if (kind === 2) {
      for (let j = i; j < i + len; j++) if (levels[j]) bm[(row + j) >> 3] |= 1 << ((row + j) & 7);
    }
    i += len;
  }
}

function setBits(bm: Uint8Array, from: number, n: number): void {
  let r = from;
  const stop = from + n;
  for (; r < stop && (r & 7) !== 0; r++) bm[r >> 3] |= 1 << (r & 7);
  if (stop - r >= 8) {
    bm.fill(0xff, r >> 3, stop >> 3);
    r = stop & ~7;
  }
  for (; r < stop; r++) bm[r >> 3] |= 1 << (r & 7);
}
