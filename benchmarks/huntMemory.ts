/**
 * What hunt's memory grows with, measured: `npm run bench:memory [-- --workers 2]`.
 *
 * On one generated dataset (data/bench-memory/, 120 days, made once), peak RSS (the kernel's
 * high-water mark, polled) of whole `hunt` processes over ranges of 7, 30 and 90 days at
 * --step 1h, and over 1 and 2 days at --step 10s (8,641 and 17,281 T; a 30-day range at 10 s is
 * 259,201 T, over the CLI's 100,000). Memory that followed the range would show up as a rise along
 * each row; the README quotes this table.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBytes, formatSeconds } from '../src/bench/stats.js';
import { sampleChildRss } from '../src/bench/rss.js';
import { machineInfo } from './machine.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const DATA = join(ROOT, 'data', 'bench-memory');
const DAY = 86_400_000;
const END = Date.UTC(2026, 0, 31);
const EXPORT = ['export', '--out', DATA, '--days', '120', '--seed', '5', '--end', new Date(END).toISOString(), '--force', '--quiet'];

function run(args: string[]): Promise<{ ms: number; peak: number; stderr: string }> {
  return new Promise((res, rej) => {
    const t = performance.now();
    const c = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const rss = sampleChildRss(c.pid!);
    let err = '';
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('error', rej);
    c.on('close', (code) => {
      const peak = rss.stop();
      if (code !== 0) rej(new Error(`bench:memory: ${args.slice(1, 3).join(' ')} exited ${code}: ${err.trim()}`));
      else res({ ms: performance.now() - t, peak, stderr: err });
    });
  });
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { workers: { type: 'string', default: '2' } } });
  if (!existsSync(join(DATA, '_export.json'))) {
    process.stderr.write(`bench:memory: generating 120 days into ${DATA} (once)\n`);
    await run([CLI, ...EXPORT]);
  }
  const rows = (JSON.parse(readFileSync(join(DATA, '_export.json'), 'utf8')) as { files: { rows: number }[] }).files.reduce((s, f) => s + f.rows, 0);
  const cases: [days: number, step: string][] = [[7, '1h'], [30, '1h'], [90, '1h'], [1, '10s'], [2, '10s']];
  const table: string[] = [];
  for (const [days, step] of cases) {
    const from = END - days * DAY;
    const r = await run([CLI, 'hunt', '--data', DATA, '--from', String(from), '--to', String(END), '--step', step,
      '--workers', v.workers!, '--format', 'ndjson', '--out', '/dev/null']);
    const times = /hunt: (\d+) detection times?/.exec(r.stderr)?.[1] ?? '?';
    const read = /(\d+) rows read/.exec(r.stderr)?.[1] ?? '?';
    process.stderr.write(`bench:memory: ${days} days at --step ${step}: ${formatBytes(r.peak)} peak, ${formatSeconds(r.ms)} s\n`);
    table.push(`| ${days} days | ${step} | ${times} | ${read} | ${formatBytes(r.peak)} | ${formatSeconds(r.ms)} |`);
  }
  const m = machineInfo();
  const text = [
    '# Hunt memory against the length of the range',
    '',
    `Measured ${new Date().toISOString()}. Command: \`npm run bench:memory -- --workers ${v.workers}\`. Machine: ${m.cores} cores ` +
      `(${m.cpuModel}), Node.js ${m.node}. Data: ${rows} rows, 120 days of \`egress-anomaly ${EXPORT.slice(0, -2).join(' ').replace(DATA, 'data/bench-memory')}\`. ` +
      `Each row is one whole \`hunt --to ${new Date(END).toISOString()}\` process, ${v.workers} workers; peak RSS is the kernel's high-water mark.`,
    '',
    '| range | --step | detection times | rows read | peak RSS | wall s |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...table,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'benchmarks', 'RESULTS-memory.md'), text);
  process.stdout.write(text);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
