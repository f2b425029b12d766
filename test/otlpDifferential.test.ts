/**
 * The same generator rows two ways: written directly by the generator's exporter, and reported as
 * Network Explorer would (OTLP through the SDK's serializers, with id_az twins that must be
 * dropped), then `export --source otlp`. `detect` must find the same, byte for byte.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay, generatorNames } from '../src/source/generator/generator.js';
import type { DayRows, GeneratorConfig } from '../src/source/generator/generatorTypes.js';
import { writeDayParquet } from '../src/export/writeDayParquet.js';
import { parseNdjson, runCliOk, runCliOkAsync } from './helpers/cli.js';
import {
  batches, gzipSync, jsonLines, jsonRequest, lengthPrefixed, pointsFromRows, protoRequest, zstdRawFrame,
} from './helpers/otlpArchive.js';

const END = Date.UTC(2026, 0, 3);
const cfg: GeneratorConfig = { seed: 7, clusters: 2, workloads: 6, days: 1, endMs: END };
const FROM = END - 2 * 3_600_000;

function sliceRows(r: DayRows, keep: (i: number) => boolean): DayRows {
  const idx: number[] = [];
  for (let i = 0; i < r.length; i++) if (keep(i)) idx.push(i);
  const pick = <T extends Float64Array | Uint16Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(idx.length);
    idx.forEach((i, k) => { out[k] = a[i]; });
    return out;
  };
  return {
    length: idx.length, timestamp: pick(r.timestamp), cluster: pick(r.cluster), workload: pick(r.workload),
    process: pick(r.process), dest: pick(r.dest), destProcess: pick(r.destProcess), metrics: r.metrics.map(pick),
  };
}

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'egress-otlp-diff-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generator rows -> OTLP -> export -> detect', () => {
  it('finds exactly what detect finds on the same rows written directly', async () => {
    const names = generatorNames(cfg);
    const rows = generateDay(cfg, 0);
    const recent = sliceRows(rows, (i) => rows.timestamp[i] >= FROM);
    const direct = join(tmp, 'direct', 'day=2026-01-02');
    mkdirSync(direct, { recursive: true });
    writeFileSync(join(direct, 'part-0.parquet'), writeDayParquet(recent, names));

    // id_az twins of tcp.bytes, seven times larger, ahead of the az_az points: kept, they would change findings
    const points = pointsFromRows(rows, names, FROM).flatMap((p) => (p.metric === 'tcp.bytes'
      ? [{ ...p, attributes: { ...p.attributes, aggregation: 'id_az' }, value: p.value * 7 }, p] : [p]));
    const requests = batches(points, 4000);
    const half = Math.floor(requests.length / 2);
    const archive = join(tmp, 'archive');
    mkdirSync(archive, { recursive: true });
    // the file exporter's JSON Lines (gzip), and its length-prefixed protobuf with per-message zstd
    writeFileSync(join(archive, 'a.jsonl.gz'), gzipSync(jsonLines(requests.slice(0, half).map(jsonRequest))));
    writeFileSync(join(archive, 'b.pb'), lengthPrefixed(requests.slice(half).map((r) => zstdRawFrame(protoRequest(r)))));

    const viaOtlp = join(tmp, 'via-otlp');
    const exp = runCliOk(['export', '--source', 'otlp', '--in', archive, '--out', viaOtlp, '--workers', '2']);
    expect(exp.stderr).toMatch(/dropped \d+ point\(s\) whose aggregation attribute is not az_az/);
    expect(exp.stderr).toMatch(new RegExp(`wrote ${recent.length} rows`));

    const detect = (data: string) => runCliOkAsync(['detect', '--data', data, '--workers', '1', '--format', 'ndjson']);
    const [a, b] = await Promise.all([detect(join(tmp, 'direct')), detect(viaOtlp)]);
    const findings = parseNdjson(a.stdout);
    expect(findings.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
  }, 120_000);
});
