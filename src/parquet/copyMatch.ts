const LONG = 32;

/**
 * The back-reference copy of LZ4 and Snappy: `len` bytes from `off` bytes back, at output[op],
 * where the caller has checked 0 < off <= op and op + len <= output's length `n`. A source closer
 * than the length repeats itself, so it is copied forward in steps no longer than `off`.
 */
export function copyMatch(output: Uint8Array, ov: DataView, op: number, off: number, len: number, n: number): void {
  let from = op - off;
  const end = op + len;
  if (len >= LONG && off >= len) {
    output.copyWithin(op, from, from + len);
  } else if (off >= 8 && end + 8 <= n) {
    do {
      ov.setUint32(op, ov.getUint32(from, true), true);
      ov.setUint32(op + 4, ov.getUint32(from + 4, true), true);
      op += 8;
      from += 8;
    } while (op < end);
  } else if (off >= 4 && end + 4 <= n) {
    do {
      ov.setUint32(op, ov.getUint32(from, true), true);
      op += 4;
      from += 4;
    } while (op < end);
  } else {
    // sources closer than 4 bytes repeat their last `off` bytes, one at a time
    while (op < end) output[op++] = output[from++]!;
  }
}
