import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lz4RawUncompress } from '../src/parquet/lz4RawUncompress.js';
import { lz4Compress } from './helpers/lzCompress.js';

const roundTrip = (data: Uint8Array) => {
  const out = new Uint8Array(data.length);
  lz4RawUncompress(lz4Compress(data), out);
  return out;
};

/** bytes that compress: runs, repeats at short and long distances, noise */
const compressible = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('run' as const), byte: fc.integer({ min: 0, max: 255 }), len: fc.integer({ min: 1, max: 600 }) }),
    fc.record({ kind: fc.constant('noise' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
    fc.record({ kind: fc.constant('repeat' as const), back: fc.integer({ min: 1, max: 70000 }), len: fc.integer({ min: 1, max: 400 }) }),
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

describe('lz4RawUncompress', () => {
  it('round-trips what a reference compressor makes: overlapping and far matches, long lengths', () => {
    fc.assert(fc.property(compressible, (data) => {
      expect(Buffer.from(roundTrip(data)).equals(Buffer.from(data))).toBe(true);
    }), { numRuns: 300 });
  });

  it('decodes hand-made blocks: repeat-last-byte matches, a match ending the output, a literal-only block', () => {
    // "ab" then a match of 10 at offset 1 (repeats "b"), then 1 literal "c"
    const block = Uint8Array.from([0x26, 0x61, 0x62, 0x01, 0x00, 0x10, 0x63]);
    const out = new Uint8Array(13);
    lz4RawUncompress(block, out);
    expect(Buffer.from(out).toString()).toBe('abbbbbbbbbbbc');
    const only = new Uint8Array(3);
    lz4RawUncompress(Uint8Array.from([0x30, 0x78, 0x79, 0x7a]), only);
    expect(Buffer.from(only).toString()).toBe('xyz');
    const none = new Uint8Array(0);
    lz4RawUncompress(Uint8Array.from([0x00]), none);
    expect(none.length).toBe(0);
  });

  it('throws on a match before the output start, an output overrun, a truncated block, a short result', () => {
    const out = (n: number) => new Uint8Array(n);
    expect(() => lz4RawUncompress(Uint8Array.from([0x10, 0x61, 0x05, 0x00]), out(10))).toThrow(/match offset 5 at output position 1/);
    expect(() => lz4RawUncompress(Uint8Array.from([0x10, 0x61, 0x00, 0x00]), out(10))).toThrow(/match offset 0/);
    expect(() => lz4RawUncompress(Uint8Array.from([0x30, 0x61, 0x62, 0x63]), out(2))).toThrow(/output exceeds 2 bytes/);
    expect(() => lz4RawUncompress(Uint8Array.from([0x50, 0x61, 0x62]), out(5))).toThrow(/literals run past the input/);
    expect(() => lz4RawUncompress(Uint8Array.from([0x10, 0x61, 0x01]), out(5))).toThrow(/truncated match offset/);
    expect(() => lz4RawUncompress(Uint8Array.from([0xf0]), out(20))).toThrow(/truncated literal length/);
    expect(() => lz4RawUncompress(Uint8Array.from([0x1f, 0x61, 0x01, 0x00]), out(40))).toThrow(/truncated match length/);
    expect(() => lz4RawUncompress(Uint8Array.from([0x20, 0x61, 0x62]), out(3))).toThrow(/block ends after 2 of 3 bytes/);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    const block = lz4Compress(data);
    expect(() => lz4RawUncompress(block, out(4999))).toThrow(/lz4: /);
    expect(() => lz4RawUncompress(block, out(5001))).toThrow(/lz4: /);
    for (let cut = 1; cut < block.length; cut += 7) expect(() => lz4RawUncompress(block.subarray(0, cut), out(5000))).toThrow(/lz4: /);
  });
});
