/**
 * detect and hunt cut into N shards, each a separate CLI process writing its partial, then
 * `egress-anomaly merge`: the findings must be byte for byte those of one machine, on the
 * exporter's layout and on a DuckDB-written, shuffled one.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, sqlString, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';
import { runCliOk, runCliOkAsync } from './helpers/cli.js';
import { PartialFileReader } from '../src/state/partialFile.js';
import { fromJsonValue, type ShardMeta } from '../src/pipeline/shardMeta.js';

const END = '2026-01-31T00:00:00Z';
const DETECT = ['--at', END, '--min-count', '2', '--workers', '1', '--quiet'];
const HUNT = ['--from', '2026-01-30T06:00:00Z', '--to', END, '--step', '6h', '--min-count', '2', '--workers', '1', '--quiet'];

let root: string;
const layouts: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'egress-shards-'));
  layouts.exporter = join(root, 'ours');
  runCliOk(['export', '--out', layouts.exporter, '--days', '2', '--workloads', '12', '--clusters', '2', '--seed', '3', '--end', END, '--quiet']);
  // a foreign layout: one DuckDB-written file, rows shuffled, so every row group spans both days
  layouts.foreign = join(root, 'foreign', 'all.parquet');
  await writeParquetWithDuckDB(layouts.foreign,
    `SELECT * FROM read_parquet(${sqlString(join(layouts.exporter, '**', '*.parquet'))}) ORDER BY hash("timestamp", "k8s.cluster.name", "source.process.name", "dest.workload.name")`,
    'ROW_GROUP_SIZE 65536');
});

afterAll(() => {
  closeDuckDB();
  rmSync(root, { recursive: true, force: true });
});

/** Runs shards 0..N-1 of `args` as separate processes, two at a time, into a fresh folder. */
async function runShards(args: string[], n: number, dir: string): Promise<string[]> {
  for (let i = 0; i < n; i += 2) {
    await Promise.all([i, i + 1].filter((k) => k < n).map((k) => runCliOkAsync([...args, '--shard', `${k}/${n}`, '--partials', dir])));
  }
  return readdirSync(dir).sort();
}

async function splitOf(file: string): Promise<string> {
  const { header } = await PartialFileReader.open(readFileSync(file));
  return fromJsonValue<ShardMeta>(header.meta).split;
}

const merged = async (dir: string, format: string) => (await runCliOkAsync(['merge', '--partials', dir, '--format', format, '--quiet'])).stdout;

const RULES = ['dd6afee6', '10442d8b', '886c7e51', '13f081d6'].map((id) => `--rule ${id}`).join(' ');

interface Case {
  command: 'detect' | 'hunt';
  layout: string;
  runs: [number, string?][];
  /** options after the command's own ('' for none) */
  extra: string;
}

// hunt's splits are named, so both are run at every N on one layout or the other (which one auto
// takes is test/shardPlan.test.ts's business)
const CASES: Case[] = [
  { command: 'detect', layout: 'exporter', runs: [[1], [2], [3], [7]], extra: '' },
  { command: 'detect', layout: 'foreign', runs: [[1], [2], [3], [7]], extra: '' },
  { command: 'hunt', layout: 'exporter', runs: [[1, 'time'], [2, 'row-group'], [3, 'time'], [7, 'row-group']], extra: '--baseline 1d' },
  { command: 'hunt', layout: 'foreign', runs: [[1, 'row-group'], [2, 'time'], [3, 'row-group'], [7, 'time']], extra: '--baseline 1d' },
  // each T's baseline is its own hour a day before: the cells of a time shard's T are not its neighbours'
  { command: 'hunt', layout: 'foreign', runs: [[2, 'time'], [3, 'row-group'], [4, 'time']], extra: '--baseline-model hour-of-day --baseline 36h' },
  // several rules of three keyings: each task's partials are stored one per keying
  { command: 'detect', layout: 'foreign', runs: [[2], [3]], extra: `${RULES} --report` },
  { command: 'hunt', layout: 'exporter', runs: [[2, 'row-group'], [3, 'time']], extra: `--baseline 1d ${RULES} --report` },
  { command: 'hunt', layout: 'foreign', runs: [[3, 'row-group'], [2, 'time']], extra: `--baseline 1d ${RULES}` },
];

describe.each(CASES)('$command on the $layout layout $extra', ({ command, layout, runs, extra }) => {
  it(`N = ${runs.map(([n, s]) => (s ? `${n} (by ${s})` : n)).join(', ')} shards merge to one machine's bytes, as ndjson (and json for N >= 3)`, async () => {
    const report = extra.endsWith(' --report');
    const options = (report ? extra.slice(0, -' --report'.length) : extra).split(' ').filter(Boolean);
    const base = [command, '--data', layouts[layout], ...(command === 'detect' ? DETECT : HUNT), ...options];
    const tag = `${command}-${layout}${extra.includes('model') ? '-model' : ''}${extra.includes('--rule') ? '-rules' : ''}`;
    const oneReport = join(root, `${tag}.html`);
    const [ndjson, json] = await Promise.all([runCliOkAsync([...base, '--format', 'ndjson', ...(report ? ['--report', oneReport] : [])]), runCliOkAsync([...base, '--format', 'json'])]);
    // not vacuous: the run finds something, of more than one rule when several run
    const lines = ndjson.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(command === 'hunt' ? 3 : 1);
    if (extra.includes('--rule')) expect(new Set(lines.map((l) => (JSON.parse(l) as { rule_id: string }).rule_id)).size).toBeGreaterThan(1);
    for (const [n, split] of runs) {
      const dir = join(root, `${tag}-${n}-${split ?? 'auto'}`);
      const files = await runShards([...base, ...(split ? ['--shard-by', split] : [])], n, dir);
      expect(files).toHaveLength(n);
      expect(await splitOf(join(dir, files[0]))).toBe(split ?? 'row-group');
      expect(files.every((f, i) => f.startsWith(`shard-${String(i).padStart(4, '0')}-of-${String(n).padStart(4, '0')}-`))).toBe(true);
      expect(await merged(dir, 'ndjson'), `${n} shards, ndjson`).toBe(ndjson.stdout);
      if (n >= 3) expect(await merged(dir, 'json'), `${n} shards, json`).toBe(json.stdout);
      if (report) {
        const mergedReport = join(root, `${tag}-${n}-merged.html`);
        await runCliOkAsync(['merge', '--partials', dir, '--report', mergedReport, '--quiet']);
        expect(readFileSync(mergedReport).equals(readFileSync(oneReport)), `${n} shards, the HTML report`).toBe(true);
      }
    }
  });
});
