/**
 * `export --source otlp`: archives made with the OpenTelemetry JS SDK's data model and the
 * otlp-transformer's serializers, framed as the Collector's file and S3 exporters write them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_KEY } from '../src/export/fileLayout.js';
import { exportRecords, type ExportRecordsOptions } from '../src/pipeline/exportRecords.js';
import { nanosToMs } from '../src/source/otlp/otlpToPoints.js';
import { runCli } from './helpers/cli.js';
import {
  gzipSync, jsonLines, jsonRequest, lengthPrefixed, protoRequest, resourceMetricsOf, zstdRawFrame, type NpmPoint,
} from './helpers/otlpArchive.js';
import { partFiles, readRows, readTable } from './helpers/otlpReadBack.js';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'egress-otlp-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 31, 12, 0, 0);
const attrs = (w: string, p: string, extra: Record<string, string> = {}) => ({
  'source.workload.name': w, 'source.process.name': p, 'dest.workload.name': 'postgres', 'source.namespace.name': 'shop', aggregation: 'az_az', ...extra,
});

/** Two series, three 30 s intervals, tcp.bytes and tcp.packets, cluster c1 as a resource attribute. */
function samplePoints(): NpmPoint[] {
  const out: NpmPoint[] = [];
  for (let k = 0; k < 3; k++) {
    const ts = T0 + k * 30_000;
    out.push({ cluster: 'c1', attributes: attrs('checkout', 'node'), metric: 'tcp.bytes', ts, value: 1000 + k });
    out.push({ cluster: 'c1', attributes: attrs('checkout', 'node'), metric: 'tcp.packets', ts, value: 10 + k });
    out.push({ cluster: 'c1', attributes: attrs('billing', 'java'), metric: 'tcp.bytes', ts, value: 2000 + k });
  }
  return out;
}

const EXPECTED = [
  ...[0, 1, 2].map((k) => ({ w: 'billing', p: 'java', ts: T0 + k * 30_000, bytes: 2000 + k, packets: null })),
  ...[0, 1, 2].map((k) => ({ w: 'checkout', p: 'node', ts: T0 + k * 30_000, bytes: 1000 + k, packets: 10 + k })),
];

function summaryRows(dir: string) {
  return readRows(dir).map((r) => ({
    w: r['source.workload.name'], p: r['source.process.name'], ts: r.timestamp, bytes: r['tcp.bytes'], packets: r['tcp.packets'],
  })).sort((a, b) => String(a.w).localeCompare(String(b.w)) || Number(a.ts) - Number(b.ts));
}

async function run(inputs: string[], out: string, extra: Partial<ExportRecordsOptions> = {}) {
  const notes: string[] = [];
  const summary = await exportRecords({
    kind: 'otlp', inputs, outDir: out, aggregation: 'az_az', strict: false, workers: 0, force: false, note: (m) => notes.push(m), ...extra,
  });
  return { summary, notes };
}

function write(rel: string, data: Uint8Array | string): string {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

describe('OTLP time and values', () => {
  it('converts unix nanoseconds to epoch ms exactly, from strings and from protobuf Longs', () => {
    const ns = 1769860810123999999n;
    expect(nanosToMs(ns.toString())).toBe(1769860810123);
    const low = Number(BigInt.asIntN(32, ns));
    const high = Number(BigInt.asIntN(32, ns >> 32n));
    expect(nanosToMs({ low, high, unsigned: true })).toBe(1769860810123);
    const exact = 1769860810124000000n;
    expect(nanosToMs({ low: Number(BigInt.asIntN(32, exact)), high: Number(exact >> 32n), unsigned: true })).toBe(1769860810124);
    expect(nanosToMs('12x')).toBeNaN();
  });
});

describe('OTLP framings', () => {
  const requests = () => resourceMetricsOf(samplePoints());

  it('reads JSON Lines, plain and gzip, with asInt as decimal strings', async () => {
    const text = jsonLines(requests().map(jsonRequest));
    expect(text.toString()).toContain('"asInt":"1000"');
    const plain = write('jsonl/a.jsonl', text);
    const gz = write('jsonl-gz/a.jsonl.gz', gzipSync(text));
    for (const [input, out] of [[plain, 'out-jsonl'], [gz, 'out-jsonl-gz']]) {
      const { summary } = await run([input], join(tmp, out));
      expect(summary.points).toBe(9);
      expect(summaryRows(join(tmp, out))).toEqual(EXPECTED);
    }
  });

  it('reads length-prefixed protobuf (format: proto), per-message zstd and whole-file zstd', async () => {
    const protos = [...requests(), ...resourceMetricsOf([])].map(protoRequest).filter((b) => b.length > 0);
    const framed = lengthPrefixed(protos);
    expect(framed.readUInt32BE(0)).toBe(protos[0].length);
    const inputs = {
      'proto/a.pb': framed,
      'proto-zstd-msg/a.pb': lengthPrefixed(protos.map((p) => zstdRawFrame(p))),
      'json-zstd-msg/a.json': lengthPrefixed(requests().map((r) => zstdRawFrame(Buffer.from(jsonRequest(r))))),
      'zstd-stream/a.jsonl.zst': zstdRawFrame(jsonLines(requests().map(jsonRequest))),
    };
    for (const [rel, data] of Object.entries(inputs)) {
      const out = join(tmp, `out-${rel.split('/')[0]}`);
      const { summary } = await run([write(rel, data)], out);
      expect({ rel, points: summary.points }).toEqual({ rel, points: 9 });
      expect(summaryRows(out)).toEqual(EXPECTED);
    }
  });

  it('reads real zstd compression when a zstd binary is at hand', async () => {
    const src = write('real-zstd/a.jsonl', jsonLines(requests().map(jsonRequest)));
    const z = spawnSync('zstd', ['-q', '-f', src, '-o', `${src}.zst`]);
    if (z.error || z.status !== 0) return; // no zstd on this machine: the raw-block frames above still cover the format
    rmSync(src);
    const { summary } = await run([`${src}.zst`], join(tmp, 'out-real-zstd'));
    expect(summary.points).toBe(9);
  });

  it('reads the S3 exporter layout: one message per object, .json or .binpb, gzip or not', async () => {
    const [rm] = requests();
    const base = 's3/metrics/year=2026/month=01/day=31/hour=12';
    const byMetric = new Map<string, NpmPoint[]>();
    for (const p of samplePoints()) byMetric.set(`${p.ts}`, [...(byMetric.get(`${p.ts}`) ?? []), p]);
    let k = 0;
    for (const pts of byMetric.values()) {
      const [one] = resourceMetricsOf(pts);
      const minute = `${base}/minute=0${k}`;
      if (k === 0) write(`${minute}/metrics_a.json`, jsonRequest(one));
      if (k === 1) write(`${minute}/metrics_b.binpb`, protoRequest(one));
      if (k === 2) write(`${minute}/metrics_c.binpb.gz`, gzipSync(protoRequest(one)));
      k++;
    }
    expect(rm).toBeDefined();
    const { summary } = await run([join(tmp, 's3')], join(tmp, 'out-s3'));
    expect(summary.inputs).toBe(3);
    expect(summaryRows(join(tmp, 'out-s3'))).toEqual(EXPECTED);
  });
});

describe('OTLP semantics', () => {
  it('turns cumulative Sums into deltas per series, a lower value being a reset', async () => {
    const start = T0 - 600_000;
    const cum = [100, 150, 130, 180];
    // out of order on purpose: the archive gives no ordering guarantee
    const order = [2, 0, 3, 1];
    const pts: NpmPoint[] = order.map((k) => ({
      cluster: 'c1', attributes: attrs('etl', 'java'), metric: 'tcp.bytes', ts: T0 + k * 30_000, value: cum[k],
      temporality: AggregationTemporality.CUMULATIVE, startMs: start,
    }));
    const input = write('cum/a.jsonl', jsonLines(resourceMetricsOf(pts).map(jsonRequest)));
    const { notes } = await run([input], join(tmp, 'out-cum'));
    expect(summaryRows(join(tmp, 'out-cum')).map((r) => [r.ts, r.bytes])).toEqual([
      [T0 + 30_000, 50], [T0 + 60_000, 130], [T0 + 90_000, 50],
    ]);
    expect(notes.join('\n')).toMatch(/turned 4 cumulative Sum point\(s\) into deltas .*1 first point.*1 reset/);
  });

  it('keeps only the configured aggregation and counts the rest', async () => {
    const pts = samplePoints().flatMap((p) => [p, { ...p, attributes: { ...p.attributes, aggregation: 'id_az' }, value: p.value * 100 }]);
    const input = write('agg/a.jsonl', jsonLines(resourceMetricsOf(pts).map(jsonRequest)));
    const az = await run([input], join(tmp, 'out-agg-az'));
    expect(az.summary.otherAggregation).toBe(9);
    expect(az.notes.join('\n')).toContain('dropped 9 point(s) whose aggregation attribute is not az_az');
    expect(summaryRows(join(tmp, 'out-agg-az'))).toEqual(EXPECTED);
    const id = await run([input], join(tmp, 'out-agg-id'), { aggregation: 'id_az' });
    expect(summaryRows(join(tmp, 'out-agg-id')).map((r) => r.bytes)).toEqual(EXPECTED.map((r) => r.bytes * 100));
  });

  it('writes the canonical layout: day folders, sorted rows, ms UTC timestamps, dictionaries, layout metadata', async () => {
    const pts = samplePoints().map((p) => ({
      ...p, ts: p.ts + 12 * 3_600_000 - 30_000, // straddles midnight
      attributes: { ...p.attributes, 'dest.namespace.name': 'db', 'dest.process.name': 'postgres' },
    }));
    const input = write('layout/a.jsonl', jsonLines(resourceMetricsOf(pts).map(jsonRequest)));
    const out = join(tmp, 'out-layout');
    await run([input], out);
    const files = partFiles(out).map((f) => f.slice(out.length + 1));
    expect(files).toEqual(['day=2026-01-31/part-0.parquet', 'day=2026-02-01/part-1.parquet']);
    const t = readTable(join(out, files[1]));
    const type = (n: string) => String(t.schema.fields.find((f) => f.name === n)?.type);
    expect(type('timestamp')).toBe('Timestamp<MILLISECOND, UTC>');
    expect(type('source.workload.name')).toMatch(/^Dictionary<Int32, Utf8>$/);
    expect(type('tcp.bytes')).toBe('Float64');
    // the destination's process right after its workload, as the generator writes them, then the rest by name
    expect(t.schema.fields.map((f) => f.name).slice(0, 9)).toEqual([
      'timestamp', 'k8s.cluster.name', 'source.workload.name', 'source.process.name', 'dest.workload.name',
      'dest.process.name', 'dest.namespace.name', 'service.name', 'source.namespace.name',
    ]);
    const w = t.getChild('source.workload.name')!.toArray() as unknown as string[];
    expect([...w]).toEqual([...w].sort());
    const raw = readFileSync(join(out, files[1]));
    expect(raw.includes(Buffer.from(LAYOUT_KEY))).toBe(true);
    expect(t.getChild('k8s.cluster.name')!.get(0)).toBe('c1');
  });
});

describe('bounded buffer', () => {
  it('flushes sorted part files when the buffer fills, losing no value', async () => {
    const input = write('small-buffer/a.jsonl', jsonLines(resourceMetricsOf(samplePoints()).map(jsonRequest)));
    const out = join(tmp, 'out-small-buffer');
    const { summary } = await run([input], out, { bufferPoints: 4 });
    expect(summary.files).toBe(3);
    expect(partFiles(out).map((f) => f.slice(out.length + 1))).toEqual([0, 1, 2].map((n) => `day=2026-01-31/part-${n}.parquet`));
    for (const f of partFiles(out)) {
      const t = readTable(f);
      const keys = [...t].map((r) => `${String(r['source.workload.name'])}\u0000${String(r.timestamp).padStart(16, '0')}`);
      expect(keys).toEqual([...keys].sort());
    }
    const rows = summaryRows(out);
    const values = (k: 'bytes' | 'packets') => rows.map((r) => r[k]).filter((v) => v !== null).sort();
    expect(values('bytes')).toEqual(EXPECTED.map((r) => r.bytes).sort());
    expect(values('packets')).toEqual(EXPECTED.map((r) => r.packets).filter((v) => v !== null).sort());
  });
});

describe('malformed input, --strict and appending', () => {
  it('skips and counts malformed lines, naming file and line', async () => {
    const good = resourceMetricsOf(samplePoints()).map(jsonRequest);
    const noTime = JSON.stringify(JSON.parse(good[0]), (k, v: unknown) => (k === 'timeUnixNano' ? undefined : v));
    const input = write('bad/archive.jsonl', [good[0], '{"resourceMetrics": [', noTime, '', 'null'].join('\n') + '\n');
    const { summary, notes } = await run([input], join(tmp, 'out-bad'));
    expect(summary.points).toBe(9);
    expect(summary.malformed).toBe(2 + 9);
    const text = notes.join('\n');
    expect(text).toContain('line 2 of archive.jsonl is not valid JSON');
    expect(text).toContain('line 3 of archive.jsonl has a point of "tcp.bytes" with an invalid timeUnixNano');
  });

  it('fails under --strict with the file and line, leaving no output', () => {
    const input = join(tmp, 'bad/archive.jsonl');
    const out = join(tmp, 'out-strict');
    const r = runCli(['export', '--source', 'otlp', '--in', input, '--out', out, '--strict', '--workers', '1', '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^egress-anomaly: export: line 2 of archive\.jsonl is not valid JSON \(.*\) \(--strict\)\n$/);
    expect(existsSync(join(out, '_export.json'))).toBe(false);
    expect(existsSync(out) ? partFiles(out) : []).toEqual([]);
  });

  it('validates options before any work', () => {
    const out = join(tmp, 'never');
    const cases: [string[], RegExp][] = [
      [['--source', 'otlp'], /--in: --source otlp needs at least one input/],
      [['--source', 'kafka', '--in', tmp], /--source: expected one of/],
      [['--in', tmp], /--in: names input files for --source otlp or splunk-csv/],
      [['--source', 'otlp', '--in', tmp, '--aggregation', 'a b'], /--aggregation: expected/],
    ];
    for (const [args, msg] of cases) {
      const r = runCli(['export', '--out', out, ...args, '--quiet']);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(msg);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('appends new archives on a later run without touching old days, and refuses changed ones', async () => {
    const dir = join(tmp, 'nightly');
    const out = join(tmp, 'out-nightly');
    const day = (d: number) => samplePoints().map((p) => ({ ...p, ts: p.ts + d * 86_400_000 }));
    write('nightly/day1.jsonl', jsonLines(resourceMetricsOf(day(0)).map(jsonRequest)));
    const first = await run([dir], out);
    expect(first.summary).toMatchObject({ inputs: 1, skippedInputs: 0, rows: 6 });
    const old = partFiles(out).map((f) => [f, statSync(f).mtimeMs, readFileSync(f).length]);
    write('nightly/day2.jsonl', jsonLines(resourceMetricsOf(day(1)).map(jsonRequest)));
    const second = await run([dir], out);
    expect(second.summary).toMatchObject({ inputs: 1, skippedInputs: 1, rows: 6 });
    const now = partFiles(out);
    expect(now).toHaveLength(2);
    for (const [f, mtime, size] of old) expect([statSync(f as string).mtimeMs, readFileSync(f as string).length]).toEqual([mtime, size]);
    expect(now[1]).toMatch(/day=2026-02-01[/\\]part-1\.parquet$/);
    const third = await run([dir], out);
    expect(third.summary).toMatchObject({ inputs: 0, skippedInputs: 2, files: 0 });
    writeFileSync(join(dir, 'day1.jsonl'), jsonLines(resourceMetricsOf(samplePoints().slice(0, 3)).map(jsonRequest)));
    await expect(run([dir], out)).rejects.toThrow(/day1\.jsonl changed since it was exported/);
    const manifest = JSON.parse(readFileSync(join(out, '_export.json'), 'utf8')) as { inputs: { path: string }[]; source: string };
    expect(manifest.source).toBe('otlp');
    expect(manifest.inputs.map((i) => i.path.slice(dir.length + 1))).toEqual(['day1.jsonl', 'day2.jsonl']);
  });
});
