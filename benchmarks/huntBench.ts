/**
 * Retro-hunting and nightly runs, measured: `npm run bench:hunt [-- --runs 3 --workers 2] [--quick]`.
 *
 * On a cached 60-day dataset (data/bench-hunt/), as whole processes with the same worker count:
 * one detect; hunt over 24 hourly T; hunt over 720 hourly T; the nightly hunt over 24 T with
 * --state already holding the earlier days, against the same hunt without state. DuckDB's plain
 * query (duckdbPlainRule.ts) answers a hunt with one query per T; running 720 of them takes over
 * an hour, so its figure is the median time of a few sampled T times the number of T, and says so.
 * At the sampled T, DuckDB's findings must equal hunt's (host, workload, process, count), and
 * their messages agree within 1e-9 relative, or the run fails.
 *
 * --quick: 4 days (data/bench-hunt-quick/), the long hunt over 72 T, written to
 * RESULTS-hunt-quick.md as a smoke run: it checks that the harness works, it is not a benchmark.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runNode, timedRuns } from './childRun.js';
import { commitOf } from './commitOf.js';
import { compareMessages, keyDifference, type MessageAgreement } from './compareFindings.js';
import { machineInfo } from './machine.js';
import type { Finding } from './ruleFindings.js';
import { formatBytes, formatSeconds, median } from '../src/bench/stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ENGINE = join(ROOT, 'dist', 'benchmarks', 'runEngine.js');
const H = 3_600_000;
const END = Date.UTC(2026, 0, 31);

const run = (args: string[]) => runNode(args, ROOT, 'bench:hunt');
const timed = (label: string, runs: number, args: string[]) => timedRuns(label, runs, args, ROOT, 'bench:hunt');

function findingsOf(ndjson: string, atMs?: number): Finding[] {
  return ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finding)
    .filter((f) => atMs === undefined || f.detection_time === new Date(atMs).toISOString());
}

const keysOf = (ndjson: string) => findingsOf(ndjson).map((f) => `${f.detection_time}|${f.host}|${f['source.workload.name']}|${f['source.process.name']}|${f.count}`).sort();

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: { runs: { type: 'string', default: '3' }, workers: { type: 'string', default: '2' }, samples: { type: 'string', default: '3' }, quick: { type: 'boolean', default: false } },
  });
  const runs = Number(v.runs);
  const workers = v.workers!;
  const samples = Number(v.samples);
  const quick = v.quick!;
  const days = quick ? 4 : 60;
  const longT = quick ? 72 : 720;
  const root = join(ROOT, 'data', quick ? 'bench-hunt-quick' : 'bench-hunt');
  const data = join(root, 'exporter');
  const stateDir = join(root, 'state');
  const exportArgs = ['export', '--out', data, '--days', String(days), '--seed', '11', '--clusters', '4', '--workloads', '34', '--end', new Date(END).toISOString()];
  if (!existsSync(join(data, '_export.json'))) {
    process.stderr.write(`bench:hunt: generating ${days} days into ${data} (once)\n`);
    await run([CLI, ...exportArgs, '--force', '--quiet']);
  }
  const rows = (JSON.parse(readFileSync(join(data, '_export.json'), 'utf8')) as { files: { rows: number }[] }).files.reduce((s, f) => s + f.rows, 0);
  const common = ['--data', data, '--workers', workers, '--format', 'ndjson', '--quiet'];
  const hunt = (from: number, extra: string[] = []) => [CLI, 'hunt', ...common, '--from', String(from), '--to', String(END), ...extra];

  const detect = await timed('detect at T', runs, [CLI, 'detect', ...common, '--at', String(END)]);
  const hunt24 = await timed('hunt, 24 hourly T', runs, hunt(END - 23 * H));
  const huntLong = await timed(`hunt, ${longT} hourly T`, runs, hunt(END - (longT - 1) * H));
  rmSync(stateDir, { recursive: true, force: true });
  await run(hunt(END - 23 * H, ['--state', stateDir]));
  const nightly = await timed('nightly hunt, 24 T, --state warm', runs, hunt(END - 23 * H, ['--state', stateDir]));
  if (JSON.stringify(keysOf(nightly.last.stdout)) !== JSON.stringify(keysOf(hunt24.last.stdout))) {
    throw new Error('bench:hunt: the hunt with --state found other findings than the hunt without it');
  }

  const duck: number[] = [];
  const agreement: MessageAgreement = { messages: 0, identical: 0, withinTolerance: 0, beyond: 0 };
  let findingsAtSamples = 0;
  for (let i = 0; i < samples; i++) {
    const at = END - Math.round(((i + 0.5) * (longT - 1)) / samples) * H;
    const r = await run([ENGINE, 'duckdb', '--data', data, '--at', String(at), '--threads', workers]);
    duck.push(r.ms);
    const ours = findingsOf(huntLong.last.stdout, at);
    const theirs = findingsOf(r.stdout);
    const diff = keyDifference(ours, theirs, `DuckDB plain at T=${new Date(at).toISOString()}`);
    if (diff) throw new Error(`bench:hunt: ${diff}`);
    const a = compareMessages(ours, theirs, 'duckdb');
    if (a.beyond) throw new Error(`bench:hunt: DuckDB's messages differ beyond 1e-9 relative at T=${new Date(at).toISOString()}:\n  ${a.example!.join('\n  ')}`);
    for (const k of ['messages', 'identical', 'withinTolerance'] as const) agreement[k] += a[k];
    findingsAtSamples += ours.length;
    process.stderr.write(`bench:hunt: DuckDB plain query at T=${new Date(at).toISOString()}: ${formatSeconds(r.ms)} s, ${ours.length} findings, ` +
      `same as hunt (${a.messages} messages, ${a.withinTolerance} not byte-identical but within 1e-9)\n`);
  }

  const d = median(detect.ms);
  const duckOne = median(duck);
  const m = machineInfo();
  const rowsFor = (t: { ms: number[] }) => `${formatSeconds(median(t.ms))} | ${t.ms.map(formatSeconds).join(', ')}`;
  const target = (t: string) => (quick ? '' : ` (target ${t})`);
  const shownExport = `egress-anomaly ${exportArgs.join(' ').replace(data, `data/${quick ? 'bench-hunt-quick' : 'bench-hunt'}/exporter`)}`;
  const lines = [
    `# Retro-hunting and nightly runs${quick ? ' (smoke run)' : ''}`,
    '',
    ...(quick ? ['> **Smoke run, not a benchmark.** Made with `--quick` (4 days) to check that the harness works; the numbers say ' +
      'nothing about performance. The real results are in RESULTS-hunt.md, from `npm run bench:hunt`.', ''] : []),
    `Measured ${new Date().toISOString()} at commit ${commitOf(ROOT)}. Command: \`npm run bench:hunt -- --runs ${runs} --workers ${workers} --samples ${samples}${quick ? ' --quick' : ''}\`.`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${formatBytes(m.memoryBytes)}, Node.js ${m.node}. Data: ${rows} rows, ${days} days ending ` +
      `${new Date(END).toISOString()} (\`${shownExport}\`), ` +
      `${workers} workers / DuckDB threads, every figure a whole process (start-up included), median of ${runs} run${runs === 1 ? "" : "s"}.`,
    '',
    'DuckDB is the rule as plain SQL ([benchmarks/duckdbPlainRule.ts](duckdbPlainRule.ts): `avg` per metric over the recent ' +
      'buckets, `avg` and `stddev_samp` over the baseline, one join, threshold and `count > 5` in SQL), one query per T.',
    '',
    '| job | median s | runs (s) | ratio |',
    '| --- | ---: | --- | --- |',
    `| detect at T | ${rowsFor(detect)} | 1.00x |`,
    `| hunt, 24 hourly T | ${rowsFor(hunt24)} | ${(median(hunt24.ms) / d).toFixed(2)}x one detect${target('<= 1.5x')} |`,
    `| hunt, ${longT} hourly T | ${rowsFor(huntLong)} | ${(median(huntLong.ms) / d).toFixed(2)}x one detect${target('<= 3x')} |`,
    `| nightly: hunt 24 T with --state holding the earlier days | ${rowsFor(nightly)} | ${(median(nightly.ms) / median(hunt24.ms)).toFixed(2)}x the same hunt without state${target('<= 0.1x')} |`,
    `| DuckDB plain query, one per T: measured at ${samples} sampled T | ${formatSeconds(duckOne)} | ${duck.map(formatSeconds).join(', ')} | per T |`,
    `| DuckDB plain query, ${longT} T (extrapolated: ${samples}-sample median x ${longT}) | ${formatSeconds(duckOne * longT)} | not run | hunt is ${((duckOne * longT) / median(huntLong.ms)).toFixed(1)}x faster${target('>= 10x')} |`,
    '',
    `The hunt with --state gave the same findings as without. At the ${samples} sampled T, DuckDB's plain query reported the same ` +
      `${findingsAtSamples} findings as hunt (host, workload, process, count); of their ${agreement.messages} anomaly messages, ` +
      `${agreement.identical} are byte-identical and ${agreement.withinTolerance} differ only in the last digits (value, avg and stdev within 1e-9 relative, the same z).`,
    '',
  ];
  const out = join(ROOT, 'benchmarks', quick ? 'RESULTS-hunt-quick.md' : 'RESULTS-hunt.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
