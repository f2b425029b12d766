import { describe, expect, it } from 'vitest';
import { coalesceRanges, deliver, COALESCE_GAP, MAX_REQUEST_BYTES } from '../src/io/coalesceRanges.js';
import type { RangeRequest } from '../src/parquet/byteReader.js';
import { rng } from './helpers/rng.js';

const req = (position: number, length: number): RangeRequest => ({ buffer: new Uint8Array(length), offset: 0, length, position });
const spans = (requests: RangeRequest[], gap?: number, max?: number) => coalesceRanges(requests, gap, max).map((g) => [g.start, g.end]);

describe('coalesceRanges', () => {
  it('merges adjacent and near ranges of one batch into one request, whatever their order', () => {
    expect(spans([req(1000, 100), req(0, 1000), req(1100 + COALESCE_GAP, 10)])).toEqual([[0, 1110 + COALESCE_GAP]]);
  });

  it('keeps ranges further apart than the gap as separate requests', () => {
    expect(spans([req(0, 10), req(11 + COALESCE_GAP, 10)])).toEqual([[0, 10], [11 + COALESCE_GAP, 21 + COALESCE_GAP]]);
  });

  it('merges overlapping and duplicate ranges', () => {
    const groups = coalesceRanges([req(0, 100), req(50, 100), req(50, 100)]);
    expect(groups.map((g) => [g.start, g.end, g.parts.length])).toEqual([[0, 150, 3]]);
  });

  it('leaves empty requests out', () => {
    expect(coalesceRanges([req(5, 0)])).toEqual([]);
    expect(spans([req(5, 0), req(10, 1)])).toEqual([[10, 11]]);
  });

  it('does not merge past the request size limit, and cuts a longer range into pieces of it', () => {
    expect(spans([req(0, 60), req(60, 60)], 0, 100)).toEqual([[0, 60], [60, 120]]);
    const pieces = coalesceRanges([req(10, 250)], 0, 100);
    expect(pieces.map((g) => [g.start, g.end])).toEqual([[10, 110], [110, 210], [210, 260]]);
    expect(pieces.every((g) => g.parts.length === 1)).toBe(true);
    expect(MAX_REQUEST_BYTES).toBeGreaterThan(COALESCE_GAP);
  });

  it('delivers every byte of the requests from the grouped answers (random batches)', () => {
    const next = rng(11);
    const file = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
    for (let round = 0; round < 200; round++) {
      const requests = Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
        const position = Math.floor(next() * 49_000);
        const length = Math.floor(next() * Math.min(3000, file.length - position));
        const offset = Math.floor(next() * 5);
        return { buffer: new Uint8Array(offset + length), offset, length, position };
      });
      const gap = Math.floor(next() * 4000);
      const max = 500 + Math.floor(next() * 5000);
      for (const g of coalesceRanges(requests, gap, max)) {
        expect(g.end - g.start).toBeLessThanOrEqual(max);
        // answers arrive in chunks of any size
        for (let at = g.start; at < g.end;) {
          const n = Math.min(g.end - at, 1 + Math.floor(next() * 700));
          deliver(g.parts, at, file.subarray(at, at + n));
          at += n;
        }
      }
      for (const r of requests) expect(Buffer.from(r.buffer.subarray(r.offset)).equals(Buffer.from(file.subarray(r.position, r.position + r.length)))).toBe(true);
    }
  });
});
