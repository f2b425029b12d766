import { beforeAll, describe, expect, it } from 'vitest';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import * as pq from 'parquet-wasm';
import { Field, Float64, RecordBatch, Schema, Struct, Table, Utf8, makeData, tableToIPC, vectorFromArray } from 'apache-arrow';
import { decompressPage, prepareDecoders, SUPPORTED_CODECS } from '../src/parquet/decompressPage.js';
import { chunkByteRange, readFooter } from '../src/parquet/parquetFooter.js';
import { readPageHeader } from '../src/parquet/pageHeader.js';

const fetchBefore = globalThis.fetch;
beforeAll(() => prepareDecoders());

/** Every page of a small file written with `codec`: [header's uncompressed size, body]. */
function pages(codec: pq.Compression): [number, Uint8Array][] {
  const n = 3000;
  const d = vectorFromArray(Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : (i * 7919) % 1000 / 8)), new Float64());
  const s = vectorFromArray(Array.from({ length: n }, (_, i) => `name-${i % 300}`), new Utf8());
  const schema = new Schema([new Field('d', d.type, true), new Field('s', s.type, true)]);
  const data = makeData({ type: new Struct(schema.fields), length: n, children: [d.data[0]!, s.data[0]!] });
  const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
  const props = new pq.WriterPropertiesBuilder().setCompression(codec).setDataPageSizeLimit(512).setWriteBatchSize(64).build();
  const file = pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
  const footer = readFooter(file, 'x');
  const out: [number, Uint8Array][] = [];
  for (const g of footer.rowGroups) {
    for (const c of g.columns) {
      const [start, end] = chunkByteRange(c);
      for (let pos = start; pos < end;) {
        const h = readPageHeader(file, pos);
        out.push([h.uncompressedSize, file.subarray(h.bodyStart, h.bodyStart + h.compressedSize)]);
        pos = h.bodyStart + h.compressedSize;
      }
    }
  }
  return out;
}

describe('decompressPage', () => {
  it('every codec gives back the bytes an uncompressed file holds, page by page', () => {
    const plain = pages(pq.Compression.UNCOMPRESSED);
    expect(plain.length).toBeGreaterThanOrEqual(10);
    const codecs: [string, pq.Compression][] = [
      ['SNAPPY', pq.Compression.SNAPPY], ['LZ4_RAW', pq.Compression.LZ4_RAW], ['ZSTD', pq.Compression.ZSTD],
      ['GZIP', pq.Compression.GZIP], ['BROTLI', pq.Compression.BROTLI],
    ];
    for (const [name, codec] of codecs) {
      const got = pages(codec);
      expect([name, got.length]).toEqual([name, plain.length]);
      got.forEach(([size, body], i) => {
        const out = decompressPage(name, body, size);
        expect([name, i, Buffer.from(out).equals(Buffer.from(plain[i]![1]))]).toEqual([name, i, true]);
      });
    }
    expect([...SUPPORTED_CODECS].sort()).toEqual(['BROTLI', 'GZIP', 'LZ4_RAW', 'SNAPPY', 'UNCOMPRESSED', 'ZSTD']);
  });

  it('ZSTD pages are read in place from reused wasm memory (zstddec\'s instance caught), not copied out', () => {
    const [[s1, p1], [s2, p2]] = pages(pq.Compression.ZSTD);
    const a = decompressPage('ZSTD', p1!, s1!);
    const b = decompressPage('ZSTD', p2!, s2!);
    expect(b.buffer).toBe(a.buffer);
    expect(a.buffer.byteLength).toBeGreaterThan(1 << 16);
  });

  it('UNCOMPRESSED hands back the input itself', () => {
    const body = Uint8Array.from([1, 2, 3]);
    expect(decompressPage('UNCOMPRESSED', body, 3)).toBe(body);
  });

  it('a size other than the header\'s is an error, for every codec', () => {
    const data = Buffer.from('hello hello hello hello');
    expect(() => decompressPage('UNCOMPRESSED', data, data.length + 1)).toThrow(`UNCOMPRESSED page decompresses to ${data.length} bytes, its header says ${data.length + 1}`);
    expect(() => decompressPage('GZIP', gzipSync(data), data.length + 1)).toThrow(/GZIP page decompresses to 23 bytes, its header says 24/);
    expect(() => decompressPage('GZIP', gzipSync(data), data.length - 1)).toThrow();
    expect(() => decompressPage('BROTLI', brotliCompressSync(data), data.length + 5)).toThrow(/BROTLI page decompresses to 23 bytes/);
    const [[size, zstd]] = pages(pq.Compression.ZSTD);
    expect(() => decompressPage('ZSTD', zstd!, size! + 1)).toThrow(/ZSTD page/);
    expect(() => decompressPage('ZSTD', zstd!, size! - 1)).toThrow(/ZSTD page does not decompress/);
    expect(() => decompressPage('ZSTD', Uint8Array.from([1, 2, 3, 4, 5]), 10)).toThrow(/ZSTD page does not decompress/);
    const [[lsize, lz4]] = pages(pq.Compression.LZ4_RAW);
    expect(() => decompressPage('LZ4_RAW', lz4!, lsize! + 1)).toThrow(/lz4: /);
    const [[ssize, snappy]] = pages(pq.Compression.SNAPPY);
    expect(() => decompressPage('SNAPPY', snappy!, ssize! + 1)).toThrow(/snappy: block holds/);
  });

  it('refuses other codecs and absurd sizes before allocating', () => {
    expect(() => decompressPage('LZO', new Uint8Array(4), 4)).toThrow('codec LZO is not supported');
    expect(() => decompressPage('LZ4', new Uint8Array(4), 4)).toThrow('codec LZ4 is not supported');
    expect(() => decompressPage('SNAPPY', new Uint8Array(4), 2 ** 31)).toThrow(/uncompressed size of 2147483648 bytes/);
    expect(() => decompressPage('ZSTD', new Uint8Array(4), -1)).toThrow(/uncompressed size of -1 bytes/);
  });

  it('prepareDecoders leaves the global fetch as it found it (it hides it from zstddec while that starts)', () => {
    expect(typeof fetchBefore).toBe('function');
    expect(globalThis.fetch).toBe(fetchBefore);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')?.writable).toBe(true);
  });

  it('prepareDecoders is one promise per thread; a zero-byte ZSTD page needs no frame', async () => {
    expect(prepareDecoders()).toBe(prepareDecoders());
    await prepareDecoders();
    expect(decompressPage('ZSTD', new Uint8Array(0), 0).length).toBe(0);
  });
});
