/**
 * Columns other writers produce (SPEC §2): DECIMAL and FLOAT16 metrics, Polars Categorical
 * dimensions (an ARROW:schema parquet-wasm refuses), extra nested STRUCT / LIST / MAP columns,
 * null timestamps (skipped and counted), and duplicate column names (an error). Each dataset holds
 * the edge-case scenario's rows; findings are checked against the DuckDB reference, or against the
 * CLI on the same rows in a canonical file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pq from 'parquet-wasm';
import { DataType, Dictionary, Field, Schema, Uint32, Utf8View, tableFromIPC } from 'apache-arrow';
import { closeReference, referenceConnection, referenceDetect, sqlString } from './reference/duckdbRule.js';
import { FIVE_METRICS, scenarioA, writeParquetFile, type LRow, type MetricType } from './reference/edgeCases.js';
import { runCliAsync, type CliResult } from './helpers/cli.js';
import { decimalBytes, float16Bytes, float16Value, float16Bits, LT, writeParquetBytes, type ByteColumn } from './helpers/parquetBytes.js';
import { columnsOf, withKeyValue } from './helpers/foreignFiles.js';
import { roundedFindings } from './helpers/findingsClose.js';
import { readFooter } from '../src/parquet/parquetFooter.js';
import { encodeArrowSchema, inferArrowSchema } from '../src/parquet/arrowSchemaHint.js';
import { sliceRowGroup } from '../src/parquet/sliceRowGroup.js';

let tmp: string;
let rows: LRow[];
let at: number;
const path: Record<string, string> = {};
const ALL_DOUBLE = Object.fromEntries(FIVE_METRICS.map((m) => [m, 'DOUBLE'])) as Record<string, MetricType>;
const msTimestamp = { type: 'INT64' as const, logicalType: LT.timestamp('MILLIS'), value: (ns: bigint) => ns / 1_000_000n };

function fileIn(name: string): string {
  mkdirSync(join(tmp, name), { recursive: true });
  return (path[name] = join(tmp, name, `${name}.parquet`));
}

const put = (name: string, bytes: Uint8Array) => writeFileSync(fileIn(name), bytes);

/** The staged canonical DuckDB file rewritten by a SELECT over it (`src` names it). */
async function duck(name: string, select: (src: string) => string): Promise<void> {
  const conn = await referenceConnection();
  await conn.run(`COPY (${select(`read_parquet(${sqlString(path.staged!)})`)}) TO ${sqlString(fileIn(name))} (FORMAT parquet)`);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-foreign-'));
  const s = scenarioA({ granularity: 'ms', futureRows: false, seed: 11 });
  rows = s.rows;
  at = s.at;
  const conn = await referenceConnection();
  await writeParquetFile(conn, fileIn('staged'), rows, { ts: 'ms', metrics: ALL_DOUBLE });
  put('canonical', writeParquetBytes(columnsOf(rows, { timestamp: msTimestamp })));

  // DECIMAL metrics as DuckDB writes them: INT32 (precision <= 9), INT64 (<= 18), FIXED_LEN_BYTE_ARRAY (38)
  // (NaN and infinities have no decimal: null)
  const dec = (m: string, t: string) => `CASE WHEN isfinite("${m}") THEN CAST("${m}" AS ${t}) END AS "${m}"`;
  await duck('decimal', (src) => `SELECT * REPLACE (${dec('tcp.bytes', 'DECIMAL(18,3)')}, ${dec('tcp.new_sockets', 'DECIMAL(9,2)')},
    ${dec('tcp.packets', 'DECIMAL(38,6)')}, ${dec('udp.bytes', 'DECIMAL(38,3)')}) FROM ${src}`);
  // BYTE_ARRAY decimals (no writer here makes them): big-endian two's complement of the unscaled value
  put('decimal-bytes', writeParquetBytes(columnsOf(rows, {
    timestamp: msTimestamp,
    metric: { type: 'BYTE_ARRAY', convertedType: 5, scale: 3, precision: 38, logicalType: LT.decimal(3, 38), value: (x) => (Number.isFinite(x) ? decimalBytes(BigInt(Math.round(x * 1000)), 16) : null) },
  })));
  // FLOAT16 metrics, and the same values (rounded to half precision) as doubles
  const half = rows.map((r) => ({ ...r, m: Object.fromEntries(Object.entries(r.m).map(([k, v]) => [k, v === null ? null : float16Value(float16Bits(v))])) }));
  put('float16', writeParquetBytes(columnsOf(half, {
    timestamp: msTimestamp, metric: { type: 'FIXED_LEN_BYTE_ARRAY', typeLength: 2, logicalType: LT.float16(), value: float16Bytes },
  })));
  put('float16-as-double', writeParquetBytes(columnsOf(half, { timestamp: msTimestamp })));

  // Polars Categorical: the same bytes, with an ARROW:schema giving the dimensions Dictionary<UInt32, Utf8View>
  const canonical = new Uint8Array(readFileSync(path.canonical!));
  const inferred = inferArrowSchema(readFooter(canonical, 'c').raw);
  const categorical = new Schema(inferred.fields.map((f) => (DataType.isUtf8(f.type)
    ? new Field(f.name, new Dictionary(new Utf8View(), new Uint32()), f.nullable) : f)));
  put('categorical', withKeyValue(canonical, { 'ARROW:schema': encodeArrowSchema(categorical) }));

  // nested columns the rule does not read, among the flat ones (one matches tcp.* but is no metric)
  await duck('nested', (src) => `SELECT "timestamp", {'peer': "k8s.cluster.name", 'port': 443} AS "dest.info", "k8s.cluster.name",
    [1, 2, 3] AS "tcp.flags", "source.workload.name", MAP {'app': "source.process.name"} AS labels, "source.process.name",
    ${FIVE_METRICS.map((m) => `"${m}"`).join(', ')}, [{'x': 1}] AS deep FROM ${src}`);
  await duck('nested-dimension', (src) => `SELECT * REPLACE ({'name': "source.process.name"} AS "source.process.name") FROM ${src}`);
  await duck('nested-metric', (src) => `SELECT * REPLACE ([1.0] AS "tcp.bytes") FROM ${src}`);

  const few = rows.slice(0, 50);
  const dup = (name: string): ByteColumn => ({ name, type: 'DOUBLE', values: few.map(() => 1) });
  put('duplicate-metric', writeParquetBytes(columnsOf(few, { timestamp: msTimestamp, extra: [dup('tcp.bytes')] })));
  put('duplicate-unread', writeParquetBytes(columnsOf(few, { timestamp: msTimestamp, extra: [dup('dest.x'), dup('dest.x')] })));
}, 300_000);

afterAll(() => {
  closeReference();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function detect(name: string): Promise<{ r: CliResult; findings: unknown[] }> {
  const r = await runCliAsync(['detect', '--data', path[name]!, '--at', String(at), '--format', 'json', '--workers', '1']);
  expect(r.status, r.stderr).toBe(0);
  return { r, findings: JSON.parse(r.stdout) as unknown[] };
}

async function expectReference(name: string): Promise<unknown[]> {
  const { findings } = await detect(name);
  const expected = await referenceDetect(path[name]!, at);
  expect(expected.length).toBeGreaterThan(3);
  expect(roundedFindings(findings)).toEqual(roundedFindings(expected));
  return findings;
}

function expectFailure(r: CliResult, message: string): void {
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([`egress-anomaly: ${message}`]);
  expect(r.stdout).toBe('');
}

describe('DECIMAL and FLOAT16 metrics', () => {
  it('reads DuckDB decimals (INT32, INT64, FIXED_LEN_BYTE_ARRAY) as unscaled / 10^scale, as the reference does', async () => {
    const f = readFooter(new Uint8Array(readFileSync(path.decimal!)), 'd');
    expect(['tcp.bytes', 'tcp.new_sockets', 'tcp.packets'].map((m) => f.columns.find((c) => c.name === m)!.physicalType))
      .toEqual(['INT64', 'INT32', 'FIXED_LEN_BYTE_ARRAY']);
    await expectReference('decimal');
  });

  it('reads BYTE_ARRAY decimals', async () => {
    await expectReference('decimal-bytes');
  });

  it('reads FLOAT16 metrics as the doubles they hold', async () => {
    const { findings } = await detect('float16');
    const expected = await expectReference('float16-as-double');
    expect(findings).toEqual(expected);
  });
});

describe('Polars Categorical dimensions', () => {
  it('decode although parquet-wasm refuses their ARROW:schema, with the same findings as plain strings', async () => {
    const file = new Uint8Array(readFileSync(path.categorical!));
    expect(() => pq.readParquet(file)).toThrow(/unsupported data type for byte array dictionary reader/);
    const footer = readFooter(file, path.categorical!);
    for (const columns of [null, ['timestamp', 'source.workload.name', 'tcp.bytes']]) {
      const slice = sliceRowGroup(file, footer, 0, columns);
      expect(readFooter(slice, 'slice').keyValueMetadata.has('ARROW:schema')).toBe(false);
      expect(tableFromIPC(pq.readParquet(slice).intoIPCStream()).numRows).toBe(footer.rowGroups[0]!.numRows);
      const hinted = sliceRowGroup(file, footer, 0, columns, { dictionaryStrings: true });
      // the dictionary-strings hint takes the refused schema's place
      expect(tableFromIPC(pq.readParquet(hinted).intoIPCStream()).getChild('source.workload.name')!.type).toBeInstanceOf(Dictionary);
    }
    const { findings } = await detect('categorical');
    expect(findings).toEqual((await detect('canonical')).findings);
  });
});

describe('nested columns', () => {
  it('ignores STRUCT, LIST and MAP columns the rule does not read, and agrees with the reference', async () => {
    const f = readFooter(new Uint8Array(readFileSync(path.nested!)), 'n');
    expect(f.nestedColumns.map((c) => `${c.name}:${c.kind}`)).toEqual(['dest.info:STRUCT', 'tcp.flags:LIST', 'labels:MAP', 'deep:LIST']);
    const { r } = await detect('nested');
    expect(r.stderr).toContain('tcp.flags (list) in 1 file');
    await expectReference('nested');
  });

  it('rejects a nested column the rule needs, naming the file and the column', async () => {
    expectFailure(await runCliAsync(['detect', '--data', path['nested-dimension']!]),
      `plan: column "source.process.name" in ${path['nested-dimension']} is nested (a STRUCT), expected a flat column`);
    expectFailure(await runCliAsync(['detect', '--data', path['nested-metric']!]),
      `plan: column "tcp.bytes" in ${path['nested-metric']} is nested (a LIST), expected a number`);
  });
});

describe('null timestamps and duplicate column names', () => {
  it('counts rows with a null timestamp in a warning naming the file', async () => {
    const n = rows.filter((r) => r.tsNs === null).length;
    expect(n).toBeGreaterThan(0);
    const { r } = await detect('canonical');
    const warning = r.stderr.split('\n').find((l) => l.startsWith(`detect: warning: ${path.canonical}: `));
    expect(warning).toContain(`skipped ${n} row${n === 1 ? '' : 's'} with a null timestamp`);
  });

  it('rejects two columns of the same name the rule reads, naming both positions and the file', async () => {
    expectFailure(await runCliAsync(['detect', '--data', path['duplicate-metric']!]),
      `plan: ${path['duplicate-metric']} has two columns named "tcp.bytes" (columns 5 and 10)`);
    const r = await runCliAsync(['detect', '--data', path['duplicate-unread']!, '--at', String(at), '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
  });
});
