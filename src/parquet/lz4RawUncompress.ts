/**
 * LZ4 block decoder (Parquet's LZ4_RAW codec: one block, no frame) into a buffer the caller sized
 * from the page header. Every read and copy is bounds-checked: corrupt input throws.
 *
 * Away from the ends, literals and matches are copied 4 bytes at a time through DataViews
 * (unaligned 32-bit loads and stores), overrunning the copy's end by up to 15 bytes: those bytes
 * lie past the output written so far, never serve as a match source, and the sequences that
 * follow overwrite them. Pages of doubles average one sequence per value, so this per-sequence
 * cost is what bounds the speed.
 */
import { copyMatch } from './copyMatch.js';

/** copies at least this long go through set / copyWithin */
const LONG = 32;

/** Decompresses `input` into all of `output`; throws unless the block holds exactly output.length bytes. */
export function lz4RawUncompress(input: Uint8Array, output: Uint8Array): void {
  const inLen = input.length;
  const n = output.length;
  const iv = new DataView(input.buffer, input.byteOffset, inLen);
  const ov = new DataView(output.buffer, output.byteOffset, n);
  let ip = 0;
  let op = 0;
  while (ip < inLen) {
    const token = input[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (ip >= inLen) throw new Error('lz4: truncated literal length');
        b = input[ip++]!;
        lit += b;
      } while (b === 255);
    }
    const litEnd = ip + lit;
    if (litEnd > inLen) throw new Error('lz4: literals run past the input');
    if (op + lit > n) throw new Error(`lz4: output exceeds ${n} bytes`);
    if (lit <= 16 && ip + 16 <= inLen && op + 16 <= n) {
      ov.setUint32(op, iv.getUint32(ip, true), true);
      if (lit > 4) {
        ov.setUint32(op + 4, iv.getUint32(ip + 4, true), true);
        if (lit > 8) {
          ov.setUint32(op + 8, iv.getUint32(ip + 8, true), true);
          ov.setUint32(op + 12, iv.getUint32(ip + 12, true), true);
        }
      }
      ip = litEnd;
      op += lit;
    } else if (lit < LONG) {
      while (ip < litEnd) output[op++] = input[ip++]!;
    } else {
      output.set(input.subarray(ip, litEnd), op);
      ip = litEnd;
      op += lit;
    }
    // the last sequence holds only literals
    if (ip === inLen) break;
    if (ip + 2 > inLen) throw new Error('lz4: truncated match offset');
    const off = input[ip]! | (input[ip + 1]! << 8);
    ip += 2;
    let len = (token & 15) + 4;
    if (len === 19) {
      let b: number;
      do {
        if (ip >= inLen) throw new Error('lz4: truncated match length');
        b = input[ip++]!;
        len += b;
      } while (b === 255);
    }
    if (off === 0 || off > op) throw new Error(`lz4: match offset ${off} at output position ${op}`);
    const end = op + len;
    if (end > n) throw new Error(`lz4: output exceeds ${n} bytes`);
    copyMatch(output, ov, op, off, len, n);
    op = end;
  }
  if (op !== n) throw new Error(`lz4: block ends after ${op} of ${n} bytes`);
}
