/** `export --source splunk-csv`: CSV exports of the rule's mstats search. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_KEY } from '../src/export/fileLayout.js';
import { generateDay, generatorNames } from '../src/source/generator/generator.js';
import { METRIC_NAMES, type GeneratorConfig } from '../src/source/generator/generatorTypes.js';
import { writeDayParquet } from '../src/export/writeDayParquet.js';
import { exportRecords, type ExportRecordsOptions } from '../src/pipeline/exportRecords.js';
import { parseSplunkTime } from '../src/source/splunkCsv/splunkTime.js';
import { runCli, runCliOk, runCliOkAsync } from './helpers/cli.js';
import { readRows } from './helpers/otlpReadBack.js';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'egress-csv-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, data: string | Uint8Array): string {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

async function run(inputs: string[], out: string, extra: Partial<ExportRecordsOptions> = {}) {
  const notes: string[] = [];
  const summary = await exportRecords({
    kind: 'splunk-csv', inputs, outDir: out, aggregation: 'az_az', strict: false, workers: 0, force: false, note: (m) => notes.push(m), ...extra,
  });
  return { summary, notes };
}

const T = Date.UTC(2026, 0, 31, 12, 0, 10);

describe('Splunk _time', () => {
  it('reads ISO 8601 with an offset and epoch seconds with decimals', () => {
    expect(parseSplunkTime('2026-01-31T12:00:10.000+00:00')).toBe(T);
    expect(parseSplunkTime('2026-01-31T13:00:10.250+01:00')).toBe(T + 250);
    expect(parseSplunkTime('2026-01-31T07:00:10-0500')).toBe(T);
    expect(parseSplunkTime('2026-01-31 12:00:10.000 UTC')).toBe(T);
    expect(parseSplunkTime('1769860810.000')).toBe(T);
    expect(parseSplunkTime('1769860810.123')).toBe(T + 123);
    expect(parseSplunkTime('1769860810')).toBe(T);
    expect(parseSplunkTime('2026-02-30T00:00:00Z')).toBeNaN();
    expect(parseSplunkTime('yesterday')).toBeNaN();
  });
});

describe('Splunk CSV source', () => {
  it('reads avg(...) headers, quoted fields with commas, empty cells, both _time forms and gzip', async () => {
    const csv = [
      '_time,k8s.cluster.name,source.workload.name,source.process.name,"avg(tcp.bytes)","avg(tcp.packets)",avg(udp.bytes),_span',
      '2026-01-31T12:00:10.000+00:00,prod-1,"cart,service",node,1500.5,12,,10',
      '1769860820.000,prod-1,"cart,service",node,1600,13,7,10',
      '2026-01-31T12:00:10.000+00:00,prod-1,"say ""hi""",python,10,1,2,10',
    ].join('\r\n') + '\r\n';
    const out = join(tmp, 'out-basic');
    const { summary } = await run([write('basic/a.csv', csv)], out);
    expect(summary.points).toBe(8);
    expect(readRows(out).map((r) => [r['source.workload.name'], r.timestamp, r['tcp.bytes'], r['tcp.packets'], r['udp.bytes']])).toEqual([
      ['cart,service', T, 1500.5, 12, null],
      ['say "hi"', T, 10, 1, 2],
      ['cart,service', T + 10_000, 1600, 13, 7],
    ]);
    const gz = join(tmp, 'out-gz');
    await run([write('gz/a.csv.gz', gzipSync(csv))], gz);
    expect(readRows(gz)).toEqual(readRows(out));
    const plain = join(tmp, 'out-plain-headers');
    await run([write('plain/a.csv', csv.replace(/"?avg\(([a-z.]+)\)"?/g, '$1'))], plain);
    expect(readRows(plain)).toEqual(readRows(out));
  });

  it('skips malformed rows with their line numbers, and fails on them under --strict', async () => {
    const csv = [
      '_time,k8s.cluster.name,source.workload.name,source.process.name,tcp.bytes',
      '2026-01-31T12:00:10Z,c,w,p,1',
      '2026-01-31T12:00:20Z,c,w,p,lots',
      'not a time,c,w,p,3',
      '2026-01-31T12:00:40Z,c,w',
      '2026-01-31T12:00:50Z,c,"w,p,5',
    ].join('\n') + '\n';
    const input = write('bad/mstats.csv', csv);
    const { summary, notes } = await run([input], join(tmp, 'out-bad'));
    expect(summary.points).toBe(1);
    expect(summary.malformed).toBeGreaterThanOrEqual(3);
    const text = notes.join('\n');
    expect(text).toContain('line 3 of mstats.csv has a non-numeric tcp.bytes "lots"');
    expect(text).toContain('line 4 of mstats.csv has an unreadable _time "not a time"');
    expect(text).toContain('line 5 of mstats.csv has 3 fields, the header 5');
    const r = runCli(['export', '--source', 'splunk-csv', '--in', input, '--out', join(tmp, 'out-strict'), '--strict', '--workers', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('export: line 3 of mstats.csv has a non-numeric tcp.bytes "lots" (--strict)');
  });

  it('writes null dimensions, and no layout metadata for a file with a row the layout cannot name', async () => {
    const out = join(tmp, 'out-nulls');
    await run([write('nulls/a.csv', '_time,source.workload.name,source.process.name,avg(tcp.bytes)\n1769860810,w,p,5\n1769860820,,p,6\n')], out);
    expect(readRows(out).map((r) => [r['k8s.cluster.name'], r['source.workload.name'], r['tcp.bytes']])).toEqual([[null, 'w', 5], [null, null, 6]]);
    expect(readFileSync(join(out, 'day=2026-01-31', 'part-0.parquet')).includes(Buffer.from(LAYOUT_KEY))).toBe(false);
    const ok = join(tmp, 'out-nulls-ok');
    await run([write('nulls-ok/a.csv', '_time,source.workload.name,source.process.name,avg(tcp.bytes)\n1769860810,w,p,5\n')], ok);
    expect(readFileSync(join(ok, 'day=2026-01-31', 'part-0.parquet')).includes(Buffer.from(LAYOUT_KEY))).toBe(true);
  });

  it('refuses a CSV without _time or metric columns', async () => {
    await expect(run([write('nohead/a.csv', 'time,host,bytes\n1,2,3\n')], join(tmp, 'out-nohead'))).rejects.toThrow(/a\.csv has no _time column/);
  });

  it('gives the same findings as the generator rows it was made from, of the outbound rule and its siblings', async () => {
    const cfg: GeneratorConfig = { seed: 11, clusters: 2, workloads: 6, days: 1, endMs: Date.UTC(2026, 0, 3) };
    const rows = generateDay(cfg, 0);
    const names = generatorNames(cfg);
    const direct = write('diff/direct/day=2026-01-02/part-0.parquet', writeDayParquet(rows, names));
    // the destination's workload and process too, so the sibling rules' keys come through
    const lines = ['_time,k8s.cluster.name,source.workload.name,source.process.name,dest.workload.name,dest.process.name,' + METRIC_NAMES.map((m) => `avg(${m})`).join(',')];
    for (let i = 0; i < rows.length; i++) {
      const t = rows.timestamp[i];
      const time = i % 2 === 0 ? new Date(t).toISOString().replace('Z', '+00:00') : (t / 1000).toFixed(3);
      const vals = rows.metrics.map((m) => (Number.isNaN(m[i]) ? '' : String(m[i])));
      lines.push([time, names.clusters[rows.cluster[i]], names.workloads[rows.workload[i]], names.processes[rows.process[i]], names.dests[rows.dest[i]], names.destProcesses[rows.destProcess[i]], ...vals].join(','));
    }
    const csvDir = join(tmp, 'diff/csv');
    write('diff/csv/part-a.csv', lines.slice(0, 40_000).join('\n') + '\n');
    write('diff/csv/part-b.csv', [lines[0], ...lines.slice(40_000)].join('\n') + '\n');
    const via = join(tmp, 'diff/via-csv');
    runCliOk(['export', '--source', 'splunk-csv', '--in', csvDir, '--out', via, '--workers', '2', '--quiet']);
    const rules = ['dd6afee6', '10442d8b', '886c7e51', '13f081d6'].flatMap((r) => ['--rule', r]);
    const detect = (data: string) => runCliOkAsync(['detect', '--data', data, '--workers', '1', '--format', 'ndjson', ...rules]);
    const [a, b] = await Promise.all([detect(join(direct, '..', '..')), detect(via)]);
    expect(new Set(a.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { rule_id: string }).rule_id)).size).toBeGreaterThan(1);
    expect(b.stdout).toBe(a.stdout);
  }, 120_000);
});
