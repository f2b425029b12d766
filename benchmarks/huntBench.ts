/**
 * Retro-hunting and nightly runs, measured: `npm run bench:hunt [-- --runs 3 --workers 2]`.
 *
 * On a cached 60-day dataset (data/bench-hunt/), as whole processes with the same worker count:
 * one detect; hunt over 24 hourly T; hunt over 720 hourly T; the nightly hunt over 24 T with
 * --state already holding the earlier days, against the same hunt without state. DuckDB answers a
 * hunt with one query per T; running 720 of them takes over an hour here, so its figure is the
 * median time of a few sampled T times the number of T, and says so. The sampled T's findings
 * must equal hunt's (host, workload, process, count), or the run fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine.js';
import { formatBytes, formatSeconds, median } from '../src/bench/stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ENGINE = join(ROOT, 'dist', 'benchmarks', 'runEngine.js');
const DATA = join(ROOT, 'data', 'bench-hunt', 'exporter');
const STATE = join(ROOT, 'data', 'bench-hunt', 'state');
const H = 3_600_000;
const END = Date.UTC(2026, 0, 31);
const EXPORT = ['export', '--out', DATA, '--days', '60', '--seed', '11', '--clusters', '4', '--workloads', '34', '--end', new Date(END).toISOString(), '--force', '--quiet'];

interface Child {
  ms: number;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Child> {
  return new Promise((res, rej) => {
    const t = performance.now();
    const c = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('error', rej);
    c.on('close', (code) => {
      if (code !== 0) rej(new Error(`bench:hunt: ${args.slice(0, 2).join(' ')} exited ${code}: ${err.trim()}`));
      else res({ ms: performance.now() - t, stdout: out, stderr: err });
    });
  });
}

function keysOf(ndjson: string, atMs?: number): string[] {
  return ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((f) => atMs === undefined || f.detection_time === new Date(atMs).toISOString())
    .map((f) => `${f.host}|${f['source.workload.name']}|${f['source.process.name']}|${f.count}`).sort();
}

async function timed(label: string, runs: number, args: string[]): Promise<{ label: string; ms: number[]; last: Child }> {
  const ms: number[] = [];
  let last: Child | undefined;
  for (let i = 0; i < runs; i++) {
    last = await run(args);
    ms.push(last.ms);
    process.stderr.write(`bench:hunt: ${label} run ${i + 1}/${runs}: ${formatSeconds(last.ms)} s\n`);
  }
  return { label, ms, last: last! };
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { runs: { type: 'string', default: '3' }, workers: { type: 'string', default: '2' }, samples: { type: 'string', default: '3' } } });
  const runs = Number(v.runs);
  const workers = v.workers!;
  const samples = Number(v.samples);
  if (!existsSync(join(DATA, '_export.json'))) {
    process.stderr.write(`bench:hunt: generating 60 days into ${DATA} (once)\n`);
    await run([CLI, ...EXPORT]);
  }
  const rows = (JSON.parse(readFileSync(join(DATA, '_export.json'), 'utf8')) as { files: { rows: number }[] }).files.reduce((s, f) => s + f.rows, 0);
  const common = ['--data', DATA, '--workers', workers, '--format', 'ndjson', '--quiet'];
  const hunt = (from: number, extra: string[] = []) => [CLI, 'hunt', ...common, '--from', String(from), '--to', String(END), ...extra];

  const detect = await timed('detect at T', runs, [CLI, 'detect', ...common, '--at', String(END)]);
  const hunt24 = await timed('hunt, 24 hourly T', runs, hunt(END - 23 * H));
  const hunt720 = await timed('hunt, 720 hourly T (30 days)', runs, hunt(END - 719 * H));
  rmSync(STATE, { recursive: true, force: true });
  await run(hunt(END - 23 * H, ['--state', STATE]));
  const nightly = await timed('nightly hunt, 24 T, --state warm', runs, hunt(END - 23 * H, ['--state', STATE]));
  if (JSON.stringify(keysOf(nightly.last.stdout)) !== JSON.stringify(keysOf(hunt24.last.stdout))) {
    throw new Error('bench:hunt: the hunt with --state found other findings than the hunt without it');
  }

  const duck: number[] = [];
  for (let i = 0; i < samples; i++) {
    const at = END - Math.round(((i + 0.5) * 719) / samples) * H;
    const r = await run([ENGINE, 'duckdb', '--data', DATA, '--at', String(at), '--threads', workers]);
    duck.push(r.ms);
    const ours = keysOf(hunt720.last.stdout, at);
    if (JSON.stringify(keysOf(r.stdout)) !== JSON.stringify(ours)) {
      throw new Error(`bench:hunt: DuckDB and hunt disagree at T=${new Date(at).toISOString()}`);
    }
    process.stderr.write(`bench:hunt: DuckDB, one query at T=${new Date(at).toISOString()}: ${formatSeconds(r.ms)} s, ${ours.length} findings, same as hunt\n`);
  }

  const d = median(detect.ms);
  const duckOne = median(duck);
  const m = machineInfo();
  const rowsFor = (t: { ms: number[] }) => `${formatSeconds(median(t.ms))} | ${t.ms.map(formatSeconds).join(', ')}`;
  const lines = [
    '# Retro-hunting and nightly runs',
    '',
    `Measured ${new Date().toISOString()}. Command: \`npm run bench:hunt -- --runs ${runs} --workers ${workers} --samples ${samples}\`.`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${formatBytes(m.memoryBytes)}, Node.js ${m.node}. Data: ${rows} rows, 60 days ending ` +
      `${new Date(END).toISOString()} (\`egress-anomaly ${EXPORT.slice(0, -2).join(' ').replace(DATA, 'data/bench-hunt/exporter')}\`), ` +
      `${workers} workers / DuckDB threads, every figure a whole process (start-up included), median of ${runs} runs.`,
    '',
    '| job | median s | runs (s) | ratio |',
    '| --- | ---: | --- | --- |',
    `| detect at T | ${rowsFor(detect)} | 1.00x |`,
    `| hunt, 24 hourly T | ${rowsFor(hunt24)} | ${(median(hunt24.ms) / d).toFixed(2)}x one detect (target <= 1.5x) |`,
    `| hunt, 720 hourly T | ${rowsFor(hunt720)} | ${(median(hunt720.ms) / d).toFixed(2)}x one detect (target <= 3x) |`,
    `| nightly: hunt 24 T with --state holding the earlier days | ${rowsFor(nightly)} | ${(median(nightly.ms) / median(hunt24.ms)).toFixed(2)}x the same hunt without state (target <= 0.1x) |`,
    `| DuckDB, one query per T: measured at ${samples} sampled T | ${formatSeconds(duckOne)} | ${duck.map(formatSeconds).join(', ')} | per T |`,
    `| DuckDB, 720 T (extrapolated: ${samples}-sample median x 720) | ${formatSeconds(duckOne * 720)} | not run | hunt is ${((duckOne * 720) / median(hunt720.ms)).toFixed(1)}x faster (target >= 10x) |`,
    '',
    'The hunt with --state gave the same findings as without; at the sampled T, DuckDB\'s findings equal hunt\'s.',
    '',
  ];
  const out = join(ROOT, 'benchmarks', 'RESULTS-hunt.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
