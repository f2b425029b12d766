import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, open, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pq from 'parquet-wasm';
import {
  Dictionary, Field, Float64, Int32, RecordBatch, Schema, Struct, Table, TimestampMillisecond, Uint32, Utf8,
  makeData, tableToIPC, vectorFromArray, type DataType, type Vector,
} from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { chunkByteRange, readFooter, readFooterFromFd, statInt64Range, type ColumnChunk, type ParquetFooter } from '../src/parquet/parquetFooter.js';
import { decodeStruct, T, TStruct, stringBytes } from '../src/parquet/thriftCompact.js';
import { encodeStruct } from '../src/parquet/thriftEncode.js';
import { duplicateNames } from '../src/parquet/parquetSchema.js';
import { writeParquetBytes } from './helpers/parquetBytes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parquet-footer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const N = 5500;
const BASE_MS = 1_700_000_000_000;
/** Deterministic columns, ts shuffled within the file so per-row-group min/max are not trivial. */
function genColumns(n: number) {
  return {
    ts: Array.from({ length: n }, (_, i) => BASE_MS + ((i * 7919) % n) * 1000),
    host: Array.from({ length: n }, (_, i) => `host-${(i * 31) % 17}`),
    v1: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : ((i * 37) % 1000) / 8 - 40)),
    v2: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i * 0.25)),
    code: Array.from({ length: n }, (_, i) => ((i * 13) % 2001) - 1000),
    port: Array.from({ length: n }, (_, i) => 4_000_000_000 + ((i * 7) % 100_000)),
  };
}

function writeWasmParquet(n: number, rowGroupSize: number): Uint8Array {
  const c = genColumns(n);
  const vectors: [string, Vector, boolean][] = [
    ['ts', vectorFromArray(c.ts, new TimestampMillisecond()), false],
    ['host', vectorFromArray(c.host, new Dictionary(new Utf8(), new Int32())), true],
    ['v1', vectorFromArray(c.v1, new Float64()), true],
    ['v2', vectorFromArray(c.v2, new Float64()), true],
    ['code', vectorFromArray(c.code, new Int32()), false],
    ['port', vectorFromArray(c.port, new Uint32()), false],
  ];
  const schema = new Schema(vectors.map(([name, v, nullable]) => new Field(name, v.type as DataType, nullable)));
  const data = makeData({ type: new Struct(schema.fields), length: n, children: vectors.map(([, v]) => v.data[0]!) });
  const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).setCompression(pq.Compression.ZSTD).build();
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
}

async function writeDuckDbParquet(sqlFor: (path: string) => string, name: string): Promise<string> {
  const path = join(dir, name);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(sqlFor(path));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return path;
}

async function duckRows(sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const DUCK_ROWS = 10_000;
const duckSql = (path: string) => `COPY (
  SELECT
    TIMESTAMP '2024-01-01' + to_microseconds(((i * 7919) % 100000) * 1000003) AS ts,
    CASE WHEN i % 11 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) END AS tstz,
    'host-' || (i * 31 % 37) AS host,
    i * 3 - 5000 AS n,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 END AS v,
    (i % 100)::INTEGER AS small
  FROM range(${DUCK_ROWS}) t(i)
) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`;

function footerBytes(file: Uint8Array): Uint8Array {
  const len = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(file.length - 8, true);
  return file.subarray(file.length - 8 - len, file.length - 8);
}

const f64 = (b: Uint8Array | undefined) => b && new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
const str = (b: Uint8Array | undefined) => b && new TextDecoder().decode(b);

function rowGroupSlices<V>(footer: ParquetFooter, values: V[]): V[][] {
  let at = 0;
  return footer.rowGroups.map((rg) => values.slice(at, (at += rg.numRows)));
}

function minMax<V>(vals: (V | null)[]): [V, V] {
  const present = vals.filter((v): v is V => v !== null);
  present.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [present[0]!, present[present.length - 1]!];
}

describe('thriftCompact', () => {
  it('round-trips every value kind, long field deltas, long lists and big i64', () => {
    const inner = new TStruct().set(1, T.BINARY, stringBytes('k')).set(2, T.TRUE, false);
    const s = new TStruct()
      .set(1, T.I32, -123456)
      .set(2, T.I64, -(2 ** 40))
      .set(3, T.I64, 2n ** 62n + 5n)
      .set(4, T.I64, -(2n ** 63n))
      .set(5, T.TRUE, true)
      .set(6, T.BYTE, -7)
      .set(7, T.I16, 300)
      .set(8, T.DOUBLE, 3.25)
      .set(40, T.BINARY, new Uint8Array([0, 255, 1]))
      .set(41, T.LIST, { elemType: T.I64, items: Array.from({ length: 40 }, (_, i) => i * 1e9) })
      .set(42, T.SET, { elemType: T.TRUE, items: [true, false, true] })
      .set(43, T.MAP, { keyType: T.BINARY, valueType: T.STRUCT, entries: [[stringBytes('a'), inner]] })
      .set(44, T.LIST, { elemType: T.STRUCT, items: [inner, new TStruct()] })
      .set(45, T.MAP, { keyType: 0, valueType: 0, entries: [] });
    const bytes = encodeStruct(s);
    const { value, end } = decodeStruct(bytes);
    expect(end).toBe(bytes.length);
    expect(value).toEqual(s);
    expect(value.int(1)).toBe(-123456);
    expect(value.get(3)).toBe(2n ** 62n + 5n);
    expect(value.get(4)).toBe(-(2n ** 63n));
    expect(encodeStruct(value)).toEqual(bytes);
  });

  it('rejects truncated and corrupt input', () => {
    const bytes = encodeStruct(new TStruct().set(1, T.BINARY, new Uint8Array(100)));
    expect(() => decodeStruct(bytes.subarray(0, 50))).toThrow(/size exceeds remaining data/);
    expect(() => decodeStruct(new Uint8Array([0x1d]))).toThrow(/unknown type code 13/);
    expect(() => decodeStruct(new Uint8Array([0x15]))).toThrow(/unexpected end/);
  });
});

describe('readFooter on a parquet-wasm file', () => {
  let file: Uint8Array;
  let footer: ParquetFooter;
  const cols = genColumns(N);
  beforeAll(() => {
    file = writeWasmParquet(N, 1000);
    footer = readFooter(file, 'data/wasm.parquet');
  });

  it('reads file-level metadata and the flat schema', () => {
    expect(footer.numRows).toBe(N);
    expect(footer.fileSize).toBe(file.length);
    expect(footer.createdBy).toMatch(/^parquet-rs/);
    expect(footer.keyValueMetadata.has('ARROW:schema')).toBe(true);
    expect(footer.rowGroups.map((rg) => rg.numRows)).toEqual([1000, 1000, 1000, 1000, 1000, 500]);
    const summary = footer.columns.map(({ name, physicalType, repetition, logicalType }) => ({ name, physicalType, repetition, logicalType }));
    expect(summary).toEqual([
      { name: 'ts', physicalType: 'INT64', repetition: 'required', logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: false } },
      { name: 'host', physicalType: 'BYTE_ARRAY', repetition: 'optional', logicalType: { type: 'STRING' } },
      { name: 'v1', physicalType: 'DOUBLE', repetition: 'optional', logicalType: undefined },
      { name: 'v2', physicalType: 'DOUBLE', repetition: 'optional', logicalType: undefined },
      { name: 'code', physicalType: 'INT32', repetition: 'required', logicalType: undefined },
      { name: 'port', physicalType: 'INT32', repetition: 'required', logicalType: { type: 'INTEGER', bitWidth: 32, isSigned: false } },
    ]);
  });

  it('reads per-row-group statistics matching the data', () => {
    const ts = rowGroupSlices(footer, cols.ts);
    const host = rowGroupSlices(footer, cols.host);
    const v1 = rowGroupSlices(footer, cols.v1);
    const code = rowGroupSlices(footer, cols.code);
    const port = rowGroupSlices(footer, cols.port);
    footer.rowGroups.forEach((rg, i) => {
      const [tsC, hostC, v1C, , codeC, portC] = rg.columns as ColumnChunk[];
      expect(tsC!.codec).toBe('ZSTD');
      expect(tsC!.numValues).toBe(rg.numRows);
      const [tMin, tMax] = minMax(ts[i]!);
      expect(statInt64Range(tsC!)).toEqual({ min: BigInt(tMin), max: BigInt(tMax) });
      const [cMin, cMax] = minMax(code[i]!);
      expect(statInt64Range(codeC!)).toEqual({ min: BigInt(cMin), max: BigInt(cMax) });
      const [pMin, pMax] = minMax(port[i]!);
      expect(statInt64Range(portC!)).toEqual({ min: BigInt(pMin), max: BigInt(pMax) });
      expect([str(hostC!.min), str(hostC!.max)]).toEqual(minMax(host[i]!));
      expect([f64(v1C!.min), f64(v1C!.max)]).toEqual(minMax(v1[i]!));
      expect(v1C!.nullCount).toBe(v1[i]!.filter((v) => v === null).length);
      expect(statInt64Range(v1C!)).toBeUndefined();
    });
  });

  it('computes non-overlapping column chunk ranges inside the data area', () => {
    const ranges = footer.rowGroups.flatMap((rg) => rg.columns.map(chunkByteRange)).sort((a, b) => a[0] - b[0]);
    expect(ranges[0]![0]).toBe(4);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
    expect(ranges.at(-1)![1]).toBeLessThanOrEqual(file.length - 8 - footerBytes(file).length);
    const host = footer.rowGroups[0]!.columns[1]!;
    expect(chunkByteRange(host)[0]).toBe(host.dictionaryPageOffset);
  });

  it('re-encodes the footer byte for byte', () => {
    const meta = footerBytes(file);
    expect(encodeStruct(decodeStruct(meta).value)).toEqual(meta.slice());
  });

  it('reads the same footer from a file handle, also when the footer exceeds the first tail read', async () => {
    const big = writeWasmParquet(N, 10); // 550 row groups: footer well over 64 KiB
    expect(footerBytes(big).length).toBeGreaterThan(64 * 1024);
    for (const [name, bytes] of [['small.parquet', file], ['big.parquet', big]] as const) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const fh = await open(path, 'r');
      try {
        const fromFd = await readFooterFromFd(fh, bytes.length, path);
        expect(fromFd).toEqual(readFooter(bytes, path));
      } finally {
        await fh.close();
      }
    }
  });
});

describe('readFooter on a DuckDB file', () => {
  let path: string;
  let file: Uint8Array;
  let footer: ParquetFooter;
  beforeAll(async () => {
    path = await writeDuckDbParquet(duckSql, 'duck.parquet');
    file = new Uint8Array(await readFile(path));
    footer = readFooter(file, path);
  });

  it('reads the schema with timestamp units and UTC adjustment', () => {
    expect(footer.numRows).toBe(DUCK_ROWS);
    expect(footer.createdBy).toMatch(/DuckDB/i);
    expect(footer.rowGroups.length).toBeGreaterThan(1);
    expect(footer.rowGroups.reduce((s, rg) => s + rg.numRows, 0)).toBe(DUCK_ROWS);
    const byName = Object.fromEntries(footer.columns.map((c) => [c.name, c]));
    expect(byName.ts!.physicalType).toBe('INT64');
    expect(byName.ts!.logicalType).toEqual({ type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: false });
    expect(byName.tstz!.logicalType).toEqual({ type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true });
    expect(byName.host!.logicalType).toEqual({ type: 'STRING' });
    expect(byName.n!.physicalType).toBe('INT64');
    expect(byName.v!.physicalType).toBe('DOUBLE');
    expect(byName.small!.physicalType).toBe('INT32');
    expect(footer.columns.every((c) => c.repetition === 'optional')).toBe(true);
  });

  it('has per-row-group statistics that match the data', async () => {
    const rows = await duckRows(
      `SELECT epoch_us(ts), epoch_us(tstz), host, n, v FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`,
    );
    const col = <V>(j: number) => rowGroupSlices(footer, rows.map((r) => r[j] as V | null));
    const [ts, tstz, host, n, v] = [col<bigint>(0), col<bigint>(1), col<string>(2), col<bigint>(3), col<number>(4)];
    footer.rowGroups.forEach((rg, i) => {
      const c = Object.fromEntries(rg.columns.map((ch) => [ch.column.name, ch]));
      const range = (vals: (bigint | null)[]) => {
        const [min, max] = minMax(vals);
        return { min, max };
      };
      expect(statInt64Range(c.ts!)).toEqual(range(ts[i]!));
      expect(statInt64Range(c.tstz!)).toEqual(range(tstz[i]!));
      expect(c.tstz!.nullCount).toBe(tstz[i]!.filter((x) => x === null).length);
      expect(statInt64Range(c.n!)).toEqual(range(n[i]!));
      expect([str(c.host!.min), str(c.host!.max)]).toEqual(minMax(host[i]!));
      expect([f64(c.v!.min), f64(c.v!.max)]).toEqual(minMax(v[i]!));
      expect(c.v!.nullCount).toBe(v[i]!.filter((x) => x === null).length);
    });
  });

  it('re-encodes the footer byte for byte', () => {
    const meta = footerBytes(file);
    expect(encodeStruct(decodeStruct(meta).value)).toEqual(meta.slice());
  });

  it('falls back to legacy min/max only for signed numeric columns', () => {
    // DuckDB writes both legacy (1/2) and new (5/6) statistics; keep only the legacy ones
    const tree = decodeStruct(footerBytes(file)).value;
    for (const rg of tree.structs(4)!) {
      for (const cc of rg.structs(1)!) cc.struct(3)!.struct(12)?.delete(5, 6);
    }
    const meta = encodeStruct(tree);
    const dataEnd = file.length - 8 - footerBytes(file).length;
    const legacy = new Uint8Array(dataEnd + meta.length + 8);
    legacy.set(file.subarray(0, dataEnd));
    legacy.set(meta, dataEnd);
    new DataView(legacy.buffer).setUint32(legacy.length - 8, meta.length, true);
    legacy.set(file.subarray(file.length - 4), legacy.length - 4);
    const old = readFooter(legacy, 'legacy.parquet');
    old.rowGroups.forEach((rg, i) => {
      const c = Object.fromEntries(rg.columns.map((ch) => [ch.column.name, ch]));
      const cur = Object.fromEntries(footer.rowGroups[i]!.columns.map((ch) => [ch.column.name, ch]));
      expect(statInt64Range(c.ts!)).toEqual(statInt64Range(cur.ts!));
      expect(f64(c.v!.min)).toBe(f64(cur.v!.min));
      expect(c.host!.min).toBeUndefined();
      expect(c.host!.max).toBeUndefined();
      expect(c.host!.nullCount).toBe(0);
    });
  });
});

describe('readFooter errors', () => {
  it('rejects a file that is not Parquet', async () => {
    const text = new TextEncoder().encode('timestamp,host\n1,a\n2,b\n');
    expect(() => readFooter(text, 'data/x.parquet')).toThrow('parquet: data/x.parquet is not a Parquet file (bad magic)');
    expect(() => readFooter(new Uint8Array(0), 'data/empty.parquet')).toThrow('parquet: data/empty.parquet is not a Parquet file (bad magic)');
    const path = join(dir, 'x.csv');
    await writeFile(path, text);
    const fh = await open(path, 'r');
    try {
      await expect(readFooterFromFd(fh, text.length, 'data/x.parquet')).rejects.toThrow('parquet: data/x.parquet is not a Parquet file (bad magic)');
    } finally {
      await fh.close();
    }
  });

  it('reports truncation', () => {
    const file = writeWasmParquet(N, 1000);
    expect(() => readFooter(file.subarray(0, file.length >> 1), 'data/cut.parquet')).toThrow(
      'parquet: data/cut.parquet is truncated (no footer magic at the end)',
    );
    const bogus = new Uint8Array(100);
    bogus.set([0x50, 0x41, 0x52, 0x31], 0);
    bogus.set([0x50, 0x41, 0x52, 0x31], 96);
    new DataView(bogus.buffer).setUint32(92, 123, true);
    expect(() => readFooter(bogus, 'data/x.parquet')).toThrow('parquet: data/x.parquet is truncated (footer length 123 exceeds file size 100)');
  });

  it('reports a corrupt footer', () => {
    const file = writeWasmParquet(N, 1000).slice();
    const len = footerBytes(file).length;
    file.fill(0xff, file.length - 8 - len, file.length - 8);
    expect(() => readFooter(file, 'data/bad.parquet')).toThrow(/^parquet: data\/bad\.parquet has a corrupt footer/);
  });

  it('rejects a schema whose root lists more fields than it has, naming the file', () => {
    const file = writeWasmParquet(100, 100);
    const footer = readFooter(file, 'x.parquet');
    const raw = footer.raw.clone();
    const schema = raw.structs(2)!;
    raw.set(2, T.LIST, { elemType: T.STRUCT, items: [schema[0]!.clone().set(5, T.I32, schema.length), ...schema.slice(1)] });
    const meta = encodeStruct(raw);
    const bytes = new Uint8Array(meta.length + 12);
    bytes.set([0x50, 0x41, 0x52, 0x31], 0);
    bytes.set(meta, 4);
    new DataView(bytes.buffer).setUint32(4 + meta.length, meta.length, true);
    bytes.set([0x50, 0x41, 0x52, 0x31], 8 + meta.length);
    expect(() => readFooter(bytes, 'data/x.parquet')).toThrow(/^parquet: data\/x\.parquet: schema has 6 elements, fewer than the 7 fields its root lists/);
  });
});

describe('readFooter on nested schemas', () => {
  it('lists flat columns apart from STRUCT, LIST and MAP fields, with every leaf chunk in order', async () => {
    const path = await writeDuckDbParquet(
      (p) => `COPY (SELECT i AS a, [i, i + 1] AS l, {'x': i, 'y': {'z': 'q' || i}} AS s, 'v' || i AS "b.c",
        MAP {'k': i} AS m, i * 0.5 AS d FROM range(10) t(i)) TO '${p}' (FORMAT parquet)`,
      'nested.parquet',
    );
    const footer = readFooter(new Uint8Array(await readFile(path)), path);
    expect(footer.fieldCount).toBe(6);
    expect(footer.columns.map((c) => [c.name, c.position, c.index])).toEqual([['a', 0, 0], ['b.c', 3, 4], ['d', 5, 7]]);
    expect(footer.nestedColumns.map((c) => [c.name, c.position, c.kind, c.leaves])).toEqual([
      ['l', 1, 'LIST', [1]], ['s', 2, 'STRUCT', [2, 3]], ['m', 4, 'MAP', [5, 6]],
    ]);
    expect(footer.leafColumns.map((c) => c.path.join('/'))).toEqual(['a', 'l/list/element', 's/x', 's/y/z', 'b.c', 'm/key_value/key', 'm/key_value/value', 'd']);
    expect(footer.leafColumns[3]!.nestedIn).toBe('s');
    for (const rg of footer.rowGroups) {
      expect(rg.columns.map((c) => c.column.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const ranges = rg.columns.map(chunkByteRange).sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
    }
    expect(duplicateNames(footer)).toEqual([]);
  });

  it('reports top-level fields that share a name, by position', () => {
    const file = writeParquetBytes([
      { name: 'a', type: 'INT64', values: [1n] },
      { name: 'tcp.bytes', type: 'DOUBLE', values: [1] },
      { name: 'b', type: 'INT64', values: [1n] },
      { name: 'tcp.bytes', type: 'DOUBLE', values: [2] },
    ]);
    const footer = readFooter(file, 'dup.parquet');
    expect(footer.columns.map((c) => c.name)).toEqual(['a', 'tcp.bytes', 'b', 'tcp.bytes']);
    expect(duplicateNames(footer)).toEqual([['tcp.bytes', [1, 3]]]);
  });
});
