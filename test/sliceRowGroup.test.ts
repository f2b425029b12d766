import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pq from 'parquet-wasm';
import {
  Dictionary, Field, Float64, Int32, RecordBatch, Schema, Struct, Table, TimestampMillisecond, Utf8,
  makeData, tableFromIPC, tableToIPC, vectorFromArray, type Data, type DataType,
} from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { chunkByteRange, readFooter, type ParquetFooter } from '../src/parquet/parquetFooter.js';
import { stringBytes, T } from '../src/parquet/thriftCompact.js';
import { columnChunkRanges, readRowGroupSlice, sliceFromChunks, sliceRowGroup } from '../src/parquet/sliceRowGroup.js';
import { writeParquetBytes } from './helpers/parquetBytes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slice-row-group-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function writeParquet(columns: [string, Data, boolean][], length: number, rowGroupSize: number): Uint8Array {
  const schema = new Schema(columns.map(([name, d, nullable]) => new Field(name, d.type as DataType, nullable)));
  const data = makeData({ type: new Struct(schema.fields), length, children: columns.map(([, d]) => d) });
  const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).setCompression(pq.Compression.ZSTD).build();
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
}

const dictType = () => new Dictionary(new Utf8(), new Int32());

function wasmFile(): Uint8Array {
  const n = 5500;
  const gen = <V>(f: (i: number) => V) => Array.from({ length: n }, (_, i) => f(i));
  return writeParquet([
    ['ts', vectorFromArray(gen((i) => 1_700_000_000_000 + ((i * 7919) % n) * 1000), new TimestampMillisecond()).data[0]!, false],
    ['host', vectorFromArray(gen((i) => (i % 11 === 0 ? null : `host-${(i * 31) % 17}`)), dictType()).data[0]!, true],
    ['v1', vectorFromArray(gen((i) => (i % 7 === 0 ? null : i / 8)), new Float64()).data[0]!, true],
    ['v2', vectorFromArray(gen((i) => (i % 3 === 0 ? null : -i)), new Float64()).data[0]!, true],
    ['plain', vectorFromArray(gen((i) => `p${i}`), new Utf8()).data[0]!, false],
    ['tsz', vectorFromArray(gen((i) => (i % 5 === 0 ? null : 1_700_000_000_000 + i)), new TimestampMillisecond('UTC')).data[0]!, true],
  ], n, 1000);
}

async function duckFile(): Promise<Uint8Array> {
  const path = join(dir, 'duck.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (
      SELECT
        TIMESTAMP '2024-01-01' + to_microseconds(((i * 7919) % 100000) * 1000003) AS ts,
        CASE WHEN i % 11 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + to_seconds(i) END AS ts2,
        'host-' || (i * 31 % 37) AS host,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'w' || (i * 13 % 1001) END AS workload,
        i * 3 - 5000 AS n,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 END AS v
      FROM range(10000) t(i)
    ) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return new Uint8Array(await readFile(path));
}

const decode = (bytes: Uint8Array, rowGroups?: number[]) =>
  tableFromIPC(pq.readParquet(bytes, { batchSize: 1 << 20, ...(rowGroups && { rowGroups }) }).intoIPCStream());

function values(t: Table, name: string): unknown[] {
  const c = t.getChild(name)!;
  return Array.from({ length: c.length }, (_, i) => c.get(i));
}

/** dictionary ids are assigned per decode, so leave them out */
const typeKey = (t: DataType) => `${t}${JSON.stringify(t, (k, v) => (k === 'id' ? undefined : v))}`;

function projections(names: string[]): (string[] | null)[] {
  return [null, [...names].reverse(), ...names.map((n) => [n]), names.filter((_, i) => i % 2 === 1), names.slice(1)];
}

function checkSlices(file: Uint8Array, footer: ParquetFooter): number {
  const names = footer.columns.map((c) => c.name);
  let checked = 0;
  footer.rowGroups.forEach((rg, i) => {
    const whole = decode(file, [i]);
    for (const columns of projections(names)) {
      const slice = sliceRowGroup(file, footer, i, columns);
      const expected = columns === null ? names : names.filter((n) => columns.includes(n));

      const sf = readFooter(slice, 'slice');
      expect(sf.numRows).toBe(rg.numRows);
      expect(sf.rowGroups.length).toBe(1);
      expect(sf.columns.map((c) => c.name)).toEqual(expected);
      expect(sf.keyValueMetadata.has('ARROW:schema')).toBe(footer.keyValueMetadata.has('ARROW:schema'));
      let at = 4;
      sf.rowGroups[0]!.columns.forEach((ch, k) => {
        const orig = rg.columns[names.indexOf(expected[k]!)]!;
        expect(chunkByteRange(ch)).toEqual([at, at + orig.totalCompressedSize]);
        expect([ch.min, ch.max, ch.nullCount, ch.numValues]).toEqual([orig.min, orig.max, orig.nullCount, orig.numValues]);
        at += orig.totalCompressedSize;
      });

      const got = decode(slice);
      expect(got.numRows).toBe(rg.numRows);
      expect(got.schema.fields.map((f) => f.name)).toEqual(expected);
      for (const name of expected) {
        expect(values(got, name)).toEqual(values(whole, name));
        expect(typeKey(got.getChild(name)!.type)).toBe(typeKey(whole.getChild(name)!.type));
      }
      checked++;
    }
  });
  return checked;
}

describe('sliceRowGroup', () => {
  let wasm: Uint8Array;
  let duck: Uint8Array;
  beforeAll(async () => {
    wasm = wasmFile();
    duck = await duckFile();
  });

  it('decodes to the same values as the whole file, per row group and projection (parquet-wasm file)', () => {
    const footer = readFooter(wasm, 'wasm.parquet');
    expect(footer.rowGroups.length).toBe(6);
    expect(checkSlices(wasm, footer)).toBe(6 * projections(footer.columns.map((c) => c.name)).length);
    // the pruned Arrow schema keeps dictionary-encoded strings as Arrow dictionaries
    expect(decode(sliceRowGroup(wasm, footer, 0, ['host', 'v1'])).getChild('host')!.type).toBeInstanceOf(Dictionary);
  });

  it('drops an embedded Arrow schema it cannot rebuild, and still decodes', () => {
    const footer = readFooter(wasm, 'wasm.parquet');
    const kv = footer.raw.structs(5)!.find((e) => e.str(1) === 'ARROW:schema')!;
    kv.set(2, T.BINARY, stringBytes('bm90IGFuIGFycm93IHNjaGVtYQ=='));
    footer.keyValueMetadata.set('ARROW:schema', 'bm90IGFuIGFycm93IHNjaGVtYQ==');
    const slice = sliceRowGroup(wasm, footer, 2, ['ts', 'host']);
    expect(readFooter(slice, 'slice').keyValueMetadata.has('ARROW:schema')).toBe(false);
    const got = decode(slice);
    expect(String(got.getChild('host')!.type)).toBe('Utf8');
    expect(values(got, 'host')).toEqual(values(decode(wasm, [2]), 'host'));
  });

  it('decodes to the same values as the whole file, per row group and projection (DuckDB file)', () => {
    const footer = readFooter(duck, 'duck.parquet');
    expect(footer.rowGroups.length).toBeGreaterThan(1);
    expect(checkSlices(duck, footer)).toBe(footer.rowGroups.length * projections(footer.columns.map((c) => c.name)).length);
  });

  it('builds the same bytes from a buffer, a range reader, read chunks and a file handle', async () => {
    const path = join(dir, 'wasm.parquet');
    await writeFile(path, wasm);
    const footer = readFooter(wasm, path);
    const fh = await open(path, 'r');
    try {
      for (const columns of [null, ['v2', 'ts'], ['host']]) {
        for (let i = 0; i < footer.rowGroups.length; i++) {
          const expected = sliceRowGroup(wasm, footer, i, columns);
          const reads: [number, number][] = [];
          const reader = (s: number, e: number) => (reads.push([s, e]), wasm.slice(s, e));
          expect(Buffer.compare(sliceRowGroup(reader, footer, i, columns), expected)).toBe(0);
          expect(reads).toEqual(columnChunkRanges(footer, i, columns));
          const chunks = await Promise.all(columnChunkRanges(footer, i, columns).map(async ([s, e]) => {
            const buf = new Uint8Array(e - s);
            await fh.read(buf, 0, e - s, s);
            return buf;
          }));
          expect(Buffer.compare(sliceFromChunks(footer, i, columns, chunks), expected)).toBe(0);
          expect(Buffer.compare(await readRowGroupSlice(fh, footer, i, columns), expected)).toBe(0);
        }
      }
    } finally {
      await fh.close();
    }
  });

  it('rejects unknown columns, missing row groups, empty projections and wrong chunks', () => {
    const footer = readFooter(wasm, 'data/w.parquet');
    expect(() => sliceRowGroup(wasm, footer, 0, ['nope'])).toThrow('parquet: data/w.parquet has no column "nope"');
    expect(() => sliceRowGroup(wasm, footer, 6, null)).toThrow('parquet: data/w.parquet has no row group 6 (it has 6)');
    expect(() => sliceRowGroup(wasm, footer, 0, [])).toThrow(/at least one column/);
    expect(() => sliceFromChunks(footer, 0, ['ts'], [new Uint8Array(3)])).toThrow(/column chunk 0 has 3 bytes, expected \d+/);
    expect(() => sliceFromChunks(footer, 0, ['ts'], [])).toThrow(/got 0 column chunks, expected 1/);
    expect(() => sliceRowGroup(wasm.subarray(0, 1000), footer, 5, null)).toThrow(/is truncated \(column chunk ends at \d+, file size 1000\)/);
  });

  it('skips nested columns: slices hold flat columns only and decode as the whole file does', async () => {
    const path = join(dir, 'nested.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run(`COPY (SELECT i AS a, {'x': i, 'y': [i, i]} AS s, 'h' || (i % 7) AS host, MAP {'k': i} AS m, i / 4 AS v
        FROM range(5000) t(i)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    const file = new Uint8Array(await readFile(path));
    const footer = readFooter(file, path);
    expect(footer.columns.map((c) => c.name)).toEqual(['a', 'host', 'v']);
    for (let i = 0; i < footer.rowGroups.length; i++) {
      const whole = decode(file, [i]);
      for (const columns of [null, ['v', 'a'], ['host']]) {
        const got = decode(sliceRowGroup(file, footer, i, columns));
        const expected = columns === null ? ['a', 'host', 'v'] : ['a', 'host', 'v'].filter((n) => columns.includes(n));
        expect(got.schema.fields.map((f) => f.name)).toEqual(expected);
        for (const name of expected) expect(values(got, name)).toEqual(values(whole, name));
      }
    }
    expect(() => sliceRowGroup(file, footer, 0, ['s'])).toThrow(`parquet: column "s" in ${path} is nested (a STRUCT), which cannot be read as a flat column`);
  });

  it('keeps the embedded Arrow schema of flat columns beside a nested one (by field position)', () => {
    const n = 3000;
    const host = vectorFromArray(Array.from({ length: n }, (_, i) => `h${i % 5}`), dictType()).data[0]!;
    const inner = vectorFromArray(Array.from({ length: n }, (_, i) => i * 0.5), new Float64()).data[0]!;
    const nested = makeData({ type: new Struct([new Field('x', new Float64(), true)]), length: n, children: [inner] });
    const ts = vectorFromArray(Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i), new TimestampMillisecond('UTC')).data[0]!;
    const file = writeParquet([['s', nested, true], ['host', host, true], ['ts', ts, false]], n, 1000);
    const footer = readFooter(file, 'wasm-nested.parquet');
    expect([footer.fieldCount, footer.columns.map((c) => [c.name, c.position, c.index])]).toEqual([3, [['host', 1, 1], ['ts', 2, 2]]]);
    const slice = sliceRowGroup(file, footer, 1, ['ts', 'host']);
    expect(readFooter(slice, 'slice').keyValueMetadata.has('ARROW:schema')).toBe(true);
    const got = decode(slice);
    expect(got.getChild('host')!.type).toBeInstanceOf(Dictionary);
    expect(String(got.getChild('ts')!.type)).toBe(String(decode(file, [1]).getChild('ts')!.type));
    expect(values(got, 'host')).toEqual(values(decode(file, [1]), 'host'));
  });

  it('rejects a selected name two columns share, naming both positions', () => {
    const file = writeParquetBytes([
      { name: 'a', type: 'INT64', values: [1n, 2n] },
      { name: 'b', type: 'DOUBLE', values: [1, 2] },
      { name: 'a', type: 'INT64', values: [3n, 4n] },
    ]);
    const footer = readFooter(file, 'dup.parquet');
    expect(() => sliceRowGroup(file, footer, 0, ['a'])).toThrow('parquet: dup.parquet has two columns named "a" (columns 1 and 3)');
    expect(values(decode(sliceRowGroup(file, footer, 0, ['b'])), 'b')).toEqual([1, 2]);
  });
});

