/**
 * Parquet's RLE / bit-packed hybrid encoding, for definition levels (bit width 1) and dictionary
 * indices (any width up to 32). Both throw when the data ends before `count` values.
 */
import { wasmHybridIndices } from './wasmCodecs.js';

let at = 0;

/** ULEB128 run header at buf[at] (advances `at`); -1 when the data ends inside it. */
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
 * A page's definition levels as runs: runs[2r] rows of kind runs[2r + 1], 0 (all null), 1 (all
 * valid) or 2 (mixed: levels[] holds each row's 0 or 1). Adjacent runs of one kind are merged.
 */
export interface LevelRuns {
  levels: Uint8Array;
  runs: Int32Array;
  runCount: number;
  /** rows with level 1 */
  valid: number;
}

const levelRuns: LevelRuns = { levels: new Uint8Array(1024), runs: new Int32Array(256), runCount: 0, valid: 0 };

function pushRun(r: LevelRuns, len: number, kind: number): void {
  const c = r.runCount;
  if (c > 0 && r.runs[2 * c - 1] === kind) {
    r.runs[2 * c - 2] += len;
    return;
  }
  if (2 * c + 2 > r.runs.length) {
    const next = new Int32Array(r.runs.length * 2);
    next.set(r.runs);
    r.runs = next;
  }
  r.runs[2 * c] = len;
  r.runs[2 * c + 1] = kind;
  r.runCount = c + 1;
}

/**
 * Definition levels of a flat optional column (0 null, 1 valid) from buf[pos, end), `count` of
 * them. The result is module-wide: the next call overwrites it.
 */
export function decodeHybridLevels(buf: Uint8Array, pos: number, end: number, count: number): LevelRuns {
  const r = levelRuns;
  if (r.levels.length < count) r.levels = new Uint8Array(Math.max(count, r.levels.length * 2));
  const out = r.levels;
  r.runCount = 0;
  at = pos;
  let i = 0;
  let ones = 0;
  while (i < count) {
    const h = header(buf, end);
    if (h < 0) break;
    if (h % 2 === 1) {
      const n = Math.min((h - 1) / 2 * 8, count - i);
      const bytes = (n + 7) >>> 3;
      if (at + bytes > end) break;
      const stop = i + n;
      const before = ones;
      for (let k = 0; i < stop; k++) {
        const b = buf[at + k]!;
        const m = Math.min(8, stop - i);
        for (let j = 0; j < m; j++) {
          const v = (b >>> j) & 1;
          out[i++] = v;
          ones += v;
        }
      }
      pushRun(r, n, ones === before ? 0 : ones - before === n ? 1 : 2);
      at += (h - 1) / 2;
    } else {
      if (at >= end) break;
      const v = buf[at++]!;
      if (v > 1) throw new Error(`definition level ${v} exceeds the column's maximum of 1`);
      const n = Math.min(h / 2, count - i);
      if (n === 0) continue;
      pushRun(r, n, v);
      i += n;
      ones += v * n;
    }
  }
  if (i < count) throw new Error(`definition levels end after ${i} of ${count} values`);
  r.valid = ones;
  return r;
}

/**
 * Dictionary indices of width `bitWidth` from buf[pos, end) into out[outPos, outPos + count);
 * returns the largest (as unsigned), for the caller's range check. Decoded in WebAssembly.
 */
export function decodeHybridIndices(buf: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array, outPos: number): number {
  if (bitWidth > 32) throw new Error(`dictionary index bit width ${bitWidth} exceeds 32`);
  if (bitWidth === 0) {
    out.fill(0, outPos, outPos + count);
    return 0;
  }
  return wasmHybridIndices(buf, pos, end, bitWidth, count, out, outPos);
}
