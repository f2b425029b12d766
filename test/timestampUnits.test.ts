/**
 * Timestamps without a Parquet timestamp type (SPEC §2): bare INT64 in s/ms/us/ns (unit from
 * ARROW:schema, else inferred from statistics and noted, else ms and noted; --timestamp-unit
 * overrides; implausible ranges rejected) and INT96 (Spark/Hive/Impala). Every variant holds the
 * same logical rows as a canonical TIMESTAMP(MILLIS) file, which the DuckDB reference checks; the
 * CLI must report exactly the canonical findings on each.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pq from 'parquet-wasm';
import {
  Field, Float64, RecordBatch, Schema, Struct, Table, TimestampSecond, Utf8, makeData, tableFromIPC, tableToIPC, vectorFromArray,
  type Data, type DataType,
} from 'apache-arrow';
import { closeReference, referenceDetect } from './reference/duckdbRule.js';
import { FIVE_METRICS, scenarioA, type LRow } from './reference/edgeCases.js';
import { runCliAsync, type CliResult } from './helpers/cli.js';
import { int96Of, LT, writeParquetBytes, type ByteColumn } from './helpers/parquetBytes.js';
import { columnsOf } from './helpers/foreignFiles.js';
import { roundedFindings } from './helpers/findingsClose.js';
import { readFooter } from '../src/parquet/parquetFooter.js';
import { describeFile } from '../src/plan/inspectFile.js';
import { prepareTimestampUnit } from '../src/plan/timestampUnit.js';

let tmp: string;
let rows: LRow[];
let at: number;
const path: Record<string, string> = {};

const i64 = (v: bigint) => v;
const NS_PER: Record<string, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n };

function write(name: string, cols: ByteColumn[] | Uint8Array): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `${name}.parquet`);
  writeFileSync(p, cols instanceof Uint8Array ? cols : writeParquetBytes(cols));
  return (path[name] = p);
}

/** A seconds-unit Arrow timestamp written by parquet-wasm (arrow-rs): a bare INT64, unit only in ARROW:schema. */
function arrowSecondsFile(): Uint8Array {
  const n = rows.length;
  const valid = new Uint8Array((n + 7) >> 3);
  const secs = new BigInt64Array(n);
  rows.forEach((r, i) => {
    if (r.tsNs === null) return;
    valid[i >> 3]! |= 1 << (i & 7);
    secs[i] = r.tsNs / NS_PER.s!;
  });
  const nulls = rows.filter((r) => r.tsNs === null).length;
  const cols: [string, Data][] = [
    ['timestamp', makeData({ type: new TimestampSecond(), length: n, data: secs, nullBitmap: valid, nullCount: nulls })],
    ['k8s.cluster.name', vectorFromArray(rows.map((r) => r.cluster), new Utf8()).data[0]!],
    ['source.workload.name', vectorFromArray(rows.map((r) => r.workload), new Utf8()).data[0]!],
    ['source.process.name', vectorFromArray(rows.map((r) => r.process), new Utf8()).data[0]!],
    ...FIVE_METRICS.map((m): [string, Data] => [m, vectorFromArray(rows.map((r) => r.m[m] ?? null), new Float64()).data[0]!]),
  ];
  const schema = new Schema(cols.map(([name, d]) => new Field(name, d.type as DataType, true)));
  const data = makeData({ type: new Struct(schema.fields), length: n, children: cols.map(([, d]) => d) });
  const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'stream');
  return pq.writeParquet(pq.Table.fromIPCStream(ipc));
}

const bare = (unit: string, extra: Partial<ByteColumn> = {}) => columnsOf(rows, {
  timestamp: { type: 'INT64', ...extra, value: (ns) => i64(ns / NS_PER[unit]!) },
});

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-ts-units-'));
  const s = scenarioA({ granularity: 'ms', futureRows: false, seed: 11 });
  // whole seconds, so that every unit holds the same instants
  rows = s.rows.map((r) => ({ ...r, tsNs: r.tsNs === null ? null : (r.tsNs / NS_PER.s!) * NS_PER.s! }));
  at = s.at;
  write('canonical', columnsOf(rows, { timestamp: { type: 'INT64', logicalType: LT.timestamp('MILLIS'), value: (ns) => ns / NS_PER.ms! } }));
  write('arrow-seconds', arrowSecondsFile());
  write('bare-s', bare('s'));
  write('bare-ns', bare('ns'));
  write('bare-ms-nostats', bare('ms', { statistics: 'none' }));
  write('bare-us-nostats', bare('us', { statistics: 'none' }));
  write('implausible', columnsOf(rows.slice(0, 100).map((r, i) => ({ ...r, tsNs: BigInt(17000 + i) })), { timestamp: { type: 'INT64', value: i64 } }));
  // INT96 with statistics that would prune every row group if they were believed
  const epoch = int96Of(0);
  write('int96', columnsOf(rows, {
    timestamp: { type: 'INT96', statistics: { min: epoch, max: epoch }, value: (ns) => int96Of(Number(ns / NS_PER.ms!)) },
  }));
}, 300_000);

afterAll(() => {
  closeReference();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function detect(name: string, extra: string[] = []): Promise<{ r: CliResult; findings: unknown[] }> {
  const r = await runCliAsync(['detect', '--data', path[name]!, '--at', String(at), '--format', 'json', '--workers', '1', ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return { r, findings: JSON.parse(r.stdout) as unknown[] };
}

let canonical: unknown[];
const notes = (r: CliResult) => r.stderr.split('\n').filter((l) => l.includes('note:'));

describe('timestamps without a Parquet timestamp type', () => {
  it('the canonical file gives the DuckDB reference findings (non-empty)', async () => {
    const { findings } = await detect('canonical');
    canonical = findings;
    const expected = await referenceDetect(path.canonical!, at);
    expect(expected.length).toBeGreaterThan(3);
    expect(roundedFindings(findings)).toEqual(roundedFindings(expected));
  });

  it('takes the unit of a bare INT64 from ARROW:schema (a seconds timestamp written by parquet-wasm)', async () => {
    const footer = readFooter(new Uint8Array(arrowSecondsFile()), 'arrow-seconds.parquet');
    const ts = footer.columns.find((c) => c.name === 'timestamp')!;
    expect([ts.physicalType, ts.logicalType]).toEqual(['INT64', undefined]);
    expect(footer.keyValueMetadata.has('ARROW:schema')).toBe(true);
    await prepareTimestampUnit(footer, 'timestamp');
    const info = describeFile(footer, ['tcp.*', 'udp.*']);
    expect(info.timestampUnit).toBe('s');
    expect(info.rowGroups[0]!.maxTs).toBe(Number(rows.reduce((m, r) => (r.tsNs !== null && r.tsNs > m ? r.tsNs : m), 0n) / NS_PER.ms!));
    const { r, findings } = await detect('arrow-seconds');
    expect(findings).toEqual(canonical);
    expect(notes(r)).toEqual([]);
  });

  it.for(['s', 'ns'])('infers the unit %s of a bare INT64 from its statistics, and says so naming the file', async (unit) => {
    const name = `bare-${unit}`;
    const { r, findings } = await detect(name);
    expect(findings).toEqual(canonical);
    const word = unit === 's' ? 'seconds' : 'nanoseconds';
    expect(notes(r)).toHaveLength(1);
    expect(notes(r)[0]).toContain(`detect: note: column "timestamp" in ${path[name]} holds bare INT64 values `);
    expect(notes(r)[0]).toMatch(new RegExp(`read as epoch ${word}, the only unit that puts them between 1990 and 2100`));
    // the planner prunes by the unit too: the unit is applied to the statistics
    expect(describeFile(readFooter(writeParquetBytes(bare(unit)), 'x.parquet'), ['tcp.*']).rowGroups[0]!.minTs)
      .toBe(Number(rows.reduce((m, r) => (r.tsNs !== null && r.tsNs < m ? r.tsNs : m), 1n << 62n) / NS_PER.ms!));
  });

  it('--timestamp-unit overrides, with no note', async () => {
    const { r, findings } = await detect('bare-ns', ['--timestamp-unit', 'ns']);
    expect(findings).toEqual(canonical);
    expect(notes(r)).toEqual([]);
    // the override is not second-guessed: seconds read as milliseconds lie in 1970, far before T
    const wrong = await detect('bare-s', ['--timestamp-unit', 'ms']);
    expect(wrong.findings).toEqual([]);
  });

  it('without statistics or ARROW:schema reads epoch ms and says so; --timestamp-unit changes it', async () => {
    const ms = await detect('bare-ms-nostats');
    expect(ms.findings).toEqual(canonical);
    expect(notes(ms.r)).toEqual([
      `detect: note: column "timestamp" in ${path['bare-ms-nostats']} holds bare INT64 values and neither statistics nor an Arrow schema give their unit: read as epoch milliseconds (--timestamp-unit changes it)`,
    ]);
    const us = await detect('bare-us-nostats', ['--timestamp-unit', 'us']);
    expect(us.findings).toEqual(canonical);
  });

  it('rejects values no unit puts between 1990 and 2100, naming the file and the range', async () => {
    const r = await runCliAsync(['detect', '--data', path.implausible!, '--format', 'json']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `egress-anomaly: plan: column "timestamp" in ${path.implausible} holds bare INT64 values 17000 to 17099; no unit puts them between 1990 and 2100: pass --timestamp-unit`,
    ]);
    expect(r.stdout).toBe('');
  });

  it('rejects a --timestamp-unit that is not a unit, naming the option', async () => {
    const r = await runCliAsync(['detect', '--data', path.implausible!, '--timestamp-unit', 'days']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--timestamp-unit: expected one of .*"s".*"ns".*got "days"|timestamp-unit.*days/);
  });

  it('hunt reads bare units the same way', async () => {
    const r = await runCliAsync(['hunt', '--data', path['bare-s']!, '--from', String(at), '--to', String(at), '--format', 'json', '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(canonical);
    expect(notes(r)[0]).toMatch(/^hunt: note: column "timestamp" in .*bare-s\.parquet .* read as epoch seconds/);
  });
});

describe('INT96 timestamps', () => {
  it('parquet-wasm decodes INT96 (nanoseconds of day + Julian day) as Timestamp(ns), to the nanosecond', () => {
    const ms = [Date.UTC(2026, 0, 10, 12, 0, 0, 123), Date.UTC(1999, 11, 31, 23, 59, 59, 999)];
    const file = writeParquetBytes([{ name: 't', type: 'INT96', values: [int96Of(ms[0]!, 456), int96Of(ms[1]!), null] }]);
    const t = tableFromIPC(pq.readParquet(file).intoIPCStream());
    expect(String(t.schema.fields[0]!.type)).toBe('Timestamp<NANOSECOND>');
    const raw = t.getChild('t')!.data[0]!.values as BigInt64Array;
    expect([raw[0], raw[1]]).toEqual([BigInt(ms[0]!) * 1_000_000n + 456n, BigInt(ms[1]!) * 1_000_000n]);
    expect(t.getChild('t')!.get(2)).toBeNull();
  });

  it('ignores INT96 statistics (their order is undefined) and finds what the canonical file gives', async () => {
    const footer = readFooter(writeParquetBytes(columnsOf(rows.slice(0, 10), {
      timestamp: { type: 'INT96', statistics: { min: int96Of(0), max: int96Of(0) }, value: (ns) => int96Of(Number(ns / NS_PER.ms!)) },
    })), 'i96.parquet');
    const info = describeFile(footer, ['tcp.*', 'udp.*']);
    expect(info.rowGroups.map((g) => [g.minTs, g.maxTs, g.timestampsComplete])).toEqual([[undefined, undefined, false]]);
    expect(info.timestampUnit).toBeUndefined();
    const { r, findings } = await detect('int96');
    expect(findings).toEqual(canonical);
    expect(notes(r)).toEqual([]);
  });
});
