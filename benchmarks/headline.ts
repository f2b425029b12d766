/**
 * The headline: how long would hunting a year of a 10,000-series fleet take?
 * `npm run bench:headline [-- --workers 2 --runs 1] [--quick]`.
 *
 * Two slices of a fleet are generated once (data/bench-headline/): wide (many series, one day)
 * and deep (fewer series, 31 days), both at 10 s. Measured, as whole processes, with 1 worker
 * (what each of 16 time shards on 16 cores runs) unless --workers says otherwise:
 *   t0    hunt at one T long before the data: every row group pruned (start-up, footers, plan)
 *   H1    hunt at one T on the deep slice: its 30 days of baseline rows, one window, one evaluation
 *   HL    hunt over 168 hourly T on the deep slice: 168 windows of rows, 168 evaluations
 *   HW    hunt over 24 hourly T on the wide slice: every row in a window
 *   Q     DuckDB's plain query (duckdbPlainRule.ts) at one T on the deep slice
 * Each hunt says how long its main thread spent reducing partials and evaluating T (M). The model
 * charges the main thread b per (T, series) and the rest of the wall time to rows: a per baseline
 * row, w per window row (a row in some T's recent window, whose 10 s buckets are summed), with no
 * overlap between the two (an upper bound). A year is 8,760 hourly T over 10,000 series x
 * 3,153,600 rows each, every row in one T's window; it is extrapolated for 16 time shards of one
 * worker on 16 cores, each reading its T's windows and the 30 days before its first T, with an
 * assumed parallel efficiency. DuckDB answers one query per T, each reading 30 days and 1 hour of
 * rows, scaled the same way.
 * --quick: small slices, written to RESULTS-headline-quick.md, to check the harness only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
  const { values: v } = parseArgs({ options: { runs: { type: 'string', default: '1' }, workers: { type: 'string', default: '1' }, quick: { type: 'boolean', default: false } } });
  const runs = Number(v.runs);
  const workers = v.workers!;
  const w = Number(workers);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(w) || w < 1) throw new Error(`${WHO}: --runs and --workers must be positive integers`);
  const quick = v.quick!;
  const root = join(ROOT, 'data', quick ? 'bench-headline-quick' : 'bench-headline');
  // the generator gives a workload about 2.9 series (1-3 processes, some in several clusters)
  // the slices are written with every core (the export is not what is measured)
  const cores = String(availableParallelism());
  const wide = await makeSlice(root, 'wide', 1, quick ? 170 : 3_450, cores);
  const deep = await makeSlice(root, 'deep', quick ? 4 : 31, quick ? 34 : 345, cores);
  // not --quiet: the summary line says how long the main thread reduced and evaluated
  const common = ['--workers', workers, '--format', 'ndjson'];
  const hunt = (sl: Slice, from: number, to: number): string[] => [CLI, 'hunt', '--data', sl.dir, '--from', String(from), '--to', String(to), ...common];
  const timed = (label: string, args: string[]): Promise<TimedRuns> => timedRuns(label, runs, args, ROOT, WHO);
  const mainOf = (r: TimedRuns): number => {
    const m = /\(([\d.]+) s of it reducing and evaluating on the main thread\)/.exec(r.last.stderr);
    if (!m) throw new Error(`${WHO}: ${r.label}: no main-thread time in its summary: ${r.last.stderr.trim().slice(-300)}`);
    return Number(m[1]);
  };

  const longT = quick ? 72 : 168;
  const t0Run = await timed('t0: hunt at one T before the data (all pruned)', hunt(deep, END - 400 * D, END - 400 * D));
  const h1Run = await timed('H1: deep slice, hunt at one T', hunt(deep, END, END));
  const hLongRun = await timed(`HL: deep slice, hunt over ${longT} hourly T`, hunt(deep, END - (longT - 1) * H, END));
  const hwRun = await timed('HW: wide slice, hunt over 24 hourly T', hunt(wide, END - 23 * H, END));
  const qRun = await timed('Q: DuckDB plain query at one T, deep slice', [ENGINE, 'duckdb', '--data', deep.dir, '--at', String(END), '--threads', workers]);

  const t0 = s(median(t0Run.ms));
  const h1 = s(median(h1Run.ms));
  const hLong = s(median(hLongRun.ms));
  const hw = s(median(hwRun.ms));
  const q = s(median(qRun.ms));
  const [m1, mLong, mWide] = [mainOf(h1Run), mainOf(hLongRun), mainOf(hwRun)];
  // rows are spread evenly over a slice's hours (the generator's fleet is)
  const deepPerH = deep.rows / (deep.days * 24);
  const readH1 = Math.min(deep.rows, (30 * 24 + 1) * deepPerH);
  const winLong = longT * deepPerH;
  const baseLong = Math.min(deep.rows, (30 * 24 + longT) * deepPerH) - winLong;
  const a = Math.max(0, (h1 - t0 - m1) / readH1);
  const wDeep = (hLong - t0 - mLong - a * baseLong) / winLong;
  const wWide = (hw - t0 - mWide) / wide.rows;
  const wRow = Math.max(wDeep, wWide, 0);
  const bDeep = mLong / (longT * deep.series);
  const bWide = mWide / (24 * wide.series);
  const b = Math.max(bDeep, bWide);
  const yearRows = YEAR_SERIES * ROWS_PER_SERIES_DAY * 365;
  const rowsPerDay = YEAR_SERIES * ROWS_PER_SERIES_DAY;
  const scale = w / (16 * EFFICIENCY_16);
  // 16 time shards of `w` workers: each reads the 30 days before its first T and 1/16 of the year's windows
  const shardWork = a * 30 * rowsPerDay + wRow * (yearRows / 16) + b * (YEAR_T / 16) * YEAR_SERIES;
  const shardWall = t0 + shardWork / EFFICIENCY_16;
  // one process of 16 workers: the rows scale with the workers, the main thread does not
  const oneWall = t0 + (a * 30 * rowsPerDay + wRow * yearRows) * scale + b * YEAR_T * YEAR_SERIES;
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
    `| HL: hunt over ${longT} hourly T on the deep slice | ${runsOf(hLongRun)} |`,
    `| HW: hunt over 24 hourly T on the wide slice | ${runsOf(hwRun)} |`,
    `| Q: DuckDB plain query at one T on the deep slice | ${runsOf(qRun)} |`,
    '',
    `Main thread (M, reducing partials and evaluating T, as each hunt's summary line says): H1 ${fmtS(m1)} s, HL ${fmtS(mLong)} s, HW ${fmtS(mWide)} s.`,
    '',
    '## The arithmetic',
    '',
    'Model: wall = t0 + M + a x baseline rows + w x window rows, M = b x (T x series). A window row lies in some T\'s recent window (its 10 s buckets ' +
      'are summed); a baseline row only in baselines. Main thread and workers are taken as not overlapping (an upper bound). Rows are taken as spread ' +
      `evenly over a slice's hours (${Math.round(deepPerH).toLocaleString('en-US')} an hour on the deep slice).`,
    '',
    `- a = (H1 - t0 - M) / ${sci(readH1)} rows (30 days and 1 hour) = (${fmtS(h1)} - ${fmtS(t0)} - ${fmtS(m1)}) / ${sci(readH1)} = ${sci(a)} s per baseline row`,
    `- w (deep) = (HL - t0 - M - a x ${sci(baseLong)} baseline rows) / ${sci(winLong)} window rows = ${sci(wDeep)}; ` +
      `w (wide) = (HW - t0 - M) / ${sci(wide.rows)} rows, all in windows = ${sci(wWide)}; used: the larger, ${sci(wRow)} s per window row`,
    `- b (deep) = M / (${longT} x ${deep.series} series) = ${sci(bDeep)}; b (wide) = M / (24 x ${wide.series}) = ${sci(bWide)}; used: the larger, ${sci(b)} s per (T, series)`,
    `- a year: ${YEAR_SERIES.toLocaleString('en-US')} series x ${ROWS_PER_SERIES_DAY} rows a day x 365 = ${sci(yearRows)} rows, ${YEAR_T.toLocaleString('en-US')} hourly T, every row in one T's window`,
    `- **egress-anomaly as 16 time shards of ${w} worker${w === 1 ? '' : 's'} on 16 cores** (\`--shard I/16 --shard-by time\`, then \`merge\`), each reading the 30 days ` +
      `before its first T (${sci(30 * rowsPerDay)} rows), 1/16 of the windows (${sci(yearRows / 16)} rows) and evaluating ${YEAR_T / 16} T: ` +
      `t0 + (a x ${sci(30 * rowsPerDay)} + w x ${sci(yearRows / 16)} + b x ${YEAR_T / 16} x ${YEAR_SERIES}) / ${EFFICIENCY_16} = **${fmtDuration(shardWall)}** ` +
      `(goal: under 5 minutes; the efficiency ${EFFICIENCY_16} of 16 processes on 16 cores is assumed, not measured at this commit)`,
    `- one process of 16 workers: t0 + (a x ${sci(30 * rowsPerDay)} + w x ${sci(yearRows)}) x ${w} / (16 x ${EFFICIENCY_16}) + b x ${YEAR_T} x ${YEAR_SERIES} = ${fmtDuration(oneWall)} ` +
      '(the main thread does not scale with workers)',
    `- DuckDB, one plain query per T, each over 30 days and 1 hour of the fleet (${sci(duckRowsPerT)} rows): per row ${sci(duckPerRow)} s (Q / deep rows), ` +
      `x ${sci(duckRowsPerT)} rows x ${YEAR_T} T x ${w} / (16 x ${EFFICIENCY_16}) = **${fmtDuration(duckYear)}**`,
    '',
    `Ratio: DuckDB's query per T would take ${(duckYear / shardWall).toFixed(0)}x as long as the sharded hunt. Both are extrapolations from slices ` +
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
