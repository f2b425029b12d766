/**
 * Property test: detect and hunt (in process, through the library and the compiled scan workers:
 * `npx tsc -p .` first) against the independent references on random small datasets: the naive JS
 * rule on every dataset, the DuckDB SQL rule on some, and a few through the CLI.
 *
 * Findings are compared as test/reference/compareFindings.ts does (keys, counts and message sets
 * exact; numbers within 1e-9 relative); hunt against detect at each of its T byte for byte.
 *
 * Reproducible: a fixed seed; PROPERTY_SEED and PROPERTY_RUNS override it and the run count,
 * PROPERTY_NO_SHRINK=1 reports the first failure unshrunk. fast-check prints the seed, the path
 * and the (shrunk) counterexample of a failure; the failing dataset's folder is kept.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Piscina } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingRecord, compareFindings as toolOrder, type Finding as ToolFinding } from '../../src/evaluate/finding.js';
import { detect } from '../../src/pipeline/detect.js';
import { hunt } from '../../src/pipeline/hunt.js';
import { inspectAll } from '../../src/pipeline/inspectAll.js';
import { createPool } from '../../src/pool/createPool.js';
import { DEFAULT_PARAMS, type RuleParams } from '../../src/rule/rule.js';
import { CLI, runCliAsync } from '../helpers/cli.js';
import { compareFindings } from '../reference/compareFindings.js';
import { closeReference, referenceConnection, referenceDetect, type Finding, type ReferenceOptions } from '../reference/duckdbRule.js';
import { naiveDefaultAt, naiveDetect } from '../reference/naiveRule.js';
import { SPAN, datasetArb, type DatasetSpec } from './arbitraries.js';
import { writeDataset, type WrittenDataset } from './writeDataset.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 20_260_110);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
const CLI_RUNS = 3;

let pool: Piscina;
let conn: DuckDBConnection;
let tmp: string;
let datasets = 0;
let kept = false;

beforeAll(async () => {
  if (!existsSync(join(CLI, '..', '..', '..', 'workers', 'scan.js'))) throw new Error('dist/workers/scan.js is missing: run npx tsc -p . first');
  pool = createPool('scan', 2);
  conn = await referenceConnection();
  tmp = mkdtempSync(join(tmpdir(), 'egress-property-'));
});

afterAll(async () => {
  await pool?.destroy();
  closeReference();
  // a failing dataset stays on disk for a look (the failure names its folder)
  if (tmp && !kept) rmSync(tmp, { recursive: true, force: true });
});

/** Our findings as the outputs write them, the references' shape: compared field by field. */
const records = (fs: ToolFinding[]): Finding[] => fs.map((f) => findingRecord(f) as unknown as Finding);

const paramsOf = (s: DatasetSpec): RuleParams => ({ ...DEFAULT_PARAMS, ...s.rule });
const optionsOf = (s: DatasetSpec): ReferenceOptions => ({ ...s.rule });

function huntTimes(s: DatasetSpec, at: number): { from: number; to: number; step: number; times: number[] } {
  const from = Math.floor(at / SPAN) * SPAN + s.hunt.fromBuckets * SPAN;
  const step = s.hunt.stepMs;
  const times = Array.from({ length: s.hunt.times }, (_, i) => from + i * step);
  return { from, to: times.at(-1)!, step, times };
}

/** The naive rule with the rows a null cluster would drop from the baseline dropped: whether that semantics mattered. */
function nullClusterMatters(d: WrittenDataset, at: number, opts: ReferenceOptions): boolean {
  const withCluster = d.rows.filter((r) => r.cluster !== null);
  return JSON.stringify(naiveDetect(withCluster, d.metrics, at, opts)) !== JSON.stringify(naiveDetect(d.rows, d.metrics, at, opts));
}

interface Tally {
  runs: number;
  withFindings: number;
  nullClusterMattered: number;
  duckdb: number;
  huntTimes: number;
  /** datasets far from zero where hunt and detect differed in a last digit (the known bug) */
  huntLastDigit: number;
  /** messages within tolerance of the naive (exact) reference's but not byte-identical */
  inexact: number;
}

const tally: Tally = { runs: 0, withFindings: 0, nullClusterMattered: 0, duckdb: 0, huntTimes: 0, huntLastDigit: 0, inexact: 0 };

function collect(problems: string[], what: string, expected: Finding[], got: Finding[], at: number): void {
  const c = compareFindings(expected, got, at);
  problems.push(...c.problems.map((p) => `${what}: ${p}`));
  tally.inexact += c.inexact.length;
}

/** hunt's findings against detect's at each T: byte for byte, or (for data far from zero) as the references are compared. */
function compareHunt(problems: string[], spec: DatasetSpec, grid: ReturnType<typeof huntTimes>, perT: Finding[][], hunted: ToolFinding[]): void {
  const got = records([...hunted].sort(toolOrder));
  const want = perT.flat();
  if (JSON.stringify(got) === JSON.stringify(want)) return;
  // A known tool bug (mergeOrder.test.ts): on data far from zero the compensated sums depend on the
  // order they are added in, so hunt's cell merges and detect's row order may differ in a last digit.
  if (spec.valueOffset !== 0 && got.length === want.length) {
    tally.huntLastDigit++;
    grid.times.forEach((t, i) => collect(problems, `hunt at ${t} vs detect`, perT[i]!, got.filter((f) => Date.parse(f.detection_time) === t), t));
    return;
  }
  problems.push(`hunt ${JSON.stringify(grid)} differs from detect at each T:\n  hunt   ${JSON.stringify(got)}\n  detect ${JSON.stringify(want)}`);
}

async function checkDataset(spec: DatasetSpec): Promise<string[]> {
  const d = await writeDataset(conn, join(tmp, String(datasets++)), spec);
  const params = paramsOf(spec);
  const opts = optionsOf(spec);
  const files = await inspectAll(d.dir, params.metricPatterns);
  const problems: string[] = [];
  const at = spec.defaultAt ? naiveDefaultAt(d.rows) : d.at;
  if (at === undefined) {
    await expect(detect({ files, params, pool })).rejects.toThrow(/holds no rows with a timestamp/);
    rmSync(d.dir, { recursive: true, force: true });
    return problems;
  }
  const r = await detect({ files, params, atMs: spec.defaultAt ? undefined : at, pool });
  if (r.atMs !== at) problems.push(`detect chose T = ${r.atMs}, the reference ${at}`);
  const naive = naiveDetect(d.rows, d.metrics, at, opts);
  collect(problems, `detect at ${at} vs naive`, naive, records(r.findings), at);
  tally.runs++;
  if (naive.length > 0) tally.withFindings++;
  if (nullClusterMatters(d, at, opts)) tally.nullClusterMattered++;
  if (spec.duckdb) {
    const ref = await referenceDetect(d.dir, at, opts);
    collect(problems, `detect at ${at} vs DuckDB`, ref, records(r.findings), at);
    collect(problems, `naive at ${at} vs DuckDB`, ref, naive, at);
    tally.duckdb++;
  }

  const grid = huntTimes(spec, at);
  const h = await hunt({ files, params, pool, fromMs: grid.from, toMs: grid.to, stepMs: grid.step });
  if (!h.onePass) problems.push(`hunt ${JSON.stringify(grid)} did not run in one pass`);
  const perT: Finding[][] = [];
  for (const t of grid.times) {
    const found = records((await detect({ files, params, atMs: t, pool })).findings);
    collect(problems, `detect at ${t} vs naive`, naiveDetect(d.rows, d.metrics, t, opts), found, t);
    perT.push(found);
    tally.huntTimes++;
  }
  compareHunt(problems, spec, grid, perT, h.findings);
  if (problems.length === 0) rmSync(d.dir, { recursive: true, force: true });
  else {
    writeFileSync(join(d.dir, 'spec.txt'), fc.stringify(spec));
    kept = true;
    problems.unshift(`dataset in ${d.dir} (its spec in spec.txt), T = ${at} (${new Date(at).toISOString()})`);
  }
  return problems;
}

describe('detect and hunt on random datasets', () => {
  it(`agree with the references on ${RUNS} datasets (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (spec) => {
        const problems = await checkDataset(spec);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.PROPERTY_NO_SHRINK === '1' },
    );
    console.log(`[property] ${JSON.stringify(tally)}`);
    // not vacuous: findings, the null-cluster baseline semantics and the DuckDB subset all came up
    expect(tally.withFindings).toBeGreaterThan(RUNS / 5);
    expect(tally.nullClusterMattered).toBeGreaterThan(RUNS / 50);
    expect(tally.duckdb).toBeGreaterThan(RUNS / 20);
  }, 600_000);
});

function cliRuleArgs(s: DatasetSpec): string[] {
  return [
    '--sigma', String(s.rule.sigma), '--min-count', String(s.rule.minCount), '--window', `${s.rule.windowMs / 60_000}m`,
    '--baseline', `${s.rule.baselineMs / 3_600_000}h`, '--workers', '2', '--quiet', ...(s.rule.splunkParity ? ['--splunk-parity'] : []),
  ];
}

describe('the CLI on random datasets', () => {
  it(`detect agrees with the naive reference and hunt with detect at each T, byte for byte (${CLI_RUNS} datasets)`, async () => {
    let findings = 0;
    await fc.assert(
      // far from zero hunt and detect may differ in a last digit: the known bug of mergeOrder.test.ts
      fc.asyncProperty(datasetArb.filter((s) => !s.defaultAt && s.valueOffset === 0 && s.rows.length > 60 && s.hunt.times <= 2), async (spec) => {
        const d = await writeDataset(conn, join(tmp, `cli-${datasets++}`), spec);
        const rule = cliRuleArgs(spec);
        const grid = huntTimes(spec, d.at);
        const [one, h, ...each] = await Promise.all([
          runCliAsync(['detect', '--data', d.dir, '--at', String(d.at), '--format', 'json', ...rule]),
          runCliAsync(['hunt', '--data', d.dir, '--from', String(grid.from), '--to', String(grid.to), '--step', `${grid.step / 1000}s`,
            '--format', 'ndjson', ...rule]),
          ...grid.times.map((t) => runCliAsync(['detect', '--data', d.dir, '--at', String(t), '--format', 'ndjson', ...rule])),
        ]);
        for (const r of [one, h, ...each]) expect(r.status, r.stderr).toBe(0);
        const expected = naiveDetect(d.rows, d.metrics, d.at, optionsOf(spec));
        expect(compareFindings(expected, JSON.parse(one.stdout), d.at).problems, `dataset in ${d.dir}`).toEqual([]);
        expect(h.stdout).toBe(each.map((r) => r.stdout).join(''));
        findings += expected.length + h.stdout.split('\n').filter(Boolean).length;
      }),
      { numRuns: CLI_RUNS, seed: SEED + 1 },
    );
    expect(findings).toBeGreaterThan(0);
  }, 300_000);
});
