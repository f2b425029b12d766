/**
 * Small greedy LZ4-block and Snappy compressors for decoder tests: valid streams with literals,
 * near and far matches (overlapping ones included) and long lengths, not tuned for ratio.
 */

function findMatch(data: Uint8Array, i: number, table: Map<number, number>, maxOff: number): [number, number] {
  if (i + 4 > data.length) return [0, 0];
  const key = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
  const prev = table.get(key);
  table.set(key, i);
  if (prev === undefined || i - prev > maxOff) return [0, 0];
  let len = 0;
  while (i + len < data.length && data[prev + len] === data[i + len]) len++;
  return len >= 4 ? [i - prev, len] : [0, 0];
}

function lengthBytes(out: number[], extra: number): void {
  while (extra >= 255) {
    out.push(255);
    extra -= 255;
  }
  out.push(extra);
}

/** LZ4 block format; the last 5 bytes are always literals, as the format asks. */
export function lz4Compress(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  const table = new Map<number, number>();
  let anchor = 0;
  let i = 0;
  const limit = data.length - 5;
  const emit = (litEnd: number, off: number, len: number) => {
    const lit = litEnd - anchor;
    const m = len - 4;
    out.push((Math.min(lit, 15) << 4) | (len ? Math.min(m, 15) : 0));
    if (lit >= 15) lengthBytes(out, lit - 15);
    for (let k = anchor; k < litEnd; k++) out.push(data[k]!);
    if (!len) return;
    out.push(off & 0xff, off >> 8);
    if (m >= 15) lengthBytes(out, m - 15);
  };
  while (i < limit) {
    const [off, full] = findMatch(data, i, table, 65535);
    const len = Math.min(full, limit - i);
    if (len >= 4) {
      emit(i, off, len);
      i += len;
      anchor = i;
    } else i++;
  }
  emit(data.length, 0, 0);
  return Uint8Array.from(out);
}

/** Raw Snappy: varint length, then literals and copies (1-, 2- and 4-byte offsets). */
export function snappyCompress(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let n = data.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      out.push(n);
      break;
    }
    out.push((n & 0x7f) | 0x80);
  }
  const table = new Map<number, number>();
  let anchor = 0;
  const literal = (end: number) => {
    let len = end - anchor;
    while (len > 0) {
      const chunk = Math.min(len, 70000);
      const n = chunk - 1;
      if (n < 60) out.push(n << 2);
      else if (n < 256) out.push(60 << 2, n);
      else if (n < 65536) out.push(61 << 2, n & 0xff, n >> 8);
      else out.push(62 << 2, n & 0xff, (n >> 8) & 0xff, n >> 16);
      for (let k = anchor; k < anchor + chunk; k++) out.push(data[k]!);
      anchor += chunk;
      len -= chunk;
    }
  };
  let i = 0;
  while (i < data.length) {
    const [off, full] = findMatch(data, i, table, 1 << 20);
    if (full < 4) {
      i++;
      continue;
    }
    literal(i);
    let len = full;
    while (len > 0) {
      const l = Math.min(len, 64);
      if (l < 4) break;
      if (l <= 11 && off < 2048) out.push(1 | ((l - 4) << 2) | ((off >> 8) << 5), off & 0xff);
      else if (off < 65536) out.push(2 | ((l - 1) << 2), off & 0xff, off >> 8);
      else out.push(3 | ((l - 1) << 2), off & 0xff, (off >> 8) & 0xff, (off >> 16) & 0xff, off >>> 24);
      len -= l;
      i += l;
    }
    anchor = i;
  }
  literal(data.length);
  return Uint8Array.from(out);
}
