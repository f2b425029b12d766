import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snappyUncompress } from '../src/parquet/snappyUncompress.js';
import { snappyCompress } from './helpers/lzCompress.js';

const compressible = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('run' as const), byte: fc.integer({ min: 0, max: 255 }), len: fc.integer({ min: 1, max: 600 }) }),
    fc.record({ kind: fc.constant('noise' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
    fc.record({ kind: fc.constant('repeat' as const), back: fc.integer({ min: 1, max: 100000 }), len: fc.integer({ min: 1, max: 400 }) }),
  ),
  { maxLength: 40 },
).map((parts) => {
  const out: number[] = [];
  for (const p of parts) {
    if (p.kind === 'run') for (let k = 0; k < p.len; k++) out.push(p.byte);
    else if (p.kind === 'noise') out.push(...p.bytes);
    else if (out.length) for (let k = 0, from = Math.max(0, out.length - p.back); k < p.len; k++) out.push(out[from + k]!);
  }
  return Uint8Array.from(out);
});

describe('snappyUncompress', () => {
  it('round-trips what a reference compressor makes: all literal and copy forms', () => {
    fc.assert(fc.property(compressible, (data) => {
      const out = new Uint8Array(data.length);
      snappyUncompress(snappyCompress(data), out);
      expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    }), { numRuns: 300 });
  });

  it('decodes a 4-byte-offset copy and a long literal', () => {
    const data = new Uint8Array(70100);
    let x = 2463534242;
    for (let i = 0; i < 70000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      data[i] = x & 0xff;
    }
    data.set(data.subarray(0, 100), 70000);
    const out = new Uint8Array(data.length);
    snappyUncompress(snappyCompress(data), out);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    const block = snappyCompress(data);
    // the copy of the first 100 bytes from 70000 back needs the 4-byte offset form
    expect(Array.from(block).some((b, i) => (b & 3) === 3 && block[i + 1] === (70000 & 0xff))).toBe(true);
  });

  it('throws on a wrong declared length, bad offsets, overruns and truncation', () => {
    const out = (n: number) => new Uint8Array(n);
    expect(() => snappyUncompress(Uint8Array.from([3, 8, 0x61, 0x62, 0x63]), out(4))).toThrow(/block holds 3 bytes, expected 4/);
    expect(() => snappyUncompress(Uint8Array.from([5, 0, 0x61, 0x01 | (0 << 2), 0x05]), out(5))).toThrow(/copy offset 5 at output position 1/);
    expect(() => snappyUncompress(Uint8Array.from([5, 0, 0x61, 0x01, 0x00]), out(5))).toThrow(/copy offset 0/);
    expect(() => snappyUncompress(Uint8Array.from([2, 8, 0x61, 0x62, 0x63]), out(2))).toThrow(/output exceeds 2 bytes/);
    expect(() => snappyUncompress(Uint8Array.from([4, 12, 0x61]), out(4))).toThrow(/literal runs past the input/);
    expect(() => snappyUncompress(Uint8Array.from([4, 0, 0x61, 0x02, 0x01]), out(4))).toThrow(/truncated copy/);
    expect(() => snappyUncompress(Uint8Array.from([0x80]), out(0))).toThrow(/bad length preamble/);
    expect(() => snappyUncompress(Uint8Array.from([3, 4, 0x61, 0x62]), out(3))).toThrow(/block ends after 2 of 3 bytes/);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    const block = snappyCompress(data);
    for (let cut = 1; cut < block.length; cut += 5) expect(() => snappyUncompress(block.subarray(0, cut), out(5000))).toThrow(/snappy: /);
  });
});
