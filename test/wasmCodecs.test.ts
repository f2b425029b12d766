import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wasmByteStreamSplit, wasmUncompress } from '../src/parquet/wasmCodecs.js';
import { lz4Compress, snappyCompress } from './helpers/lzCompress.js';

/** bytes that compress: runs, repeats at short and long distances (overlapping ones), noise */
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

/** a pattern of period `period` repeated to `len` bytes: a match at offset `period` in both formats */
function periodic(period: number, len: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i % period) * 37 + 1);
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('wasmUncompress', () => {
  it('round-trips what reference LZ4 and Snappy compressors make: overlapping and far matches, long lengths', () => {
    fc.assert(fc.property(compressible, (data) => {
      expect(same(wasmUncompress('lz4', lz4Compress(data), data.length), data)).toBe(true);
      expect(same(wasmUncompress('snappy', snappyCompress(data), data.length), data)).toBe(true);
    }), { numRuns: 300 });
  });

  it('copies matches of every short period (1 to 16 bytes back), of every length around the 8-byte copies', () => {
    for (let period = 1; period <= 16; period++) {
      for (let len = period; len <= period + 40; len++) {
        const data = periodic(period, len);
        expect([period, len, same(wasmUncompress('lz4', lz4Compress(data), len), data)]).toEqual([period, len, true]);
        expect([period, len, same(wasmUncompress('snappy', snappyCompress(data), len), data)]).toEqual([period, len, true]);
      }
    }
  });

  it('decodes hand-made LZ4 blocks: repeat-last-byte matches, a literal-only block, an empty one', () => {
    // "ab" then a match of 10 at offset 1 (repeats "b"), then 1 literal "c"
    expect(Buffer.from(wasmUncompress('lz4', Uint8Array.from([0x26, 0x61, 0x62, 0x01, 0x00, 0x10, 0x63]), 13)).toString()).toBe('abbbbbbbbbbbc');
    expect(Buffer.from(wasmUncompress('lz4', Uint8Array.from([0x30, 0x78, 0x79, 0x7a]), 3)).toString()).toBe('xyz');
    expect(wasmUncompress('lz4', Uint8Array.from([0x00]), 0).length).toBe(0);
  });

  it('decodes a Snappy 4-byte-offset copy and a long literal', () => {
    const data = new Uint8Array(70100);
    let x = 2463534242;
    for (let i = 0; i < 70000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      data[i] = x & 0xff;
    }
    data.set(data.subarray(0, 100), 70000);
    const block = snappyCompress(data);
    // the copy of the first 100 bytes from 70000 back needs the 4-byte offset form
    expect(Array.from(block).some((b, i) => (b & 3) === 3 && block[i + 1] === (70000 & 0xff))).toBe(true);
    expect(same(wasmUncompress('snappy', block, data.length), data)).toBe(true);
  });

  it('reuses one wasm memory per thread: a result is valid until the next call, and stays right after the memory grows', () => {
    const small = periodic(3, 100);
    const a = wasmUncompress('lz4', lz4Compress(small), 100);
    expect(same(a, small)).toBe(true);
    const big = periodic(7, 3_000_000);
    expect(same(wasmUncompress('lz4', lz4Compress(big), big.length), big)).toBe(true);
    expect(same(wasmUncompress('snappy', snappyCompress(small), 100), small)).toBe(true);
  });

  it('names what is wrong with a corrupt LZ4 block', () => {
    const lz4 = (bytes: number[], n: number) => () => wasmUncompress('lz4', Uint8Array.from(bytes), n);
    expect(lz4([0x10, 0x61, 0x05, 0x00], 10)).toThrow('lz4: match reaches back before the output\'s start, at output position 1');
    expect(lz4([0x10, 0x61, 0x00, 0x00], 10)).toThrow(/lz4: match reaches back/);
    expect(lz4([0x30, 0x61, 0x62, 0x63], 2)).toThrow('lz4: output exceeds 2 bytes at output position 0');
    expect(lz4([0x50, 0x61, 0x62], 5)).toThrow('lz4: literals at output position 0 run past the input');
    expect(lz4([0x10, 0x61, 0x01], 5)).toThrow('lz4: truncated match offset at output position 1');
    expect(lz4([0xf0], 20)).toThrow('lz4: truncated sequence length at output position 0');
    expect(lz4([0x1f, 0x61, 0x01, 0x00], 40)).toThrow('lz4: truncated sequence length at output position 1');
    expect(lz4([0x20, 0x61, 0x62], 3)).toThrow('lz4: block ends after 2 of 3 bytes');
    // a literal length of many 255 bytes, far past the input, ends the length early
    expect(lz4([0xf0, ...new Array(40).fill(255), 0], 100000)).toThrow(/lz4: literals at output position 0 run past the input/);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    const block = lz4Compress(data);
    expect(() => wasmUncompress('lz4', block, 4999)).toThrow(/lz4: /);
    expect(() => wasmUncompress('lz4', block, 5001)).toThrow(/lz4: /);
    for (let cut = 1; cut < block.length; cut += 7) expect(() => wasmUncompress('lz4', block.subarray(0, cut), 5000)).toThrow(/lz4: /);
  });

  it('names what is wrong with a corrupt Snappy block', () => {
    const snappy = (bytes: number[], n: number) => () => wasmUncompress('snappy', Uint8Array.from(bytes), n);
    expect(snappy([3, 8, 0x61, 0x62, 0x63], 4)).toThrow('snappy: block holds 3 bytes, expected 4');
    expect(snappy([5, 0, 0x61, 0x01, 0x05], 5)).toThrow('snappy: match reaches back before the output\'s start, at output position 1');
    expect(snappy([5, 0, 0x61, 0x01, 0x00], 5)).toThrow(/snappy: match reaches back/);
    expect(snappy([2, 8, 0x61, 0x62, 0x63], 2)).toThrow('snappy: output exceeds 2 bytes at output position 0');
    expect(snappy([4, 12, 0x61], 4)).toThrow('snappy: literals at output position 0 run past the input');
    expect(snappy([4, 0, 0x61, 0x02, 0x01], 4)).toThrow('snappy: truncated match offset at output position 1');
    expect(snappy([0x80], 0)).toThrow('snappy: bad length preamble');
    expect(snappy([3, 4, 0x61, 0x62], 3)).toThrow('snappy: block ends after 2 of 3 bytes');
    // a 4-byte literal length of 2^32 - 1
    expect(snappy([8, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x61], 8)).toThrow('snappy: literals at output position 0 run past the input');
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    const block = snappyCompress(data);
    for (let cut = 1; cut < block.length; cut += 5) expect(() => wasmUncompress('snappy', block.subarray(0, cut), 5000)).toThrow(/snappy: /);
  });

  it('undoes BYTE_STREAM_SPLIT for 4- and 8-byte values, whole 16-value blocks and tails, copied in or read where wasmUncompress left them', () => {
    fc.assert(fc.property(fc.constantFrom(4, 8), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 9 }), fc.integer(), (width, count, at, seed) => {
      const values = new Uint8Array(count * width);
      let x = seed | 1;
      for (let i = 0; i < values.length; i++) values[i] = (x = (x * 1103515245 + 12345) | 0) >>> 24;
      const split = new Uint8Array(at + count * width);
      for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) split[at + b * count + i] = values[i * width + b]!;
      expect(Buffer.from(wasmByteStreamSplit(split, at, count, width)).equals(Buffer.from(values))).toBe(true);
      // the same bytes as a page in the codecs' memory (LZ4 literals), read in place
      const page = wasmUncompress('lz4', lz4Compress(split), split.length);
      expect(Buffer.from(wasmByteStreamSplit(page, at, count, width)).equals(Buffer.from(values))).toBe(true);
    }));
  });

  it('refuses a BYTE_STREAM_SPLIT page too short for its values', () => {
    expect(() => wasmByteStreamSplit(new Uint8Array(31), 0, 4, 8)).toThrow('BYTE_STREAM_SPLIT page holds 31 value bytes, 4 values need 32');
  });
});
