/**
 * `detect --baseline-model robust` (median and MAD from the quantile sketch, src/state/quantileSketch.ts):
 * the CLI against a naive JS reference (test/reference/naiveRobust.ts) on the edge-case datasets,
 * a dataset designed for the robust model (test/reference/robustCases.ts) and the exporter's
 * output; byte-identical output across worker counts, row-group splits, layouts and shards; several
 * rules in one pass; the options it refuses.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runCliAsync, runCliOk, runCliOkAsync } from './helpers/cli.js';
import { closeReference, referenceConnection, sqlString, type Finding } from './reference/duckdbRule.js';
import { DATASET_WRITERS, DAY, FIVE_METRICS, HOUR, mulberry32, shuffle, writeParquetFile, type EdgeDataset, type LRow } from './reference/edgeCases.js';
import { compareFindings } from './reference/compareFindings.js';
import { naiveRobustDetect } from './reference/naiveRobust.js';
import { naiveDetect, type NaiveOptions } from './reference/naiveRule.js';
import { ROBUST_AT, ROBUST_EXPECTED, ROBUST_METRICS, robustRows } from './reference/robustCases.js';
import { PartialFileReader } from '../src/state/partialFile.js';
import { PartialMerger } from '../src/reduce/mergePartials.js';
import { baselineStats } from '../src/evaluate/evaluateRule.js';
import { detectWindow } from '../src/plan/scanWindow.js';
import { DEFAULT_PARAMS } from '../src/rule/rule.js';

const ROBUST = ['--baseline-model', 'robust'];
const EXPORT_END = '2026-01-04T00:00:00Z';
const RULES = { inbound: '10442d8b', edge: '886c7e51', newTcp: '13f081d6', outbound: 'dd6afee6' };

let conn: DuckDBConnection;
let tmp: string;
const ds: Record<string, EdgeDataset> = {};
const dirs = { one: '', split: '', exporter: '', foreign: '' };
let exporterRows: LRow[] = [];

const DOUBLE3 = Object.fromEntries(ROBUST_METRICS.map((m) => [m, 'DOUBLE' as const]));

/** Rows of Parquet files as the references read them: epoch ns, key columns, the five metrics. */
async function readRows(dir: string): Promise<LRow[]> {
  const cols = FIVE_METRICS.map((m) => `"${m}"`).join(', ');
  const sql = `SELECT epoch_ns("timestamp"), "k8s.cluster.name", "source.workload.name", "source.process.name", ${cols} ` +
    `FROM read_parquet(${sqlString(join(dir, '**', '*.parquet'))})`;
  return (await conn.runAndReadAll(sql)).getRows().map((r) => ({
    tsNs: r[0] as bigint | null,
    cluster: r[1] as string | null,
    workload: r[2] as string | null,
    process: r[3] as string | null,
    m: Object.fromEntries(FIVE_METRICS.map((m, j) => [m, r[4 + j] as number | null])),
  }));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-robust-'));
  conn = await referenceConnection();
  for (const [name, write] of Object.entries(DATASET_WRITERS)) ds[name] = await write(conn, join(tmp, name));
  const rows = robustRows();
  dirs.one = join(tmp, 'robust-one');
  await writeParquetFile(conn, join(dirs.one, 'all.parquet'), rows, { ts: 'ms', metrics: DOUBLE3, copyOptions: 'ROW_GROUP_SIZE 1000000' });
  // the same rows shuffled, in several row groups over two files
  dirs.split = join(tmp, 'robust-split');
  const mixed = shuffle(mulberry32(77), [...rows]);
  await writeParquetFile(conn, join(dirs.split, 'a.parquet'), mixed.slice(0, 4500), { ts: 'us', metrics: DOUBLE3, copyOptions: 'ROW_GROUP_SIZE 2048' });
  await writeParquetFile(conn, join(dirs.split, 'b.parquet'), mixed.slice(4500), { ts: 'ms', metrics: DOUBLE3, order: 'reversed' });
  dirs.exporter = join(tmp, 'exported');
  runCliOk(['export', '--out', dirs.exporter, '--days', '3', '--seed', '7', '--end', EXPORT_END, '--clusters', '2', '--workloads', '6', '--quiet']);
  // a foreign layout of the same rows: no key runs, every row group spanning the days
  dirs.foreign = join(tmp, 'foreign');
  mkdirSync(dirs.foreign);
  await conn.run(`COPY (SELECT * FROM read_parquet(${sqlString(join(dirs.exporter, '**', '*.parquet'))}) ` +
    `ORDER BY hash("timestamp", "k8s.cluster.name", "source.process.name", "dest.workload.name")) ` +
    `TO ${sqlString(join(dirs.foreign, 'all.parquet'))} (FORMAT parquet, ROW_GROUP_SIZE 65536)`);
  exporterRows = await readRows(dirs.exporter);
});

afterAll(() => {
  closeReference();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const summary = (fs: Finding[]) => fs.map((f) => `${f.host}/${f['source.workload.name']}/${f['source.process.name']}=${f.count}`);

function cliArgs(dir: string, at: number | string, o: NaiveOptions = {}, extra: string[] = []): string[] {
  return [
    'detect', '--data', dir, '--at', String(at), '--format', 'json', '--quiet', ...ROBUST,
    ...(o.sigma === undefined ? [] : ['--sigma', String(o.sigma)]),
    ...(o.minCount === undefined ? [] : ['--min-count', String(o.minCount)]),
    ...(o.windowMs === undefined ? [] : ['--window', `${o.windowMs / 1000}s`]),
    ...(o.spanMs === undefined ? [] : ['--span', `${o.spanMs / 1000}s`]),
    ...(o.baselineMs === undefined ? [] : ['--baseline', `${o.baselineMs / 1000}s`]),
    ...extra,
  ];
}

/** The CLI's robust findings against the naive reference's; the discrepancies, empty when they agree. */
async function againstReference(name: string, dir: string, rows: LRow[], metrics: string[], at: number, o: NaiveOptions = {}): Promise<string[]> {
  const expected = naiveRobustDetect(rows, metrics, at, o);
  const run = await runCliAsync(cliArgs(dir, at, o));
  if (run.status !== 0) return [`${name}: CLI exited ${run.status}: ${run.stderr.trim()}`];
  return compareFindings(expected, JSON.parse(run.stdout), at).problems.map((p) => `${name} at ${at} ${JSON.stringify(o)}: ${p}`);
}

describe('the reference', () => {
  it('finds the designed keys, which flat partly misses', () => {
    const rows = robustRows();
    expect(summary(naiveRobustDetect(rows, ROBUST_METRICS, ROBUST_AT))).toEqual(ROBUST_EXPECTED);
    const flat = summary(naiveDetect(rows, ROBUST_METRICS, ROBUST_AT));
    expect(flat.filter((k) => /burst|cron|pair/.test(k))).toEqual([]);
    expect(flat.length).toBeGreaterThan(3);
  });
});

describe('detect --baseline-model robust against the naive reference', () => {
  it('agrees on the designed dataset, in one row group and split over files and row groups', async () => {
    const rows = robustRows();
    const problems: string[] = [];
    for (const dir of [dirs.one, dirs.split]) {
      for (const [at, o] of [[ROBUST_AT, {}], [ROBUST_AT + 3500, {}], [ROBUST_AT, { sigma: 2, minCount: 3 }]] as [number, NaiveOptions][]) {
        problems.push(...(await againstReference(dir, dir, rows, ROBUST_METRICS, at, o)));
      }
    }
    expect(problems).toEqual([]);
    const found = JSON.parse((await runCliOkAsync(cliArgs(dirs.one, ROBUST_AT))).stdout) as Finding[];
    expect(summary(found)).toEqual(ROBUST_EXPECTED);
  });

  for (const name of Object.keys(DATASET_WRITERS)) {
    it(`agrees on ${name}`, async () => {
      const d = ds[name]!;
      const variants: [number, NaiveOptions][] = [
        [d.at, {}],
        [d.at + 3500, {}],
        [d.at, { sigma: 2, minCount: 3 }],
        [d.at, { windowMs: 2 * HOUR, spanMs: 30_000, baselineMs: 7 * DAY }],
      ];
      const problems = (await Promise.all(variants.map(([at, o]) => againstReference(name, d.dir, d.rows, d.metrics, at, o)))).flat();
      expect(problems, d.description).toEqual([]);
    });
  }

  it("agrees on the exporter's output, read through its key runs", async () => {
    const at = Date.parse(EXPORT_END);
    const problems = await againstReference('exporter', dirs.exporter, exporterRows, [...FIVE_METRICS], at);
    expect(problems).toEqual([]);
    expect(naiveRobustDetect(exporterRows, [...FIVE_METRICS], at).length).toBeGreaterThan(1);
  });
});

describe('determinism', () => {
  it('prints the same bytes with 1, 2 and 4 workers', async () => {
    for (const [dir, at] of [[ds.hive!.dir, ds.hive!.at], [dirs.exporter, EXPORT_END]] as const) {
      const outs = await Promise.all([1, 2, 4].map((w) => runCliOkAsync(cliArgs(dir, at, {}, ['--workers', String(w)]))));
      expect(outs[0].stdout.length).toBeGreaterThan(100);
      expect(outs[1].stdout).toBe(outs[0].stdout);
      expect(outs[2].stdout).toBe(outs[0].stdout);
    }
  });

  it('prints the same bytes whatever the row-group split and layout', async () => {
    const [one, split] = await Promise.all([dirs.one, dirs.split].map((d) => runCliOkAsync([...cliArgs(d, ROBUST_AT), '--workers', '2'].filter((a) => a !== '--quiet'))));
    expect(one.stderr).toMatch(/from 1 row groups/);
    expect(split.stderr).toMatch(/from [3-9] row groups/);
    expect(split.stdout).toBe(one.stdout);
    const [ours, foreign] = await Promise.all([dirs.exporter, dirs.foreign].map((d) => runCliOkAsync(cliArgs(d, EXPORT_END))));
    expect(JSON.parse(ours.stdout).length).toBeGreaterThan(1);
    expect(foreign.stdout).toBe(ours.stdout);
  });
});

describe('shards', () => {
  for (const layout of ['exporter', 'foreign'] as const) {
    it(`merge to one machine's bytes on the ${layout} layout, with the sketches in every partial`, async () => {
      const base = ['detect', '--data', dirs[layout], '--at', EXPORT_END, '--workers', '1', '--quiet', ...ROBUST];
      const whole = await runCliOkAsync([...base, '--format', 'ndjson']);
      expect(whole.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(1);
      for (const n of [1, 2, 3]) {
        const dir = join(tmp, `shards-${layout}-${n}`);
        await Promise.all(Array.from({ length: n }, (_, k) => runCliOkAsync([...base, '--shard', `${k}/${n}`, '--partials', dir])));
        const files = readdirSync(dir).sort();
        expect(files).toHaveLength(n);
        for (const f of files) expect((await PartialFileReader.open(readFileSync(join(dir, f)))).header.sketches).toBe(true);
        const merged = await runCliOkAsync(['merge', '--partials', dir, '--format', 'ndjson', '--quiet']);
        expect(merged.stdout, `${n} shards`).toBe(whole.stdout);
      }
      // a flat shard's file is as it always was: no sketches
      const flatDir = join(tmp, `shards-${layout}-flat`);
      runCliOk(['detect', '--data', dirs[layout], '--at', EXPORT_END, '--quiet', '--shard', '0/1', '--partials', flatDir]);
      const [flatFile] = readdirSync(flatDir);
      expect((await PartialFileReader.open(readFileSync(join(flatDir, flatFile)))).header.sketches).toBeUndefined();
    });
  }
});

describe('several rules in one pass', () => {
  const lines = (s: string) => s.split('\n').filter(Boolean).sort();
  const run = async (rules: string[], robust: boolean) =>
    lines((await runCliOkAsync(['detect', '--data', dirs.exporter, '--at', EXPORT_END, '--format', 'ndjson', '--quiet',
      ...rules.flatMap((r) => ['--rule', r]), ...(robust ? ROBUST : [])])).stdout);

  it('find what each rule finds alone, a new-entity rule first or not', async () => {
    const [outbound, inbound, edge, newTcp] = await Promise.all([
      run([RULES.outbound], true), run([RULES.inbound], true), run([RULES.edge], true), run([RULES.newTcp], false),
    ]);
    expect(outbound.length + inbound.length + edge.length).toBeGreaterThan(2);
    const all = await run([RULES.outbound, RULES.inbound, RULES.edge, RULES.newTcp], true);
    expect(all).toEqual([...outbound, ...inbound, ...edge, ...newTcp].sort());
    const newFirst = await run([RULES.newTcp, RULES.inbound], true);
    expect(newFirst).toEqual([...newTcp, ...inbound].sort());
  });
});

describe('hunt', () => {
  const T = ['2026-01-03T21:00:00Z', '2026-01-03T22:00:00Z', '2026-01-03T23:00:00Z', EXPORT_END];
  const options = ['--min-count', '2', '--workers', '1', ...ROBUST, '--rule', RULES.outbound, '--rule', RULES.edge];

  it('runs one detection per T, saying so: its findings are detect --at T\'s, T by T, and its shards merge to them', async () => {
    const args = ['hunt', '--data', dirs.exporter, '--from', T[0], '--to', T[3], '--step', '1h', ...options];
    const [whole, ...perT] = await Promise.all([
      runCliOkAsync([...args, '--format', 'ndjson']),
      ...T.map((t) => runCliOkAsync(['detect', '--data', dirs.exporter, '--at', t, '--quiet', '--format', 'ndjson', ...options])),
    ]);
    expect(whole.stderr).toMatch(/warning: --baseline-model robust takes each T's median and MAD from sketches of its whole baseline, which one pass does not sum: running one detection per T instead of one pass/);
    expect(new Set(whole.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { detection_time: string }).detection_time)).size).toBeGreaterThan(1);
    expect(whole.stdout).toBe(perT.map((r) => r.stdout).join(''));
    const dir = join(tmp, 'hunt-shards');
    await Promise.all([0, 1].map((k) => runCliOkAsync([...args, '--quiet', '--shard', `${k}/2`, '--partials', dir])));
    const merged = await runCliOkAsync(['merge', '--partials', dir, '--format', 'ndjson', '--quiet']);
    expect(merged.stdout).toBe(whole.stdout);
  });
});

describe('what robust refuses', () => {
  it('--splunk-parity and --weekday-split, as usage errors naming the option', async () => {
    const data = ['detect', '--data', dirs.one, '--at', String(ROBUST_AT), ...ROBUST];
    const parity = await runCliAsync([...data, '--splunk-parity']);
    expect(parity.status).toBe(2);
    expect(parity.stderr).toMatch(/--splunk-parity: not with --baseline-model robust/);
    const split = await runCliAsync([...data, '--weekday-split']);
    expect(split.status).toBe(2);
    expect(split.stderr).toMatch(/--weekday-split: .*got robust/);
  });

  it('evaluates no state without sketches', () => {
    const params = { ...DEFAULT_PARAMS, baselineModel: 'robust' as const };
    const state = new PartialMerger(['tcp.bytes'], detectWindow(ROBUST_AT, DEFAULT_PARAMS)).result();
    expect(() => baselineStats(state, params)).toThrow(/robust needs the baseline sketches/);
  });
});
