import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pq from 'parquet-wasm';
import {
  DataType, Dictionary, Field, Float32, Float64, Int32, Int64, RecordBatch, Schema, Struct, Table,
  TimestampMicrosecond, TimestampMillisecond, Utf8, makeData, tableToIPC, vectorFromArray, type Vector,
} from 'apache-arrow';
import { chunkByteRange, readFooter, type ColumnChunk, type ParquetFooter } from '../src/parquet/parquetFooter.js';
import { decodeParquet } from '../src/parquet/decodeParquet.js';
import { decodeColumnChunk } from '../src/parquet/decodeColumnChunk.js';
import { prepareDecoders } from '../src/parquet/decompressPage.js';
import { chunkSupported } from '../src/parquet/chunkSupported.js';
import { UnsupportedChunkError } from '../src/parquet/unsupportedChunkError.js';
import { DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, readPageHeader } from '../src/parquet/pageHeader.js';
import { decodeStruct, type TStruct } from '../src/parquet/thriftCompact.js';
import { encodeStruct } from '../src/parquet/thriftEncode.js';
import { closeDuckDB, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';
import { columnKeys, keyDiff } from './helpers/columnValues.js';

let dir: string;
beforeAll(async () => {
  await prepareDecoders();
  dir = await mkdtemp(join(tmpdir(), 'decode-chunk-'));
});
afterAll(async () => {
  closeDuckDB();
  await rm(dir, { recursive: true, force: true });
});

interface Compared {
  /** columns compared value by value, per row group */
  compared: number;
  /** names of columns the built-in decoder refused (UnsupportedChunkError, as chunkSupported said) */
  unsupported: Set<string>;
  types: Map<string, string>;
}

const chunkBytes = (file: Uint8Array, c: ColumnChunk) => file.subarray(...chunkByteRange(c));

/** parquet-wasm's rows of every flat column of one row group, as keys, and their types. */
function wasmColumns(file: Uint8Array, rg: number): Map<string, { keys: (string | null)[]; type: DataType; nullCount: number }> {
  const out = new Map<string, { keys: (string | null)[]; type: DataType; nullCount: number }>();
  let batches = 0;
  decodeParquet(file, [rg], (b) => {
    batches++;
    for (const f of b.schema.fields) {
      const d = b.getChild(f.name)!.data[0]!;
      out.set(f.name, { keys: columnKeys(d), type: d.type as DataType, nullCount: d.nullCount });
    }
  });
  expect(batches).toBe(1);
  return out;
}

const typeText = (t: DataType) => (DataType.isDictionary(t) || DataType.isUtf8(t) ? 'string' : String(t));

/** Decodes every flat column of every row group both ways and expects the same rows, validity and type. */
function compareFile(file: Uint8Array, path: string): Compared {
  const footer = readFooter(file, path);
  const res: Compared = { compared: 0, unsupported: new Set(), types: new Map() };
  for (const g of footer.rowGroups) {
    const theirs = wasmColumns(file, g.index);
    for (const col of footer.columns) {
      const chunk = g.columns[col.index]!;
      const where = { path, rowGroup: g.index };
      if (!chunkSupported(chunk)) {
        expect(() => decodeColumnChunk(chunkBytes(file, chunk), chunk, g.numRows, where)).toThrow(UnsupportedChunkError);
        res.unsupported.add(col.name);
        continue;
      }
      const ours = decodeColumnChunk(chunkBytes(file, chunk), chunk, g.numRows, where);
      const t = theirs.get(col.name)!;
      expect({ col: col.name, rg: g.index, diff: keyDiff(columnKeys(ours), t.keys) }).toEqual({ col: col.name, rg: g.index, diff: [] });
      expect(ours.length).toBe(g.numRows);
      expect([col.name, ours.nullCount]).toEqual([col.name, t.nullCount]);
      expect([col.name, typeText(ours.type as DataType)]).toEqual([col.name, typeText(t.type)]);
      if (col.physicalType === 'BYTE_ARRAY') expect(String(ours.type)).toBe('Dictionary<Int32, Utf8>');
      res.types.set(col.name, String(ours.type));
      res.compared++;
    }
  }
  return res;
}

/** Page types and encodings of a chunk, in order, e.g. ['dict:PLAIN', 'v1:RLE_DICTIONARY', 'v1:PLAIN']. */
function pagesOf(bytes: Uint8Array): string[] {
  const names = ['PLAIN', '', 'PLAIN_DICTIONARY', 'RLE', '', 'DELTA_BINARY_PACKED', '', '', 'RLE_DICTIONARY', 'BYTE_STREAM_SPLIT'];
  const out: string[] = [];
  for (let pos = 0; pos < bytes.length;) {
    const h = readPageHeader(bytes, pos);
    const kind = h.type === DICTIONARY_PAGE ? 'dict' : h.type === DATA_PAGE ? 'v1' : h.type === DATA_PAGE_V2 ? 'v2' : `t${h.type}`;
    out.push(`${kind}:${names[h.encoding] || h.encoding}`);
    pos = h.bodyStart + h.compressedSize;
  }
  return out;
}

const DUCK_ROWS = 10_000;
const duckSelect = (omit: string[] = []) => `SELECT
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 1.25 - 4000)::DOUBLE END AS "tcp.bytes",
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 13)::DOUBLE END AS low_card,
  CASE i % 9 WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN '-0.0'::DOUBLE WHEN 2 THEN 'inf'::DOUBLE
    WHEN 3 THEN '-inf'::DOUBLE WHEN 4 THEN NULL WHEN 5 THEN 5e-324 ELSE i / 7 END AS special,
  CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 97 - 48)::INTEGER END AS i32,
  CASE WHEN i % 10 = 1 THEN NULL ELSE (i * 1000003 - 5000000000)::BIGINT END AS i64,
  CASE WHEN i % 6 = 2 THEN NULL ELSE (i / 3)::FLOAT END AS f32,
  CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN '' ELSE (['zürich', '東京', 'emoji 🚀', 'a', 'plain'])[(i % 5) + 1] END AS "source.workload.name",
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'host-' || i END AS unique_str,
  CASE WHEN i % 19 = 7 THEN NULL ELSE 'constant' END AS const_str,
  CASE WHEN i % 13 = 0 THEN NULL ELSE TIMESTAMP '2026-01-01' + to_microseconds(i * 1000003) END AS ts_us,
  CASE WHEN i % 14 = 0 THEN NULL ELSE (TIMESTAMP '2026-01-01' + to_microseconds(i * 1000003))::TIMESTAMP_MS END AS ts_ms,
  CASE WHEN i % 17 = 0 THEN NULL ELSE make_timestamp_ns(1767225600000000000 + i * 1000000007) END AS ts_ns,
  CASE WHEN i % 23 = 1 THEN NULL ELSE TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i) END AS "timestamp",
  CASE WHEN i % 29 = 2 THEN NULL ELSE DATE '2026-01-01' + (i % 400)::INTEGER END AS day,
  CASE WHEN i % 53 = 8 THEN NULL ELSE TIME '01:02:03' + to_microseconds(i * 7777) END AS time_of_day,
  CASE WHEN i % 31 = 3 THEN NULL ELSE (i % 200 - 100)::TINYINT END AS i8,
  CASE WHEN i % 37 = 4 THEN NULL ELSE (i % 60000 - 30000)::SMALLINT END AS i16,
  CASE WHEN i % 41 = 5 THEN NULL ELSE (i % 250)::UTINYINT END AS u8,
  ${omit.includes('unsigned') ? '' : `CASE WHEN i % 43 = 6 THEN NULL ELSE (4000000000 - i)::UINTEGER END AS u32,
  CASE WHEN i % 47 = 7 THEN NULL ELSE (18000000000000000000 - i)::UBIGINT END AS u64,`}
  NULL::DOUBLE AS all_null
FROM range(${DUCK_ROWS}) t(i)`;
const duckSql = duckSelect();

describe('decodeColumnChunk against parquet-wasm: DuckDB files', () => {
  const codecs = ['uncompressed', 'snappy', 'zstd', 'gzip', 'lz4_raw', 'brotli'];
  for (const codec of codecs) {
    for (const dictionary of [true, false]) {
      it(`${codec}, dictionary ${dictionary ? 'on' : 'off'}, 2048-row groups: every value, validity bit and type`, async () => {
        const path = join(dir, `duck-${codec}-${dictionary}.parquet`);
        await writeParquetWithDuckDB(path, duckSql, `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048${dictionary ? '' : ', DICTIONARY_SIZE_LIMIT 1'}`);
        const file = new Uint8Array(await readFile(path));
        const footer = readFooter(file, path);
        expect(footer.rowGroups.length).toBeGreaterThan(3);
        const dictColumns = footer.rowGroups[0]!.columns.filter((c) => c.encodings.includes('PLAIN_DICTIONARY')).map((c) => c.column.name);
        // (DuckDB keeps a dictionary for a constant column whatever the limit)
        if (dictionary) expect(dictColumns).toEqual(expect.arrayContaining(['low_card', 'source.workload.name', 'i8', 'const_str']));
        else expect(dictColumns).toEqual(['const_str']);
        const r = compareFile(file, path);
        expect([...r.unsupported]).toEqual([]);
        expect(r.compared).toBe(footer.rowGroups.length * footer.columns.length);
        expect(r.types.get('ts_ns')).toBe('Timestamp<NANOSECOND>');
        expect(r.types.get('timestamp')).toBe('Timestamp<MICROSECOND, UTC>');
        expect(r.types.get('u64')).toBe('Uint64');
        expect(r.types.get('time_of_day')).toBe('Time64<MICROSECOND>');
      });
    }
  }

  it('PARQUET_VERSION V2: dictionary, DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT columns decode, DELTA_*_BYTE_ARRAY ones are refused', async () => {
    const path = join(dir, 'duck-v2.parquet');
    // (parquet-rs cannot read DuckDB's DELTA_BINARY_PACKED UINTEGER / UBIGINT beyond the signed range)
    await writeParquetWithDuckDB(path, duckSelect(['unsigned']), 'COMPRESSION zstd, ROW_GROUP_SIZE 4096, PARQUET_VERSION V2');
    const file = new Uint8Array(await readFile(path));
    const r = compareFile(file, path);
    expect(r.unsupported.has('unique_str')).toBe(true);
    for (const c of ['tcp.bytes', 'i64', 'i32', 'ts_us', 'ts_ms', 'ts_ns', 'timestamp', 'i16']) expect([c, r.unsupported.has(c)]).toEqual([c, false]);
    const footer = readFooter(file, path);
    const bytes = footer.rowGroups[0]!.columns[footer.columns.find((c) => c.name === 'tcp.bytes')!.index]!;
    expect(pagesOf(chunkBytes(file, bytes)).some((p) => p.endsWith('BYTE_STREAM_SPLIT'))).toBe(true);
    const i64 = footer.rowGroups[0]!.columns[footer.columns.find((c) => c.name === 'i64')!.index]!;
    expect(pagesOf(chunkBytes(file, i64)).some((p) => p.endsWith('DELTA_BINARY_PACKED'))).toBe(true);
    expect(r.unsupported.has('source.workload.name')).toBe(false);
    expect(r.unsupported.has('low_card')).toBe(false);
    expect(r.compared).toBeGreaterThan(0);
  });

  it('a BOOLEAN, a DECIMAL, a BLOB and a LIST column are refused before reading a page', async () => {
    const path = join(dir, 'duck-unsupported.parquet');
    await writeParquetWithDuckDB(path, `SELECT i % 2 = 0 AS b, (i / 7)::DECIMAL(10, 3) AS dec, 'x'::BLOB AS blob, [i, i + 1] AS list, i::DOUBLE AS d FROM range(100) t(i)`);
    const file = new Uint8Array(await readFile(path));
    const footer = readFooter(file, path);
    const g = footer.rowGroups[0]!;
    const supported = footer.leafColumns.map((c) => [c.name, chunkSupported(g.columns[c.index]!)]);
    expect(supported).toEqual([['b', false], ['dec', false], ['blob', false], ['list.list.element', false], ['d', true]]);
    for (const c of footer.leafColumns.filter((l) => l.name !== 'd')) {
      expect(() => decodeColumnChunk(chunkBytes(file, g.columns[c.index]!), g.columns[c.index]!, g.numRows, { path, rowGroup: 0 }))
        .toThrow(new RegExp(`^parquet: .*duck-unsupported.parquet row group 0 column "${c.name.replace(/\./g, '\\.')}": .* is not supported by the built-in decoder$`));
    }
  });
});

const WASM_ROWS = 5000;
function wasmTable(): Uint8Array {
  const n = WASM_ROWS;
  const specials = [NaN, -0, Infinity, -Infinity, 0, 5e-324, -1.5];
  const cols: [string, Vector, boolean][] = [
    ['tcp.bytes', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : i % 23 === 0 ? specials[i % 7]! : i * 1.5 + 0.25)), new Float64()), true],
    ['required_double', vectorFromArray(Array.from({ length: n }, (_, i) => i / 3), new Float64()), false],
    ['low_card', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 6 === 0 ? null : i % 9)), new Float64()), true],
    ['f32', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i / 8)), new Float32()), true],
    ['i32', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 8 === 0 ? null : (i * 7919) % 10007 - 5000)), new Int32()), true],
    ['required_i32', vectorFromArray(Array.from({ length: n }, (_, i) => i % 50), new Int32()), false],
    ['i64', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : BigInt(i) * 123456789012n - 9n ** 18n)), new Int64()), true],
    ['timestamp', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : 1_767_225_600_000 + i * 1000)), new TimestampMillisecond('UTC')), true],
    ['ts_us', vectorFromArray(Array.from({ length: n }, (_, i) => 1_767_225_600_000 + i), new TimestampMicrosecond()), true],
    ['source.process.name', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : i % 4 === 1 ? '' : `proc-ü-${i % 40}`)), new Utf8()), true],
    ['unique_str', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : `row-${i}-東京`)), new Utf8()), true],
    ['required_str', vectorFromArray(Array.from({ length: n }, (_, i) => `r${i % 3}`), new Utf8()), false],
    ['dict_str', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `w${i % 5}`)), new Dictionary(new Utf8(), new Int32())), true],
  ];
  const schema = new Schema(cols.map(([name, v, nullable]) => new Field(name, v.type as DataType, nullable)));
  const data = makeData({ type: new Struct(schema.fields), length: n, children: cols.map(([, v]) => v.data[0]!) });
  return tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
}

describe('decodeColumnChunk against parquet-wasm: parquet-wasm (parquet-rs) files', () => {
  const codecs: [string, pq.Compression][] = [
    ['UNCOMPRESSED', pq.Compression.UNCOMPRESSED], ['SNAPPY', pq.Compression.SNAPPY], ['GZIP', pq.Compression.GZIP],
    ['BROTLI', pq.Compression.BROTLI], ['ZSTD', pq.Compression.ZSTD], ['LZ4_RAW', pq.Compression.LZ4_RAW],
  ];
  for (const [name, codec] of codecs) {
    for (const version of [pq.WriterVersion.V1, pq.WriterVersion.V2]) {
      for (const dictionary of [true, false]) {
        it(`${name}, data pages ${version === pq.WriterVersion.V1 ? 'v1' : 'v2'}, dictionary ${dictionary ? 'on with fallback' : 'off'}, many small pages`, () => {
          const props = new pq.WriterPropertiesBuilder().setCompression(codec).setWriterVersion(version)
            .setMaxRowGroupSize(2000).setWriteBatchSize(64).setDataPageSizeLimit(512)
            .setDictionaryEnabled(dictionary).setDictionaryPageSizeLimit(2048)
            // v2's default fallback and non-dictionary encodings are DELTA_*, refused (tested below)
            .setEncoding(pq.Encoding.PLAIN).build();
          const file = pq.writeParquet(pq.Table.fromIPCStream(wasmTable()), props);
          const path = `wasm-${name}-${version}-${dictionary}.parquet`;
          const footer = readFooter(file, path);
          const pages = pagesOf(chunkBytes(file, footer.rowGroups[0]!.columns[footer.columns.find((c) => c.name === 'unique_str')!.index]!));
          expect(pages.length).toBeGreaterThan(10);
          expect(pages.every((p) => p.startsWith(version === pq.WriterVersion.V1 ? 'v1' : 'v2') || p.startsWith('dict'))).toBe(true);
          if (dictionary) {
            // the writer fell back from the dictionary to PLAIN within the chunk
            expect(pages[0]).toBe('dict:PLAIN');
            expect(pages.some((p) => p.endsWith('RLE_DICTIONARY'))).toBe(true);
            expect(pages.some((p) => p.endsWith(':PLAIN') && !p.startsWith('dict'))).toBe(true);
          } else {
            expect(pages.some((p) => p.startsWith('dict'))).toBe(false);
          }
          const r = compareFile(file, path);
          expect([...r.unsupported]).toEqual([]);
          expect(r.compared).toBe(footer.rowGroups.length * footer.columns.length);
          expect(r.types.get('timestamp')).toBe('Timestamp<MILLISECOND, UTC>');
          expect(r.types.get('i64')).toBe('Int64');
        });
      }
    }
  }

  it('data pages v2 with the writer\'s default DELTA_* encodings: integers decode, DELTA_BYTE_ARRAY strings are refused', () => {
    const props = new pq.WriterPropertiesBuilder().setWriterVersion(pq.WriterVersion.V2).setDictionaryEnabled(false).build();
    const file = pq.writeParquet(pq.Table.fromIPCStream(wasmTable()), props);
    const r = compareFile(file, 'v2-delta.parquet');
    expect([...r.unsupported].sort()).toEqual(['dict_str', 'required_str', 'source.process.name', 'unique_str']);
    expect(r.types.get('tcp.bytes')).toBe('Float64');
    expect(r.types.get('i64')).toBe('Int64');
  });

  it('DELTA_BINARY_PACKED integers that wrap: INT32 and INT64 extremes, bit widths up to 64, nulls, many pages', () => {
    const n = 3000;
    const i32 = [-(2 ** 31), 2 ** 31 - 1, 0, -1, 1];
    const i64 = [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 1n, 2n ** 40n + 3n];
    const cols: [string, Vector][] = [
      ['x32', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : i < 1000 ? i32[(i * 7) % 5]! : (i * 7919) % 65536)), new Int32())],
      ['x64', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 19 === 0 ? null : i < 1000 ? i64[(i * 5) % 6]! : BigInt(i) * 1_000_000_007n)), new Int64())],
      ['ramp', vectorFromArray(Array.from({ length: n }, (_, i) => 1_767_225_600_000 + i * 10_000 - (i % 500 === 0 ? 3_600_000 : 0)), new TimestampMillisecond('UTC'))],
      ['constant', vectorFromArray(Array.from({ length: n }, () => 42), new Int32())],
    ];
    const schema = new Schema(cols.map(([name, v]) => new Field(name, v.type as DataType, true)));
    const data = makeData({ type: new Struct(schema.fields), length: n, children: cols.map(([, v]) => v.data[0]!) });
    const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
    for (const version of [pq.WriterVersion.V1, pq.WriterVersion.V2]) {
      const props = new pq.WriterPropertiesBuilder().setWriterVersion(version).setDictionaryEnabled(false)
        .setEncoding(pq.Encoding.DELTA_BINARY_PACKED).setWriteBatchSize(64).setDataPageSizeLimit(256).build();
      const file = pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
      const footer = readFooter(file, 'delta.parquet');
      for (const c of footer.columns) {
        const pages = pagesOf(chunkBytes(file, footer.rowGroups[0]!.columns[c.index]!));
        expect([c.name, pages.length > (c.name === 'constant' ? 0 : 5), pages.every((p) => p.endsWith('DELTA_BINARY_PACKED'))]).toEqual([c.name, true, true]);
      }
      const r = compareFile(file, 'delta.parquet');
      expect([...r.unsupported]).toEqual([]);
      expect(r.compared).toBe(4);
    }
  });

  it('BYTE_STREAM_SPLIT doubles, floats and integers: NaN payloads, -0, extremes, nulls, page sizes off the 16-value blocks', () => {
    const n = 3001;
    const f64 = [NaN, -0, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 1e-300, -123.456];
    const cols: [string, Vector][] = [
      ['d', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i < 500 ? f64[i % 8]! : i * 1024 + (i % 7) / 8)), new Float64())],
      ['f', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : (i * 7919) % 1000 / 16 - 20)), new Float32())],
      ['x32', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : i % 2 ? -(2 ** 31) + i : 2 ** 31 - 1 - i)), new Int32())],
      ['x64', vectorFromArray(Array.from({ length: n }, (_, i) => (i % 19 === 0 ? null : BigInt(i) * -1_000_000_007n)), new Int64())],
    ];
    const schema = new Schema(cols.map(([name, v]) => new Field(name, v.type as DataType, true)));
    const data = makeData({ type: new Struct(schema.fields), length: n, children: cols.map(([, v]) => v.data[0]!) });
    const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
    for (const version of [pq.WriterVersion.V1, pq.WriterVersion.V2]) {
      for (const codec of [pq.Compression.UNCOMPRESSED, pq.Compression.LZ4_RAW, pq.Compression.ZSTD]) {
        const props = new pq.WriterPropertiesBuilder().setWriterVersion(version).setDictionaryEnabled(false).setCompression(codec)
          .setEncoding(pq.Encoding.BYTE_STREAM_SPLIT).setWriteBatchSize(37).setDataPageSizeLimit(700).build();
        const file = pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
        const footer = readFooter(file, 'split.parquet');
        const split = footer.columns.filter((c) => pagesOf(chunkBytes(file, footer.rowGroups[0]!.columns[c.index]!)).some((p) => p.endsWith('BYTE_STREAM_SPLIT')));
        expect(split.map((c) => c.name)).toContain('d');
        expect(split.map((c) => c.name)).toContain('f');
        const r = compareFile(file, 'split.parquet');
        expect([version, codec, [...r.unsupported]]).toEqual([version, codec, []]);
        expect(r.compared).toBe(4);
      }
    }
  });

  it('corrupt DELTA_BINARY_PACKED pages are errors naming the chunk, not wrong values', () => {
    const values = vectorFromArray(Array.from({ length: 600 }, (_, i) => BigInt(i) * 1_000_003n - 7n), new Int64());
    const schema = new Schema([new Field('n', values.type as DataType, false)]);
    const data = makeData({ type: new Struct(schema.fields), length: 600, children: [values.data[0]!] });
    const props = new pq.WriterPropertiesBuilder().setDictionaryEnabled(false).setEncoding(pq.Encoding.DELTA_BINARY_PACKED)
      .setCompression(pq.Compression.UNCOMPRESSED).build();
    const file = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream')), props);
    const footer = readFooter(file, 'delta.parquet');
    const chunk = footer.rowGroups[0]!.columns[0]!;
    const bytes = chunkBytes(file, chunk);
    const h = readPageHeader(bytes, 0);
    const where = { path: 'delta.parquet', rowGroup: 0 };
    // every cut of the page body short, with the header's sizes patched to match, is an error
    for (let cut = 1; cut < h.compressedSize; cut += 3) {
      const short = bytes.slice(0, h.bodyStart + h.compressedSize - cut);
      expect(() => decodeColumnChunk(short, chunk, 600, where)).toThrow(/^parquet: delta\.parquet row group 0 column "n": /);
    }
    expect(() => decodeColumnChunk(bytes, chunk, 601, where)).toThrow(/row group 0 column "n": /);
  });

  it('the deprecated Hadoop LZ4 codec is refused', () => {
    const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.LZ4).build();
    const file = pq.writeParquet(pq.Table.fromIPCStream(wasmTable()), props);
    const footer = readFooter(file, 'lz4.parquet');
    const chunk = footer.rowGroups[0]!.columns[0]!;
    expect(chunk.codec).toBe('LZ4');
    expect(chunkSupported(chunk)).toBe(false);
    expect(() => decodeColumnChunk(chunkBytes(file, chunk), chunk, footer.rowGroups[0]!.numRows, { path: 'lz4.parquet', rowGroup: 0 }))
      .toThrow(/codec LZ4 is not supported/);
  });
});

describe('decodeColumnChunk: chunks no single writer makes', () => {
  function twoGroups(): { file: Uint8Array; footer: ParquetFooter } {
    const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.SNAPPY).setMaxRowGroupSize(2500)
      .setDictionaryPageSizeLimit(1 << 20).build();
    const file = pq.writeParquet(pq.Table.fromIPCStream(wasmTable()), props);
    return { file, footer: readFooter(file, 'two.parquet') };
  }

  it('a second dictionary page midway (two chunks back to back) is merged into one string dictionary, rows unchanged', () => {
    const { file, footer } = twoGroups();
    expect(footer.rowGroups.length).toBe(2);
    for (const name of ['source.process.name', 'dict_str', 'low_card', 'unique_str']) {
      const col = footer.columns.find((c) => c.name === name)!;
      const [a, b] = footer.rowGroups.map((g) => g.columns[col.index]!);
      expect(pagesOf(chunkBytes(file, a!))[0]).toBe('dict:PLAIN');
      const joined = new Uint8Array([...chunkBytes(file, a!), ...chunkBytes(file, b!)]);
      const rows = footer.rowGroups[0]!.numRows + footer.rowGroups[1]!.numRows;
      const ours = decodeColumnChunk(joined, a!, rows, { path: 'joined', rowGroup: 0 });
      const theirs = [...wasmColumns(file, 0).get(name)!.keys, ...wasmColumns(file, 1).get(name)!.keys];
      expect(keyDiff(columnKeys(ours), theirs)).toEqual([]);
      if (col.physicalType === 'BYTE_ARRAY') {
        const dict = ours.dictionary!.data[0]!;
        const entries = columnKeys(dict);
        expect(new Set(entries).size).toBe(entries.length);
      }
    }
  });

  it('the same chunk decodes to the same Data twice (deterministic dictionary order)', () => {
    const { file, footer } = twoGroups();
    const col = footer.columns.find((c) => c.name === 'unique_str')!;
    const chunk = footer.rowGroups[0]!.columns[col.index]!;
    const once = decodeColumnChunk(chunkBytes(file, chunk), chunk, footer.rowGroups[0]!.numRows, { path: 'x', rowGroup: 0 });
    const twice = decodeColumnChunk(chunkBytes(file, chunk), chunk, footer.rowGroups[0]!.numRows, { path: 'x', rowGroup: 0 });
    expect(Array.from(once.values as Int32Array)).toEqual(Array.from(twice.values as Int32Array));
    expect(columnKeys(once.dictionary!.data[0]!)).toEqual(columnKeys(twice.dictionary!.data[0]!));
  });
});

describe('decodeColumnChunk against parquet-wasm: the exporter\'s files', () => {
  it('every column of a small export matches, its DELTA_BINARY_PACKED timestamps included', async () => {
    const out = join(dir, 'export');
    execFileSync(process.execPath, ['dist/src/cli/main.js', 'export', '--out', out, '--days', '1', '--workloads', '4'], { stdio: 'pipe' });
    const files = (await readdir(out, { recursive: true, encoding: 'utf8' })).filter((f) => f.endsWith('.parquet'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const path = join(out, f);
      const file = new Uint8Array(await readFile(path));
      const r = compareFile(file, path);
      expect([...r.unsupported]).toEqual([]);
      // the timestamps, five string columns and five metrics
      expect(r.compared).toBe(readFooter(file, path).rowGroups.length * 11);
      expect(r.types.get('timestamp')).toBe('Timestamp<MILLISECOND, UTC>');
      expect(r.types.get('tcp.bytes')).toBe('Float64');
    }
  });
});

describe('decodeColumnChunk: corrupt input', () => {
  async function duckChunk(codec: string): Promise<{ bytes: Uint8Array; chunk: ColumnChunk; rows: number; path: string }> {
    const path = join(dir, `corrupt-${codec}.parquet`);
    await writeParquetWithDuckDB(path, duckSql, `COMPRESSION ${codec}, ROW_GROUP_SIZE 4096`);
    const file = new Uint8Array(await readFile(path));
    const footer = readFooter(file, path);
    const g = footer.rowGroups[0]!;
    const chunk = g.columns[footer.columns.find((c) => c.name === 'source.workload.name')!.index]!;
    return { bytes: chunkBytes(file, chunk).slice(), chunk, rows: g.numRows, path };
  }
  const where = (path: string) => ({ path, rowGroup: 0 });
  const named = (path: string) => new RegExp(`^parquet: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} row group 0 column "source\\.workload\\.name": `);

  for (const codec of ['uncompressed', 'snappy', 'zstd', 'lz4_raw', 'gzip']) {
    it(`${codec}: every truncation throws an error naming the file, row group and column`, async () => {
      const { bytes, chunk, rows, path } = await duckChunk(codec);
      expect(() => decodeColumnChunk(bytes, chunk, rows, where(path))).not.toThrow();
      const step = Math.max(1, Math.floor(bytes.length / 97));
      for (let cut = 0; cut < bytes.length; cut += step) {
        expect(() => decodeColumnChunk(bytes.subarray(0, cut), chunk, rows, where(path))).toThrow(named(path));
      }
    });

    it(`${codec}: a page header whose uncompressed size is off by one is an error`, async () => {
      const { bytes, chunk, rows, path } = await duckChunk(codec);
      for (const delta of [1, -1]) {
        const h = readPageHeader(bytes, 0);
        const edited = withUncompressedSize(bytes, h.uncompressedSize + delta);
        let err: Error | undefined;
        try {
          decodeColumnChunk(edited, chunk, rows, where(path));
        } catch (e) {
          err = e as Error;
        }
        expect(err?.message).toMatch(named(path));
        expect(err?.message).toMatch(/decompress|size|holds|bytes/);
        expect(err?.cause).toBeInstanceOf(Error);
      }
    });
  }

  it('a corrupt page header, an out-of-range dictionary index and a wrong row count are errors', async () => {
    const { bytes, chunk, rows, path } = await duckChunk('uncompressed');
    const stop = bytes.slice();
    stop[0] = 0;
    expect(() => decodeColumnChunk(stop, chunk, rows, where(path))).toThrow(/lacks page type/);
    const junk = bytes.slice();
    junk.fill(0xff, 0, 8);
    expect(() => decodeColumnChunk(junk, chunk, rows, where(path))).toThrow(named(path));
    expect(() => decodeColumnChunk(bytes, chunk, rows + 1, where(path))).toThrow(/chunk holds \d+ values, the row group has \d+ rows/);
    expect(() => decodeColumnChunk(bytes, chunk, rows - 1, where(path))).toThrow(/more than the row group's/);
    // a one-entry dictionary: the data page's indices point past it
    const dict = readPageHeader(bytes, 0);
    const small = withDictionaryEntries(bytes, 1);
    expect(dict.numValues).toBeGreaterThan(1);
    expect(() => decodeColumnChunk(small, chunk, rows, where(path))).toThrow(/dictionary index \d+ out of range \(the dictionary has 1 entries\)/);
  });

  it('a chunk whose footer lists only PLAIN but whose pages are DELTA_LENGTH_BYTE_ARRAY is refused from its page headers', async () => {
    const path = join(dir, 'lying.parquet');
    await writeParquetWithDuckDB(path, `SELECT 'row-' || i AS n FROM range(1000) t(i)`, 'PARQUET_VERSION V2');
    const file = new Uint8Array(await readFile(path));
    const footer = readFooter(file, path);
    const chunk = { ...footer.rowGroups[0]!.columns[0]!, encodings: ['PLAIN', 'RLE'] };
    expect(chunkSupported(chunk)).toBe(true);
    expect(() => decodeColumnChunk(chunkBytes(file, chunk), chunk, 1000, where(path))).toThrow(UnsupportedChunkError);
    expect(() => decodeColumnChunk(chunkBytes(file, chunk), chunk, 1000, where(path))).toThrow(/DELTA_(LENGTH_)?BYTE_ARRAY encoding/);
  });

  it('ZSTD without prepareDecoders is an error that says so', async () => {
    const path = join(dir, 'fresh.mjs');
    const url = (p: string) => new URL(`../dist/src/parquet/${p}`, import.meta.url).href;
    await writeFile(path, `
      import { decompressPage } from '${url('decompressPage.js')}';
      try { decompressPage('ZSTD', new Uint8Array([1, 2, 3]), 10); console.log('no error'); } catch (e) { console.log(e.message); }
    `);
    const out = execFileSync(process.execPath, [path], { encoding: 'utf8' });
    expect(out.trim()).toBe('ZSTD pages need `await prepareDecoders()` first');
  });
});

/** The chunk with its first page header's uncompressed_page_size replaced. */
function withUncompressedSize(bytes: Uint8Array, size: number): Uint8Array {
  return withHeader(bytes, (s) => s.set(2, 5, size));
}

/** The chunk with its dictionary page header claiming `n` entries. */
function withDictionaryEntries(bytes: Uint8Array, n: number): Uint8Array {
  return withHeader(bytes, (s) => s.struct(7)!.set(1, 5, n));
}

function withHeader(bytes: Uint8Array, edit: (s: TStruct) => void): Uint8Array {
  const { value, end } = decodeStruct(bytes, 0);
  edit(value);
  const header = encodeStruct(value);
  const out = new Uint8Array(header.length + bytes.length - end);
  out.set(header);
  out.set(bytes.subarray(end), header.length);
  return out;
}
