/**
 * `npm run bench`: egress-anomaly detect against DuckDB's plain query (the anchor of every ratio),
 * DuckDB's exact variant, Polars and the decode-only floor, side by side, on the same files and
 * thread counts, each engine a whole child process (wall time, peak RSS). Writes
 * benchmarks/RESULTS.md and benchmarks/scaling.svg.
 *
 *   npm run bench -- [--workers 1,2,4,8,16] [--runs 3] [--quick] [--layouts exporter,duckdb,duckdb-day]
 *                    [--no-exact] [--no-polars] [--no-export] [--out benchmarks/RESULTS.md]
 *
 * --no-export skips measuring the exporter row again on a cached dataset (the figures from when
 * the dataset was made are shown, dated).
 *
 * --quick uses a small cached dataset (data/bench-quick/) and writes benchmarks/RESULTS-quick.md,
 * marked as a smoke run: it checks that the harness works, it is not a benchmark.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summariseProfiles, profilesIn, type ProfileSummary } from './cpuProfile.js';
import { machineInfo } from './machine.js';
import { sampleChildRss } from '../src/bench/rss.js';
import { formatBytes, formatSeconds, median } from '../src/bench/stats.js';
import { ensureDataset, FULL, measureExports, QUICK, type Dataset } from './dataset.js';
import type { FloorResult } from './floor.js';
import { commitOf } from './commitOf.js';
import { compareMessages, keyDifference, type MessageAgreement } from './compareFindings.js';
import { plainRuleSqlFor } from './duckdbPlainRule.js';
import { describeLayout, type LayoutInfo } from './layouts.js';
import { renderMarkdown, renderSvg, scalingSvgPathFor } from './report.js';
import { DEFAULT_RULE, type Finding } from './ruleFindings.js';
import { POLARS_INSTALL, polarsAvailable } from './polarsRule.js';

export const ENGINES = ['ours', 'duckdb', 'duckdb-exact', 'polars', 'floor'] as const;
export type Engine = (typeof ENGINES)[number];
export const LAYOUTS = ['exporter', 'duckdb', 'duckdb-day'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface BenchOptions {
  workers: number[];
  runs: number;
  quick: boolean;
  layouts: Layout[];
  /** also run DuckDB's exact variant (an extra row, never the anchor) */
  exact: boolean;
  polars: boolean;
  /** re-measure the exporter row on a cached dataset */
  exportBench: boolean;
  out: string;
  argv: string[];
}

export interface Measurement {
  layout: Layout;
  workers: number;
  engine: Engine;
  runsMs: number[];
  medianMs: number;
  /** the largest peak RSS over the runs */
  peakRssBytes: number;
  rowsPerSecond: number;
  floor?: FloorResult;
}

export interface Correctness {
  findings: number;
  comparisons: number;
  /**
   * Per engine and layout (first run), how each anomaly message compares with ours (keys and counts
   * are identical by then): byte-identical, within 1e-9 relative (benchmarks/compareFindings.ts), or beyond.
   */
  messages: ({ engine: Engine; layout: Layout } & MessageAgreement)[];
}

export interface BenchResults {
  options: BenchOptions;
  command: string;
  startedAt: string;
  commit: string;
  machine: ReturnType<typeof machineInfo>;
  dataset: Dataset;
  /** when the exporter row was measured */
  exportMeasured: string;
  atMs: number;
  layouts: Partial<Record<Layout, LayoutInfo>>;
  /** the plain DuckDB query as run on each layout */
  plainSql: Partial<Record<Layout, string>>;
  measurements: Measurement[];
  profiles: Partial<Record<Layout, { workers: number; workerThreads: ProfileSummary; mainThread: ProfileSummary; dir: string }>>;
  correctness: Correctness;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const RUN_ENGINE = join(ROOT, 'dist', 'benchmarks', 'runEngine.js');

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

function usage(msg: string): never {
  log(`bench: ${msg}\nusage: npm run bench -- [--workers 1,2,4] [--runs 3] [--quick] [--layouts ${LAYOUTS.join(',')}] [--no-exact] [--no-polars] [--no-export] [--out FILE]`);
  process.exit(2);
}

export function parseOptions(argv: string[]): BenchOptions {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        workers: { type: 'string', default: '2' },
        runs: { type: 'string', default: '3' },
        quick: { type: 'boolean', default: false },
        layouts: { type: 'string', default: LAYOUTS.join(',') },
        'no-exact': { type: 'boolean', default: false },
        'no-polars': { type: 'boolean', default: false },
        'no-export': { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  const workers = v.workers!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (workers.length === 0 || workers.some((w) => !Number.isInteger(w) || w < 1 || w > 1024)) usage(`--workers: expected a list like 1,2,4, got "${v.workers}"`);
  if (new Set(workers).size !== workers.length) usage(`--workers: a count is listed twice in "${v.workers}"`);
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) usage(`--runs: expected a positive integer, got "${v.runs}"`);
  const layouts = v.layouts!.split(',').map((s) => s.trim()).filter(Boolean);
  for (const l of layouts) if (!(LAYOUTS as readonly string[]).includes(l)) usage(`--layouts: "${l}" is not one of ${LAYOUTS.join(', ')}`);
  if (layouts.length === 0) usage('--layouts: name at least one layout');
  const quick = v.quick!;
  return {
    workers, runs, quick, layouts: layouts as Layout[], exact: !v['no-exact'], polars: !v['no-polars'], exportBench: !v['no-export'],
    out: v.out ?? (quick ? 'benchmarks/RESULTS-quick.md' : 'benchmarks/RESULTS.md'), argv,
  };
}

interface ChildRun { ms: number; peakRssBytes: number; stdout: string; stderr: string; code: number | null; signal: string | null }

/** Runs a node script as a child; wall time from spawn to exit, peak RSS from /proc polling. */
function runChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const rss = sampleChildRss(child.pid!);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let ms = 0;
    let peak = 0;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => { rss.stop(); reject(e); });
    child.on('exit', () => { ms = performance.now() - t0; peak = rss.stop(); });
    child.on('close', (code, signal) => resolvePromise({
      ms, peakRssBytes: peak, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, signal,
    }));
  });
}

function parseNdjson(text: string): Finding[] {
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Finding);
}

function engineArgs(engine: Engine, data: string, atMs: number, workers: number): { args: string[]; env: NodeJS.ProcessEnv } {
  if (engine === 'ours') {
    return { args: [CLI, 'detect', '--data', data, '--at', String(atMs), '--workers', String(workers), '--format', 'ndjson', '--quiet'], env: process.env };
  }
  const env = engine === 'polars' ? { ...process.env, POLARS_MAX_THREADS: String(workers) } : process.env;
  return { args: [RUN_ENGINE, engine, '--data', data, '--at', String(atMs), '--threads', String(workers)], env };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const spec = { ...(options.quick ? QUICK : FULL), root: options.quick ? 'data/bench-quick' : 'data/bench' };
  process.chdir(ROOT);
  log(`bench: dataset in ${spec.root}/ (made once, then cached)`);
  const { dataset, fresh } = await ensureDataset(spec, CLI, log);
  let exportMeasured = fresh ? 'when the dataset was made, in this run' : 'skipped (--no-export): figures from when the dataset was made';
  if (!fresh && options.exportBench) {
    log('bench: the exporter row: export the same rows again (scratch folder) and time DuckDB writing them');
    Object.assign(dataset, await measureExports(dataset, CLI, log));
    exportMeasured = 'in this run';
  }
  const atMs = Date.parse(dataset.spec.end);
  const dirs: Record<Layout, string> = { exporter: dataset.exporterDir, duckdb: dataset.duckdbDir, 'duckdb-day': dataset.duckdbDayDir };
  log(`bench: ${dataset.rows} rows; layouts ${LAYOUTS.map((l) => `${l} ${dirs[l]}`).join(', ')}`);
  const polars = options.polars && (await polarsAvailable());
  if (options.polars && !polars) log(`bench: Polars is not installed, so it is left out (to include it: ${POLARS_INSTALL})`);
  const engines = ENGINES.filter((e) => (e !== 'polars' || polars) && (e !== 'duckdb-exact' || options.exact));

  const layouts: BenchResults['layouts'] = {};
  const plainSql: BenchResults['plainSql'] = {};
  for (const layout of options.layouts) {
    layouts[layout] = await describeLayout(dirs[layout], atMs);
    plainSql[layout] = (await plainRuleSqlFor(dirs[layout], { ...DEFAULT_RULE, atMs })).sql;
  }

  const samples = new Map<string, { ms: number[]; rss: number[]; floor?: FloorResult }>();
  let reference: Finding[] | undefined;
  const correctness: Correctness = { findings: 0, comparisons: 0, messages: [] };
  /** message agreement, judged on the first run of each engine and layout */
  const noteMessages = (engine: Engine, layout: Layout, ref: Finding[], got: Finding[]) => {
    if (correctness.messages.some((d) => d.engine === engine && d.layout === layout)) return;
    const entry = { engine, layout, ...compareMessages(ref, got, engine) };
    if (entry.example) log(`bench: WARNING: ${engine} (${layout} layout): ${entry.beyond} messages beyond 1e-9 relative, e.g.\n  ${entry.example.join('\n  ')}`);
    correctness.messages.push(entry);
  };

  for (const layout of options.layouts) {
    for (const workers of options.workers) {
      for (let run = 0; run < options.runs; run++) {
        const line: string[] = [];
        for (const engine of engines) {
          const { args, env } = engineArgs(engine, dirs[layout], atMs, workers);
          const r = await runChild(args, env);
          if (r.code !== 0) {
            throw new Error(`bench: ${engine} failed on the ${layout} layout with ${workers} threads (exit ${r.code ?? r.signal}):\n` +
              `  node ${args.map((a) => relative(ROOT, a) || a).join(' ')}\n${r.stderr.slice(-3000)}` +
              (engine === 'polars' ? '\n(Polars needs several GiB on the full dataset; --no-polars leaves it out)' : ''));
          }
          const key = `${layout}\0${workers}\0${engine}`;
          let s = samples.get(key);
          if (!s) samples.set(key, (s = { ms: [], rss: [] }));
          s.ms.push(r.ms);
          s.rss.push(r.peakRssBytes);
          if (engine === 'floor') {
            s.floor = JSON.parse(r.stdout) as FloorResult;
          } else {
            const found = parseNdjson(r.stdout);
            if (!reference) {
              if (engine !== 'ours') throw new Error('bench: egress-anomaly must run first');
              reference = found;
              correctness.findings = found.length;
            } else {
              const diff = keyDifference(reference, found, `${engine} (${layout} layout, ${workers} threads, run ${run + 1})`);
              if (diff) throw new Error(`bench: ${diff}`);
              correctness.comparisons++;
              noteMessages(engine, layout, reference, found);
            }
          }
          line.push(`${engine} ${formatSeconds(r.ms)} s ${formatBytes(r.peakRssBytes)}`);
        }
        log(`bench: [${layout} layout, ${workers} threads, run ${run + 1}/${options.runs}] ${line.join(' | ')}`);
      }
    }
  }

  const measurements: Measurement[] = [...samples].map(([key, s]) => {
    const [layout, workers, engine] = key.split('\0');
    const medianMs = median(s.ms);
    return {
      layout: layout as Layout, workers: Number(workers), engine: engine as Engine, runsMs: s.ms, medianMs,
      peakRssBytes: Math.max(...s.rss), rowsPerSecond: dataset.rows / (medianMs / 1000), floor: s.floor,
    };
  });

  // Where the time goes: one profiled detect per layout.
  const profiles: BenchResults['profiles'] = {};
  const profWorkers = options.workers.includes(2) ? 2 : options.workers[0];
  for (const layout of options.layouts) {
    const dir = join(spec.root, 'profiles', layout);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const { args } = engineArgs('ours', dirs[layout], atMs, profWorkers);
    log(`bench: profiling detect on the ${layout} layout (--cpu-prof, ${profWorkers} workers)`);
    const r = await runChild(['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args]);
    if (r.code !== 0) throw new Error(`bench: profiled detect failed:\n${r.stderr.slice(-3000)}`);
    const p = profilesIn(dir);
    profiles[layout] = { workers: profWorkers, workerThreads: summariseProfiles(p.workers, 15), mainThread: summariseProfiles(p.main, 8), dir };
  }

  const outPath = resolve(ROOT, options.out);
  const svgPath = scalingSvgPathFor(outPath);
  const results: BenchResults = {
    options, command: `npm run bench${options.argv.length ? ` -- ${options.argv.join(' ')}` : ''}`, startedAt, commit: commitOf(ROOT),
    machine: machineInfo(), dataset, exportMeasured, atMs, layouts, plainSql, measurements, profiles, correctness,
  };
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(svgPath, renderSvg(results));
  writeFileSync(outPath, renderMarkdown(results, relative(dirname(outPath), svgPath)));
  const raw = join(ROOT, spec.root, `results-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(raw, JSON.stringify(results, null, 2) + '\n');
  log(`bench: wrote ${relative(ROOT, outPath)}, ${relative(ROOT, svgPath)} and ${relative(ROOT, raw)}`);
  process.stdout.write(renderMarkdown(results, relative(dirname(outPath), svgPath), { summaryOnly: true }));
  const beyond = correctness.messages.filter((m) => m.beyond > 0);
  if (beyond.length) {
    throw new Error(`bench: messages differ beyond 1e-9 relative (${beyond.map((m) => `${m.engine} on ${m.layout}: ${m.beyond}`).join(', ')}); ` +
      `the results were written, with the difference shown under Correctness`);
  }
}

main().catch((err: unknown) => {
  log((err as Error)?.message ?? String(err));
  if (process.env.EGRESS_ANOMALY_DEBUG) log((err as Error)?.stack ?? '');
  process.exit(1);
});
