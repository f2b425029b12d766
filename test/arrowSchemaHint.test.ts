import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pq from 'parquet-wasm';
import {
  Dictionary, Field, Int32, Int64, Schema, Table, TimestampNanosecond, TimestampSecond, Uint32, Utf8, Utf8View,
  tableFromIPC, tableToIPC, vectorFromArray, type DataType,
} from 'apache-arrow';
import { arrowSchemaUsable, arrowTimestampUnit } from '../src/parquet/arrowSchema.js';
import { encodeArrowSchema } from '../src/parquet/arrowSchemaHint.js';
import { LT, writeParquetBytes } from './helpers/parquetBytes.js';
import { readFooter, type ParquetFooter } from '../src/parquet/parquetFooter.js';
import { T } from '../src/parquet/thriftCompact.js';
import { sliceRowGroup } from '../src/parquet/sliceRowGroup.js';
import { decodeParquet } from '../src/parquet/decodeParquet.js';
import { readStrings } from '../src/scan/columnReaders.js';
import { StringInterner } from '../src/scan/stringInterner.js';
import type { ScanTask } from '../src/plan/scanTask.js';
import { scanTask } from '../src/scan/scanTask.js';
import type { PartialState } from '../src/state/partialState.js';
import { closeDuckDB, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';

/** 'broken': the slicer embeds a hint parquet-rs cannot parse (to exercise scanTask's retry); 'none': no hint. */
const hintMode = vi.hoisted(() => ({ mode: 'real' as 'real' | 'broken' | 'none', calls: 0 }));
vi.mock('../src/parquet/arrowSchemaHint.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/parquet/arrowSchemaHint.js')>();
  return {
    ...real,
    dictionaryStringsHint: (...args: Parameters<typeof real.dictionaryStringsHint>) => {
      hintMode.calls++;
      if (hintMode.mode === 'real') return real.dictionaryStringsHint(...args);
      return hintMode.mode === 'none' ? undefined : Buffer.from('not an arrow schema').toString('base64');
    },
  };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrow-schema-hint-'));
});
afterAll(async () => {
  closeDuckDB();
  await rm(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2024, 0, 1);
const ROWS = 20_000;

/**
 * Shaped like our data, with nulls everywhere, '' and non-ASCII strings, and `hc`: few distinct
 * values in the first 6000 rows, then all distinct and long, so DuckDB writes those chunks PLAIN.
 */
const DUCK_SQL = `SELECT
  TIMESTAMP '2024-01-01' + to_seconds(i) AS "timestamp",
  CASE WHEN i % 17 = 0 THEN NULL ELSE 'cluster-' || (i % 3) END AS "k8s.cluster.name",
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'wörkload-' || (i * 7 % 97) END AS "source.workload.name",
  CASE WHEN i % 19 = 0 THEN NULL ELSE 'proc-' || (i % 5) END AS "source.process.name",
  CASE WHEN i % 9 = 0 THEN NULL WHEN i < 6000 THEN 'few-' || (i % 4) ELSE repeat('long-distinct-', 8) || i END AS hc,
  CASE WHEN i % 7 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i * 3) END AS tstz,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1000003 - 7 END::BIGINT AS big,
  CASE WHEN i % 6 = 0 THEN NULL ELSE i - 10000 END::INTEGER AS int,
  CASE WHEN i % 4 = 0 THEN NULL ELSE i / 8.0 END::DOUBLE AS "tcp.bytes",
  CASE WHEN i % 3 = 0 THEN NULL ELSE i / 3.0 END::FLOAT AS flt
FROM range(${ROWS}) t(i)`;

const STRINGS = ['k8s.cluster.name', 'source.workload.name', 'source.process.name', 'hc'];

const decode = (bytes: Uint8Array): Table => tableFromIPC(pq.readParquet(bytes, { batchSize: 1 << 20 }).intoIPCStream());

function values(t: Table, name: string): unknown[] {
  const c = t.getChild(name)!;
  return Array.from({ length: c.length }, (_, i) => c.get(i));
}

/** dictionary ids are assigned per decode, so leave them out */
const typeKey = (t: DataType) => `${t}${JSON.stringify(t, (k, v) => (k === 'id' ? undefined : v))}`;

const isDictUtf8 = (t: DataType) => t instanceof Dictionary && t.dictionary instanceof Utf8 && t.indices.bitWidth === 32 && t.indices.isSigned;

/** Interned ids per string column over the production path (FFI views, readStrings). */
function internedIds(bytes: Uint8Array, names: string[], interner: StringInterner): Map<string, Int32Array> {
  const out = new Map<string, Int32Array>();
  decodeParquet(bytes, undefined, (batch) => {
    for (const name of names) {
      const ids = new Int32Array(batch.numRows);
      readStrings(batch.getChild(name)!.data[0]!, interner, ids);
      const prev = out.get(name) ?? new Int32Array(0);
      const all = new Int32Array(prev.length + ids.length);
      all.set(prev);
      all.set(ids, prev.length);
      out.set(name, all);
    }
  });
  return out;
}

/**
 * Slices every row group of `file` (projection `columns`) with and without the hint and checks that
 * string columns turn into Dictionary<Int32, Utf8> with the same values, and nothing else changes.
 * Returns the number of hinted string columns checked.
 */
function compareSlices(file: Uint8Array, footer: ParquetFooter, columns: string[] | null, strings: string[]): number {
  // a slice keeps the file's column order
  const names = footer.columns.map((c) => c.name).filter((n) => columns === null || columns.includes(n));
  const kept = strings.filter((s) => names.includes(s));
  let checked = 0;
  for (let g = 0; g < footer.rowGroups.length; g++) {
    const plainSlice = sliceRowGroup(file, footer, g, columns);
    const hintSlice = sliceRowGroup(file, footer, g, columns, { dictionaryStrings: true });
    expect(readFooter(plainSlice, 'plain').keyValueMetadata.has('ARROW:schema')).toBe(false);
    expect(readFooter(hintSlice, 'hint').keyValueMetadata.has('ARROW:schema')).toBe(kept.length > 0);
    const plain = decode(plainSlice);
    const hinted = decode(hintSlice);
    expect(hinted.numRows).toBe(footer.rowGroups[g]!.numRows);
    expect(hinted.schema.fields.map((f) => f.name)).toEqual(names);
    for (const name of names) {
      const pt = plain.getChild(name)!.type;
      const ht = hinted.getChild(name)!.type;
      if (kept.includes(name)) {
        expect(String(pt)).toBe('Utf8');
        expect(isDictUtf8(ht), `${name}: ${String(ht)}`).toBe(true);
        checked++;
      } else {
        expect(typeKey(ht)).toBe(typeKey(pt));
      }
      expect(hinted.schema.fields.find((f) => f.name === name)!.nullable).toBe(plain.schema.fields.find((f) => f.name === name)!.nullable);
      expect(values(hinted, name)).toEqual(values(plain, name));
    }
    if (kept.length) {
      const interner = new StringInterner();
      const a = internedIds(plainSlice, kept, interner);
      const b = internedIds(hintSlice, kept, interner);
      for (const name of kept) expect(Array.from(b.get(name)!)).toEqual(Array.from(a.get(name)!));
    }
  }
  return checked;
}

/** A PartialState keyed by names rather than interned ids (whose order depends on how strings decode). */
function byName(st: PartialState): unknown {
  const keys = st.workloads.length;
  const perKey = keys ? st.baseline.length / keys : 0;
  const series = st.seriesKey.length;
  const perSeries = series ? st.recent.length / series : 0;
  const baseline = new Map<string, number[]>();
  for (let k = 0; k < keys; k++) baseline.set(`${st.workloads[k]}\0${st.processes[k]}`, Array.from(st.baseline.subarray(k * perKey, (k + 1) * perKey)));
  const recent = new Map<string, number[]>();
  for (let q = 0; q < series; q++) {
    const k = st.seriesKey[q]!;
    recent.set(`${st.clusters[st.seriesCluster[q]!]}\0${st.workloads[k]}\0${st.processes[k]}`, Array.from(st.recent.subarray(q * perSeries, (q + 1) * perSeries)));
  }
  const { metrics, cellOrigin, cellCount, firstBucket, bucketCount, stats } = st;
  return { metrics, cellOrigin, cellCount, firstBucket, bucketCount, stats, baseline, recent };
}

/** Page encodings of each data page kind in a chunk: [page_type, encoding] pairs from encoding_stats. */
function dataPageEncodings(footer: ParquetFooter, rowGroup: number, column: number): number[] {
  const md = footer.raw.structs(4)![rowGroup]!.structs(1)![column]!.struct(3)!;
  return (md.structs(13) ?? []).filter((e) => e.int(1) === 0 || e.int(1) === 3).map((e) => e.int(2)!);
}

describe('dictionary-strings Arrow schema hint', () => {
  let duck: Uint8Array;
  let duckPath: string;
  let duckV2: Uint8Array;
  let duckV2Path: string;
  beforeAll(async () => {
    duckPath = join(dir, 'duck.parquet');
    await writeParquetWithDuckDB(duckPath, DUCK_SQL, 'ROW_GROUP_SIZE 4096, COMPRESSION lz4_raw');
    duck = new Uint8Array(await readFile(duckPath));
    // v2 with a process name per row: DELTA_LENGTH_BYTE_ARRAY strings, row groups the scan leaves to parquet-wasm
    duckV2Path = join(dir, 'duck-v2.parquet');
    const distinctProcesses = DUCK_SQL.replace(`'proc-' || (i % 5)`, `'proc-' || (i * 7919 % 100003)`);
    if (distinctProcesses === DUCK_SQL) throw new Error('the process column to make distinct is not in DUCK_SQL');
    await writeParquetWithDuckDB(duckV2Path, distinctProcesses, 'ROW_GROUP_SIZE 4096, PARQUET_VERSION V2');
    duckV2 = new Uint8Array(await readFile(duckV2Path));
  });

  it('turns DuckDB string columns into Dictionary<Int32, Utf8> and leaves every other column alone', () => {
    const footer = readFooter(duck, duckPath);
    expect(footer.keyValueMetadata.has('ARROW:schema')).toBe(false);
    expect(footer.rowGroups.length).toBeGreaterThanOrEqual(4);
    const g = footer.rowGroups.length;
    expect(compareSlices(duck, footer, null, STRINGS)).toBe(g * STRINGS.length);
    expect(compareSlices(duck, footer, ['hc', 'tcp.bytes', 'source.process.name', 'tstz'], STRINGS)).toBe(g * 2);
    expect(compareSlices(duck, footer, ['source.workload.name'], STRINGS)).toBe(g);
    // no string column kept: no hint at all
    expect(compareSlices(duck, footer, ['timestamp', 'big', 'int', 'flt'], STRINGS)).toBe(0);
    const t = decode(sliceRowGroup(duck, footer, 0, ['tstz', 'timestamp'], { dictionaryStrings: true }));
    expect(String(t.getChild('tstz')!.type)).toBe('Timestamp<MICROSECOND, UTC>');
    expect(String(t.getChild('timestamp')!.type)).toBe('Timestamp<MICROSECOND>');
  });

  it('decodes dictionary chunks and chunks DuckDB wrote PLAIN alike', () => {
    const footer = readFooter(duck, duckPath);
    const hc = footer.columns.findIndex((c) => c.name === 'hc');
    const dict = footer.rowGroups.filter((rg) => rg.columns[hc]!.dictionaryPageOffset !== undefined).length;
    expect(dict).toBeGreaterThan(0); // the low-cardinality start
    expect(dict).toBeLessThan(footer.rowGroups.length); // the all-distinct rest
    expect(compareSlices(duck, footer, ['hc'], ['hc'])).toBe(footer.rowGroups.length);
  });

  it('gives the same types and values for every type DuckDB writes', async () => {
    const path = join(dir, 'types.parquet');
    await writeParquetWithDuckDB(path, `SELECT
      CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' || (i % 10) END AS s,
      TIMESTAMP '2024-01-01' + to_seconds(i) AS ts,
      TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS tstz,
      (TIMESTAMP '2024-01-01' + to_seconds(i))::TIMESTAMP_MS AS tsms,
      (TIMESTAMP '2024-01-01' + to_seconds(i))::TIMESTAMP_NS AS tsns,
      (TIMESTAMP '2024-01-01' + to_seconds(i))::TIMESTAMP_S AS tss,
      i::BIGINT AS big, i::INTEGER AS int, (i % 30000)::SMALLINT AS small, (i % 100)::TINYINT AS tiny,
      (i % 200)::UTINYINT AS utiny, i::USMALLINT AS usmall, i::UINTEGER AS uint, i::UBIGINT AS ubig,
      (i / 3.0)::DOUBLE AS dbl, (i / 3.0)::FLOAT AS flt, DATE '2024-01-01' + i::INTEGER AS d,
      (i / 7)::DECIMAL(10, 2) AS dec, (i / 7)::DECIMAL(20, 3) AS dec2, i % 2 = 0 AS b,
      ('blob' || i)::BLOB AS bl, TIME '01:02:03' AS t, i::HUGEINT AS huge,
      (CASE WHEN i % 2 = 0 THEN 'e' ELSE 'f' END)::ENUM('e', 'f') AS en, ('{"a":' || i || '}')::JSON AS js
    FROM range(3000) t(i)`, 'ROW_GROUP_SIZE 2048');
    const file = new Uint8Array(await readFile(path));
    const footer = readFooter(file, path);
    // DuckDB writes its ENUM as a STRING column; JSON and BLOB are not STRING and stay as they are
    const strings = footer.columns.filter((c) => c.physicalType === 'BYTE_ARRAY' && c.logicalType?.type === 'STRING').map((c) => c.name);
    expect(strings).toEqual(['s', 'en']);
    expect(compareSlices(file, footer, null, strings)).toBe(footer.rowGroups.length * 2);
    expect(String(decode(sliceRowGroup(file, footer, 0, null, { dictionaryStrings: true })).getChild('js')!.type)).toBe('Utf8');
  });

  it('stays correct when a chunk falls back from dictionary to plain pages mid-chunk', () => {
    const n = 20_000;
    const s = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i < 3000 ? `few-${i % 7}` : `distinct-${'x'.repeat(40)}-${i}`));
    const table = new Table({ s: vectorFromArray(s, new Utf8()), i: vectorFromArray(Array.from({ length: n }, (_, i) => i)) });
    const props = new pq.WriterPropertiesBuilder()
      .setMaxRowGroupSize(8000).setDictionaryPageSizeLimit(4096).setDataPageSizeLimit(8192).build();
    const file = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
    const footer = readFooter(file, 'fallback.parquet');
    // parquet-rs wrote an Arrow schema: take it out so the file looks foreign
    footer.raw.set(5, T.LIST, { elemType: T.STRUCT, items: footer.raw.structs(5)!.filter((e) => e.str(1) !== 'ARROW:schema') });
    footer.keyValueMetadata.delete('ARROW:schema');
    // row group 0: dictionary-encoded data pages, then PLAIN ones after the dictionary filled up
    const encodings = dataPageEncodings(footer, 0, 0);
    expect(encodings).toContain(8); // RLE_DICTIONARY
    expect(encodings).toContain(0); // PLAIN
    expect(compareSlices(file, footer, null, ['s'])).toBe(footer.rowGroups.length);
  });

  it('leaves files that carry their own Arrow schema untouched', () => {
    const table = new Table({ s: vectorFromArray(['a', 'b', null, 'a'], new Utf8()) });
    const file = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')));
    const footer = readFooter(file, 'own.parquet');
    expect(footer.keyValueMetadata.has('ARROW:schema')).toBe(true);
    for (const columns of [null, ['s']]) {
      const a = sliceRowGroup(file, footer, 0, columns);
      expect(Buffer.compare(sliceRowGroup(file, footer, 0, columns, { dictionaryStrings: true }), a)).toBe(0);
    }
    expect(String(decode(sliceRowGroup(file, footer, 0, null, { dictionaryStrings: true })).getChild('s')!.type)).toBe('Utf8');
  });

  it('scanTask decodes with the hint, and without it when parquet-rs rejects it', async () => {
    const footer = readFooter(duckV2, duckV2Path);
    const task: ScanTask = {
      path: duckV2Path,
      rowGroups: footer.rowGroups.map((rg) => rg.index),
      metrics: ['tcp.bytes', 'tcp.packets'],
      metricColumns: ['tcp.bytes', null],
      window: {
        baselineStart: T0, baselineEnd: T0 + 4 * 3_600_000, cellMs: 3_600_000,
        recentStart: T0 + 4 * 3_600_000, recentEnd: T0 + 6 * 3_600_000, spanMs: 600_000,
      },
      allColumns: false,
    };
    hintMode.calls = 0;
    const hinted = await scanTask(task);
    expect(hintMode.calls).toBe(footer.rowGroups.length);
    expect(hinted.stats.rowsRead).toBe(ROWS);
    expect(hinted.stats.rowsMissingKey).toBeGreaterThan(0);
    expect(hinted.workloads.length).toBeGreaterThan(90);
    try {
      hintMode.mode = 'none';
      const plain = await scanTask(task);
      expect(byName(hinted)).toEqual(byName(plain));

      // a hint parquet-rs refuses
      hintMode.mode = 'broken';
      expect(() => decode(sliceRowGroup(duckV2, footer, 0, null, { dictionaryStrings: true }))).toThrow(/ARROW:schema/);
      hintMode.calls = 0;
      const retried = await scanTask(task);
      // tried with the hint once, then this file is read without one
      expect(hintMode.calls).toBe(1);
      expect(retried).toEqual(plain);
      hintMode.calls = 0;
      expect(await scanTask(task)).toEqual(plain);
      expect(hintMode.calls).toBe(0);
    } finally {
      hintMode.mode = 'real';
    }
  });
});

describe("a file's own ARROW:schema", () => {
  const file = (schema: string | undefined) => writeParquetBytes([
    { name: 'ts', type: 'INT64', values: [1767225600n, null] },
    { name: 'host', type: 'BYTE_ARRAY', convertedType: 0, logicalType: LT.string(), values: ['a', 'b'] },
  ], schema === undefined ? {} : { keyValue: { 'ARROW:schema': schema } });
  const schemaOf = (host: DataType, ts: DataType = new TimestampSecond('UTC')) =>
    encodeArrowSchema(new Schema([new Field('ts', ts, true), new Field('host', host, true)]));

  it('is usable unless a flat column has a type parquet-wasm or arrow-js-ffi cannot hand over', () => {
    const usable = (s: string | undefined) => arrowSchemaUsable(readFooter(file(s), 'x.parquet'));
    expect(usable(schemaOf(new Utf8()))).toBe(true);
    expect(usable(schemaOf(new Dictionary(new Utf8(), new Int32())))).toBe(true);
    expect(usable(schemaOf(new Dictionary(new Utf8View(), new Uint32())))).toBe(false); // Polars Categorical
    expect(usable(schemaOf(new Utf8View()))).toBe(false);
    expect(usable(Buffer.from('not an arrow schema').toString('base64'))).toBe(false);
    expect(usable(undefined)).toBe(false);
    // a schema that does not line up with the file's columns
    expect(usable(encodeArrowSchema(new Schema([new Field('ts', new Int64(), true)])))).toBe(false);
  });

  it("gives a bare INT64 column's time unit", () => {
    const footer = readFooter(file(schemaOf(new Utf8(), new TimestampNanosecond())), 'x.parquet');
    expect(arrowTimestampUnit(footer, footer.columns[0]!)).toBe('ns');
    expect(arrowTimestampUnit(footer, footer.columns[1]!)).toBeUndefined();
    const plain = readFooter(file(schemaOf(new Utf8(), new Int64())), 'x.parquet');
    expect(arrowTimestampUnit(plain, plain.columns[0]!)).toBeUndefined();
  });
});
