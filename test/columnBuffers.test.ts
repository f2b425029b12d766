import { beforeAll, describe, expect, it } from 'vitest';
import * as pq from 'parquet-wasm';
import { Field, Float64, RecordBatch, Schema, Struct, Table, Utf8, makeData, tableToIPC, vectorFromArray } from 'apache-arrow';
import { ColumnBuffers } from '../src/parquet/columnBuffers.js';
import { decodeColumnChunk } from '../src/parquet/decodeColumnChunk.js';
import { prepareDecoders } from '../src/parquet/decompressPage.js';
import { chunkByteRange, readFooter } from '../src/parquet/parquetFooter.js';
import { columnKeys } from './helpers/columnValues.js';

beforeAll(() => prepareDecoders());

function file(): Uint8Array {
  const n = 3000;
  const d = vectorFromArray(Array.from({ length: n }, (_, i) => (i < 1000 ? (i % 3 === 0 ? null : i) : i % 500 === 0 ? null : -i)), new Float64());
  const s = vectorFromArray(Array.from({ length: n }, (_, i) => (i < 1000 ? `first-${i % 7}` : i % 3 === 0 ? null : `second-${i % 5}`)), new Utf8());
  const schema = new Schema([new Field('d', d.type, true), new Field('s', s.type, true)]);
  const data = makeData({ type: new Struct(schema.fields), length: n, children: [d.data[0]!, s.data[0]!] });
  const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), new pq.WriterPropertiesBuilder().setMaxRowGroupSize(1000).setCompression(pq.Compression.ZSTD).build());
}

describe('ColumnBuffers', () => {
  const bytes = file();
  const footer = readFooter(bytes, 'mem');
  const decode = (rg: number, col: number, buffers?: ColumnBuffers) => {
    const c = footer.rowGroups[rg]!.columns[col]!;
    return decodeColumnChunk(bytes.subarray(...chunkByteRange(c)), c, footer.rowGroups[rg]!.numRows, { path: 'mem', rowGroup: rg }, buffers);
  };

  it('the next decode into the same buffers overwrites values, validity and dictionary; without buffers nothing is shared', () => {
    for (const col of [0, 1]) {
      const fresh = [decode(0, col), decode(1, col)].map(columnKeys);
      const buffers = new ColumnBuffers();
      const first = decode(0, col, buffers);
      const firstKeys = columnKeys(first);
      expect(firstKeys).toEqual(fresh[0]);
      const second = decode(1, col, buffers);
      expect(columnKeys(second)).toEqual(fresh[1]);
      expect(second.values.buffer).toBe(first.values.buffer);
      // the first Data now shows the second row group's storage
      expect(columnKeys(first)).not.toEqual(firstKeys);
      const again = decode(0, col);
      expect(columnKeys(again)).toEqual(fresh[0]);
      expect(again.values.buffer).not.toBe(second.values.buffer);
    }
  });

  it('stale validity bits and dictionary entries from a previous, larger chunk do not leak', () => {
    const buffers = new ColumnBuffers();
    decode(1, 1, buffers);
    const small = decode(0, 1, buffers);
    expect(small.dictionary!.data[0]!.length).toBe(7);
    expect(small.nullCount).toBe(0);
    expect(columnKeys(small)).toEqual(columnKeys(decode(0, 1)));
  });
});
