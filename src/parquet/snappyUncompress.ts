/**
 * Raw Snappy block decoder (the format Parquet's SNAPPY codec uses: no framing) into a buffer the
 * caller sized from the page header. Every read and copy is bounds-checked: corrupt input throws.
 * Short literals and copies move 4 bytes at a time through DataViews, overrunning their end by up
 * to 15 bytes away from the buffer's end, as in lz4RawUncompress.ts (whose note says why that is
 * safe).
 */
import { copyMatch } from './copyMatch.js';

/** copies at least this long go through set / copyWithin */
const LONG = 32;

/** Decompresses `input` into all of `output`; throws unless the block holds exactly output.length bytes. */
export function snappyUncompress(input: Uint8Array, output: Uint8Array): void {
  const inLen = input.length;
  const n = output.length;
  const iv = new DataView(input.buffer, input.byteOffset, inLen);
  const ov = new DataView(output.buffer, output.byteOffset, n);
  let ip = 0;
  let declared = 0;
  for (let shift = 0; ; shift += 7) {
    if (ip >= inLen || shift > 28) throw new Error('snappy: bad length preamble');
    const b = input[ip++]!;
    declared += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (declared !== n) throw new Error(`snappy: block holds ${declared} bytes, expected ${n}`);
  let op = 0;
  while (ip < inLen) {
    const tag = input[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (ip + extra > inLen) throw new Error('snappy: truncated literal length');
        len = input[ip]!;
        if (extra > 1) len |= input[ip + 1]! << 8;
        if (extra > 2) len |= input[ip + 2]! << 16;
        if (extra > 3) len = (len | (input[ip + 3]! << 24)) >>> 0;
        len += 1;
        ip += extra;
      }
      if (ip + len > inLen) throw new Error('snappy: literal runs past the input');
      if (op + len > n) throw new Error(`snappy: output exceeds ${n} bytes`);
      if (len <= 16 && ip + 16 <= inLen && op + 16 <= n) {
        ov.setUint32(op, iv.getUint32(ip, true), true);
        if (len > 4) {
          ov.setUint32(op + 4, iv.getUint32(ip + 4, true), true);
          if (len > 8) {
            ov.setUint32(op + 8, iv.getUint32(ip + 8, true), true);
            ov.setUint32(op + 12, iv.getUint32(ip + 12, true), true);
          }
        }
      } else if (len < LONG) {
        for (let k = 0; k < len; k++) output[op + k] = input[ip + k]!;
      } else {
        output.set(input.subarray(ip, ip + len), op);
      }
      ip += len;
      op += len;
      continue;
    }
    let len: number;
    let off: number;
    if (kind === 1) {
      if (ip >= inLen) throw new Error('snappy: truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      off = ((tag >>> 5) << 8) | input[ip++]!;
    } else if (kind === 2) {
      if (ip + 2 > inLen) throw new Error('snappy: truncated copy');
      len = (tag >>> 2) + 1;
      off = input[ip]! | (input[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > inLen) throw new Error('snappy: truncated copy');
      len = (tag >>> 2) + 1;
      off = (input[ip]! | (input[ip + 1]! << 8) | (input[ip + 2]! << 16) | (input[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (off === 0 || off > op) throw new Error(`snappy: copy offset ${off} at output position ${op}`);
    if (op + len > n) throw new Error(`snappy: output exceeds ${n} bytes`);
    const end = op + len;
    copyMatch(output, ov, op, off, len, n);
    op = end;
  }
  if (op !== n) throw new Error(`snappy: block ends after ${op} of ${n} bytes`);
}
