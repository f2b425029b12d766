/**
 * The headline: how long would hunting a year of a 10,000-series fleet take?
 * `npm run bench:headline [-- --workers 2 --runs 1] [--quick]`.
 *
 * Two slices of a fleet are generated once (data/bench-headline/): wide (many series, one day)
 * and deep (fewer series, 31 days), both at 10 s. Measured, as whole processes:
 *   t0    hunt at one T long before the data: every row group pruned (start-up, footers, plan)
 *   H1    hunt at one T on the deep slice: every row read once, one evaluation
 *   HL    hunt over 168 hourly T (a week) on the deep slice: the same rows, 168 evaluations
 *   HW    hunt over 24 hourly T on the wide slice
 *   Q     DuckDB's plain query (duckdbPlainRule.ts) at one T on the deep slice
 * The model is wall = t0 + a * rows + b * (T x series): b from HL - H1, a from each slice
 * (the larger of the two is used). A year is 8,760 hourly T over 10,000 series x 3,153,600
 * rows each; the scan part is scaled from the workers measured to 16 with an assumed parallel
 * efficiency, and the evaluation part is not scaled (it runs on the main thread). DuckDB
 * answers one query per T, each reading 30 days and 1 hour of rows, scaled the same way.
 * --quick: small slices, written to RESULTS-headline-quick.md, to check the harness only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { runNode, timedRuns, type TimedRuns } from './childRun.js';
import { commitOf } from './commitOf.js';
import { machineInfo } from './machine.js';
import { formatBytes, formatSeconds, median } from '../src/bench/stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ENGINE = join(ROOT, 'dist', 'benchmarks', 'runEngine.js');
const H = 3_600_000;
const D = 24 * H;
const END = Date.UTC(2026, 0, 31);
const WHO = 'bench:headline';
const YEAR_SERIES = 10_000;
const YEAR_T = 8_760;
const ROWS_PER_SERIES_DAY = 8_640;
const EFFICIENCY_16 = 0.8;

interface Slice {
  name: string;
  dir: string;
  days: number;
  workloads: number;
  rows: number;
  series: number;
  bytes: number;
}

async function makeSlice(root: string, name: string, days: number, workloads: number, workers: string): Promise<Slice> {
  const dir = join(root, name);
  const manifest = join(dir, '_export.json');
  const args = ['export', '--out', dir, '--days', String(days), '--seed', '5', '--clusters', '4', '--workloads', String(workloads),
    '--end', new Date(END).toISOString(), '--workers', workers];
  const wanted = JSON.stringify({ days, workloads });
  const stamp = join(root, `${name}.json`);
  if (!existsSync(manifest) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    process.stderr.write(`${WHO}: generating the ${name} slice (${days} days, ${workloads} workloads) into ${dir} (once)\n`);
    await runNode([CLI, ...args, '--force', '--quiet'], ROOT, WHO);
    writeFileSync(stamp, wanted);
  }
  const files = (JSON.parse(readFileSync(manifest, 'utf8')) as { files: { rows: number; bytes: number }[] }).files;
  const instance = await DuckDBInstance.create(':memory:', { threads: workers });
  const conn = await instance.connect();
  const r = await conn.runAndReadAll(`SELECT count(*)::DOUBLE FROM (SELECT DISTINCT "k8s.cluster.name", "source.workload.name", "source.process.name" ` +
    `FROM read_parquet('${dir.replace(/'/g, "''")}/**/*.parquet'))`);
  const series = Number(r.getRows()[0][0]);
  conn.closeSync();
  return {
    name, dir, days, workloads, series,
    rows: files.reduce((s, f) => s + f.rows, 0),
    bytes: files.reduce((s, f) => s + f.bytes, 0),
  };
}

const s = (ms: number) => ms / 1000;
const fmtS = (sec: number) => (sec >= 100 ? sec.toFixed(0) : sec >= 10 ? sec.toFixed(1) : sec.toFixed(2));
const fmtDuration = (sec: number) => (sec < 120 ? `${fmtS(sec)} s` : sec < 7200 ? `${(sec / 60).toFixed(1)} min` : sec < 172800 ? `${(sec / 3600).toFixed(1)} h` : `${(sec / 86400).toFixed(1)} days`);
const sci = (x: number) => x.toExponential(3).replace('e', ' x 10^').replace('^+', '^');

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { runs: { type: 'string', default: '1' }, workers: { type: 'string', default: '2' }, quick: { type: 'boolean', default: false } } });
  const runs = Number(v.runs);
  const workers = v.workers!;
  const w = Number(workers);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(w) || w < 1) throw new Error(`${WHO}: --runs and --workers must be positive integers`);
  const quick = v.quick!;
  const root = join(ROOT, 'data', quick ? 'bench-headline-quick' : 'bench-headline');
  // the generator gives a workload about 2.9 series (1-3 processes, some in several clusters)
  const wide = await makeSlice(root, 'wide', 1, quick ? 170 : 3_450, workers);
  const deep = await makeSlice(root, 'deep', quick ? 4 : 31, quick ? 34 : 345, workers);
  const common = ['--workers', workers, '--format', 'ndjson', '--quiet'];
  const hunt = (sl: Slice, from: number, to: number): string[] => [CLI, 'hunt', '--data', sl.dir, '--from', String(from), '--to', String(to), ...common];
  const timed = (label: string, args: string[]): Promise<TimedRuns> => timedRuns(label, runs, args, ROOT, WHO);

  // a week of hourly T: enough evaluations to measure b, without 720 x 1,000 series of them
  const longT = quick ? 72 : 168;
  const t0Run = await timed('t0: hunt at one T before the data (all pruned)', hunt(deep, END - 400 * D, END - 400 * D));
  const h1Run = await timed('H1: deep slice, hunt at one T', hunt(deep, END, END));
  const hLongRun = await timed(`H${longT}: deep slice, hunt over ${longT} hourly T`, hunt(deep, END - (longT - 1) * H, END));
  const hwRun = await timed('HW: wide slice, hunt over 24 hourly T', hunt(wide, END - 23 * H, END));
  const qRun = await timed('Q: DuckDB plain query at one T, deep slice', [ENGINE, 'duckdb', '--data', deep.dir, '--at', String(END), '--threads', workers]);

  const t0 = s(median(t0Run.ms));
  const h1 = s(median(h1Run.ms));
  const hLong = s(median(hLongRun.ms));
  const hw = s(median(hwRun.ms));
  const q = s(median(qRun.ms));
  const b = Math.max(0, (hLong - h1) / ((longT - 1) * deep.series));
  const aDeep = (h1 - t0 - b * deep.series) / deep.rows;
  const aWide = (hw - t0 - b * 24 * wide.series) / wide.rows;
  const a = Math.max(aDeep, aWide);
  const yearRows = YEAR_SERIES * ROWS_PER_SERIES_DAY * 365;
  const scale = w / (16 * EFFICIENCY_16);
  const scanYear = a * yearRows * scale;
  const evalYear = b * YEAR_T * YEAR_SERIES;
  const oursYear = t0 + scanYear + evalYear;
  const duckPerRow = q / deep.rows;
  const duckRowsPerT = YEAR_SERIES * ROWS_PER_SERIES_DAY * (30 + 1 / 24);
  const duckYear = YEAR_T * duckRowsPerT * duckPerRow * scale;

  const m = machineInfo();
  const runsOf = (r: TimedRuns) => `${fmtS(s(median(r.ms)))} | ${r.ms.map(formatSeconds).join(', ')}`;
  const sliceRow = (sl: Slice) => `| ${sl.name} | ${sl.days} | ${sl.series} | ${sl.rows.toLocaleString('en-US')} | ${formatBytes(sl.bytes)} | \`egress-anomaly export --days ${sl.days} --clusters 4 --workloads ${sl.workloads} --seed 5\` |`;
  const lines = [
    `# Headline: a year of a 10,000-series fleet, hunted hourly${quick ? ' (smoke run)' : ''}`,
    '',
    ...(quick ? ['> **Smoke run, not a benchmark**: small slices, made with `--quick` to check the harness.', ''] : []),
    `Measured ${new Date().toISOString()} at commit ${commitOf(ROOT)}. Command: \`npm run bench:headline -- --workers ${workers} --runs ${runs}${quick ? ' --quick' : ''}\`. ` +
      `Machine: ${m.cores} cores (${m.cpuModel}), ${formatBytes(m.memoryBytes)}, Node.js ${m.node}. ${workers} workers / DuckDB threads; every figure is a whole process, median of ${runs}.`,
    '',
    '## The slices (10 s points, exporter layout)',
    '',
    '| slice | days | series | rows | size | made with |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    sliceRow(wide),
    sliceRow(deep),
    '',
    '## Measured',
    '',
    '| run | median s | runs (s) |',
    '| --- | ---: | --- |',
    `| t0: hunt at one T 400 days before the data (every row group pruned: start-up, footers, plan) | ${runsOf(t0Run)} |`,
    `| H1: hunt at T = ${new Date(END).toISOString()} on the deep slice | ${runsOf(h1Run)} |`,
    `| H${longT}: hunt over ${longT} hourly T on the deep slice | ${runsOf(hLongRun)} |`,
    `| HW: hunt over 24 hourly T on the wide slice | ${runsOf(hwRun)} |`,
    `| Q: DuckDB plain query at one T on the deep slice | ${runsOf(qRun)} |`,
    '',
    '## The arithmetic',
    '',
    'Model: wall = t0 + a x rows + b x (T x series). Each row is read once whatever the number of T; each T costs an evaluation per series.',
    '',
    `- b = (H${longT} - H1) / (${longT - 1} x ${deep.series} series) = (${fmtS(hLong)} - ${fmtS(h1)}) / ${(longT - 1) * deep.series} = ${sci(b)} s per (T, series)`,
    `- a (deep) = (H1 - t0 - b x ${deep.series}) / ${deep.rows} rows = ${sci(aDeep)} s per row; a (wide) = (HW - t0 - b x 24 x ${wide.series}) / ${wide.rows} rows = ${sci(aWide)} s per row; used: the larger, ${sci(a)}`,
    `- a year: ${YEAR_SERIES.toLocaleString('en-US')} series x ${ROWS_PER_SERIES_DAY} rows a day x 365 = ${sci(yearRows)} rows, ${YEAR_T.toLocaleString('en-US')} hourly T`,
    `- scan on 16 cores: a x rows x ${w} / (16 x ${EFFICIENCY_16}) = ${fmtDuration(scanYear)} (parallel efficiency ${EFFICIENCY_16} at 16 workers is assumed here, not measured at this commit)`,
    `- evaluation (main thread, not scaled): b x ${YEAR_T} x ${YEAR_SERIES} = ${fmtDuration(evalYear)}`,
    `- **egress-anomaly, one process: t0 + scan + evaluation = ${fmtDuration(oursYear)}** (goal: under 5 minutes)`,
    `- egress-anomaly as 16 time shards of 1 worker on the same 16 cores (\`--shard I/16 --shard-by time\`, then \`merge\`), ` +
      `each shard evaluating its own T: t0 + scan + evaluation / (16 x ${EFFICIENCY_16}) = ${fmtDuration(t0 + scanYear + evalYear / (16 * EFFICIENCY_16))} ` +
      '(the same assumed efficiency; each time shard also reads the 30 days before its first T, which this leaves out)',
    `- DuckDB, one plain query per T, each over 30 days and 1 hour of the fleet (${sci(duckRowsPerT)} rows): per row ${sci(duckPerRow)} s (Q / deep rows), ` +
      `x ${sci(duckRowsPerT)} rows x ${YEAR_T} T x ${w} / (16 x ${EFFICIENCY_16}) = **${fmtDuration(duckYear)}**`,
    '',
    `Ratio: DuckDB's query per T would take ${(duckYear / oursYear).toFixed(0)}x as long as one hunt. Both are extrapolations from slices ` +
      `${(yearRows / deep.rows).toFixed(0)}x and ${(yearRows / wide.rows).toFixed(0)}x smaller than the year; memory is not modelled (see RESULTS-memory.md).`,
    '',
  ];
  const out = join(ROOT, 'benchmarks', quick ? 'RESULTS-headline-quick.md' : 'RESULTS-headline.md');
  writeFileSync(out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
