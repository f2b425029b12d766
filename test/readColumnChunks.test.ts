import { describe, expect, it } from 'vitest';
import * as pq from 'parquet-wasm';
import { Field, Float64, RecordBatch, Schema, Struct, Table, makeData, tableToIPC, vectorFromArray } from 'apache-arrow';
import { readColumnChunks } from '../src/parquet/readColumnChunks.js';
import { chunkByteRange, readFooter } from '../src/parquet/parquetFooter.js';
import type { ByteReader, RangeRequest } from '../src/parquet/byteReader.js';
import { ReadBuffer } from '../src/parquet/readBuffer.js';

function file(): Uint8Array {
  const n = 4000;
  const names = ['a', 'b', 'c', 'd'];
  const vs = names.map((_, k) => vectorFromArray(Array.from({ length: n }, (_, i) => i * (k + 1)), new Float64()));
  const schema = new Schema(names.map((name, k) => new Field(name, vs[k]!.type, true)));
  const data = makeData({ type: new Struct(schema.fields), length: n, children: vs.map((v) => v.data[0]!) });
  const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), new pq.WriterPropertiesBuilder().setMaxRowGroupSize(2000).build());
}

/** A reader over bytes that records its reads, in short pieces of at most `piece` bytes. */
function reader(bytes: Uint8Array, piece = Infinity): ByteReader & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    reads,
    async read(buffer, offset, length, position) {
      const n = Math.max(0, Math.min(length, piece, bytes.length - position));
      reads.push([position, length]);
      buffer.set(bytes.subarray(position, position + n), offset);
      return { bytesRead: n };
    },
  };
}

describe('readColumnChunks', () => {
  const bytes = file();
  const footer = readFooter(bytes, 'mem.parquet');
  const g = footer.rowGroups[1]!;
  const [a, b, c, d] = g.columns;

  it('reads each run of adjacent chunks once, hands chunks back in the order asked', async () => {
    const r = reader(bytes);
    const out = await readColumnChunks(r, footer, [d!, a!, b!]);
    expect(out.map((x, i) => Buffer.from(x).equals(Buffer.from(bytes.subarray(...chunkByteRange([d!, a!, b!][i]!)))))).toEqual([true, true, true]);
    expect(r.reads).toEqual([[chunkByteRange(a!)[0], chunkByteRange(b!)[1] - chunkByteRange(a!)[0]], [chunkByteRange(d!)[0], chunkByteRange(d!)[1] - chunkByteRange(d!)[0]]]);
  });

  it('bridges gaps up to maxGap in one read, and retries short reads', async () => {
    const r = reader(bytes, 1000);
    const gap = chunkByteRange(d!)[0] - chunkByteRange(a!)[1];
    expect((await readColumnChunks(reader(bytes), footer, [a!, d!], { maxGap: gap - 1 })).length).toBe(2);
    const out = await readColumnChunks(r, footer, [a!, d!], { maxGap: gap });
    expect(Buffer.from(out[1]!).equals(Buffer.from(bytes.subarray(...chunkByteRange(d!))))).toBe(true);
    expect(new Set(r.reads.map(([p, l]) => p + l)).size).toBe(1);
    expect(r.reads.length).toBeGreaterThan(1);
  });

  it('reads into a ReadBuffer when given one, the next read overwriting the last', async () => {
    const into = new ReadBuffer();
    const [first] = await readColumnChunks(reader(bytes), footer, [a!], { into });
    const copy = first!.slice();
    const [second] = await readColumnChunks(reader(bytes), footer, [c!], { into });
    expect(second!.buffer).toBe(first!.buffer);
    expect(Buffer.from(second!).equals(Buffer.from(bytes.subarray(...chunkByteRange(c!))))).toBe(true);
    expect(Buffer.from(first!).equals(Buffer.from(copy))).toBe(false);
  });

  it('uses readRanges when the reader has it, one batch for everything', async () => {
    const batches: RangeRequest[][] = [];
    const r: ByteReader = {
      read: async () => { throw new Error('not used'); },
      readRanges: async (reqs) => {
        batches.push([...reqs]);
        for (const q of reqs) q.buffer.set(bytes.subarray(q.position, q.position + q.length), q.offset);
      },
    };
    const out = await readColumnChunks(r, footer, [a!, c!]);
    expect(batches.length).toBe(1);
    expect(batches[0]!.length).toBe(2);
    expect(Buffer.from(out[1]!).equals(Buffer.from(bytes.subarray(...chunkByteRange(c!))))).toBe(true);
  });

  it('a truncated file or a chunk outside it is an error naming the file', async () => {
    await expect(readColumnChunks(reader(bytes.subarray(0, chunkByteRange(b!)[0] + 10)), footer, [b!])).rejects.toThrow(/^parquet: mem.parquet is truncated \(unexpected end of file/);
    const far = { ...b!, dataPageOffset: bytes.length - 10, dictionaryPageOffset: undefined };
    await expect(readColumnChunks(reader(bytes), footer, [far])).rejects.toThrow(/^parquet: mem.parquet is truncated or its footer is corrupt \(column chunk \[\d+, \d+\) outside the file's \d+ bytes\)/);
  });
});
