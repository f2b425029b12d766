/**
 * Differential test: the project's CLI (`node dist/src/cli/main.js detect ...`, built by
 * `npm run build`) against an independent DuckDB SQL reference (test/reference/duckdbRule.ts), on
 * edge-case datasets (test/reference/edgeCases.ts) and on a dataset from the project's exporter.
 *
 * Comparison: test/reference/compareFindings.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  closeReference,
  referenceConnection,
  referenceDefaultAt,
  referenceDetect,
  referenceDetectDetailed,
  type Finding,
  type ReferenceOptions,
} from './reference/duckdbRule.js';
import {
  DATASET_WRITERS,
  DAY,
  HAND_EXPECTED,
  HAND_EXPECTED_PARITY,
  HOUR,
  HALFWIDTH_WORKLOAD,
  SURROGATE_WORKLOAD,
  T0,
  type EdgeDataset,
} from './reference/edgeCases.js';
import { compareFindings } from './reference/compareFindings.js';
import { naiveDetect } from './reference/naiveRule.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

let conn: DuckDBConnection;
let tmp: string;
const ds: Record<string, EdgeDataset> = {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-differential-'));
  conn = await referenceConnection();
  for (const [name, write] of Object.entries(DATASET_WRITERS)) ds[name] = await write(conn, join(tmp, name));
});

afterAll(() => {
  closeReference();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// -----------------------------------------------------------------------------------------------
// CLI and comparison helpers
// -----------------------------------------------------------------------------------------------

interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): CliRun {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status?: number | null; stdout?: string; stderr?: string; message: string };
    return { status: err.status ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? err.message };
  }
}

function detectArgs(dir: string, at: number | undefined, extra: string[] = []): string[] {
  return ['detect', '--data', dir, ...(at === undefined ? [] : ['--at', String(at)]), '--format', 'json', ...extra];
}

/** Runs the CLI and the reference, returns the list of discrepancies (empty when they agree). */
async function differential(
  dir: string,
  at: number,
  cliExtra: string[] = [],
  opts: ReferenceOptions = {},
  cliAt: number | undefined = at,
): Promise<{ problems: string[]; expected: Finding[]; stdout: string }> {
  const expected = await referenceDetect(dir, at, opts);
  const run = runCli(detectArgs(dir, cliAt, cliExtra));
  if (run.status !== 0) {
    return { problems: [`CLI exited ${run.status}: ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`], expected, stdout: run.stdout };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    return { problems: [`CLI stdout is not JSON: ${run.stdout.slice(0, 300)}`], expected, stdout: run.stdout };
  }
  const { problems, inexact } = compareFindings(expected, parsed, at);
  if (inexact.length) {
    console.log(`[differential] ${dir}: ${inexact.length} message(s) equal within tolerance but not byte-identical, e.g.\n${inexact.slice(0, 3).join('\n')}`);
  }
  return { problems, expected, stdout: run.stdout };
}

const summary = (fs: Finding[]) => fs.map((f) => `${f.host}/${f['source.workload.name']}/${f['source.process.name']}=${f.count}`);

// -----------------------------------------------------------------------------------------------
// The reference by itself
// -----------------------------------------------------------------------------------------------

describe('reference implementation self-check', () => {
  it('matches the hand-computed case', async () => {
    expect(await referenceDetect(ds.hand!.dir, T0)).toEqual(HAND_EXPECTED);
  });

  it('matches the hand-computed case in parity mode', async () => {
    expect(await referenceDetect(ds.hand!.dir, T0, { splunkParity: true })).toEqual(HAND_EXPECTED_PARITY);
  });

  const scenarioAKeys = [
    'Zeta/cache/redis=7',
    'alpha/cache/redis=6',
    'prod-east/auth/node=7',
    'prod-east/checkout/Java=6',
    'prod-east/checkout/java=15',
    'prod-east/ingest/fluentd=6',
    'prod-east/payments/envoy=6',
    `prod-east/${SURROGATE_WORKLOAD}/x=6`,
    `prod-east/${HALFWIDTH_WORKLOAD}/x=6`,
    'prod-west/edge/curl=12',
  ];

  for (const name of ['core', 'nanos', 'epoch-ms', 'hive', 'mixed-units', 'parquet-v2']) {
    it(`finds the designed keys and counts in ${name}`, async () => {
      const r = await referenceDetectDetailed(ds[name]!.dir, T0);
      expect(summary(r.findings)).toEqual(scenarioAKeys);
      expect(r.metrics).toEqual(['tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'udp.bytes', 'udp.packets']);
      // prod-west/checkout/java: exactly 5 pairs, not reported
      expect(r.pairs.filter((p) => p.cluster === 'prod-west' && p.workload === 'checkout').length).toBe(5);
    });
  }

  it('finds the designed parity-mode keys in core', async () => {
    const r = await referenceDetectDetailed(ds.core!.dir, T0, { splunkParity: true });
    const s = summary(r.findings);
    expect(s).toContain('prod-east/lonely/sh=16');
    expect(s).toContain('prod-east/stream/gst=7');
    expect(s.some((x) => x.startsWith('prod-east/payments/'))).toBe(false);
    expect(r.pairs.filter((p) => p.cluster === 'prod-west' && p.workload === 'checkout').length).toBe(3);
  });

  it('finds the designed keys in the integer / tcp-only datasets', async () => {
    for (const name of ['micros-int-tcp-only', 'string-metric-like']) {
      const r = await referenceDetectDetailed(ds[name]!.dir, T0);
      expect(summary(r.findings)).toEqual(['c1/api/gunicorn=11', 'c1/api/nginx=6', 'c2/api/gunicorn=8']);
      expect(r.metrics).toEqual(['tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'tcp.retransmits']);
    }
  });

  it('finds the designed keys in float-traps', async () => {
    expect(summary(await referenceDetect(ds['float-traps']!.dir, T0))).toEqual([
      'f1/const/tenth=6',
      'f1/float/single=8',
      'f2/const/tenth=7',
    ]);
  });

  for (const name of Object.keys(DATASET_WRITERS)) {
    it(`agrees with the naive JS implementation on ${name}`, async () => {
      const d = ds[name]!;
      const variants: [number, ReferenceOptions][] = [
        [d.at, {}],
        [d.at + 3500, {}],
        [d.at, { splunkParity: true }],
        [d.at, { sigma: 2, minCount: 3 }],
        [d.at, { windowMs: 2 * HOUR, spanMs: 30_000, baselineMs: 7 * DAY }],
      ];
      const problems: string[] = [];
      for (const [at, opts] of variants) {
        const ref = await referenceDetect(d.dir, at, opts);
        const naive = naiveDetect(d.rows, d.metrics, at, opts);
        const c = compareFindings(ref, naive, at);
        problems.push(...c.problems.map((p) => `${name} ${at} ${JSON.stringify(opts)}: ${p}`));
        if (c.inexact.length) console.log(`[self-check] ${name}: ${c.inexact.length} inexact, e.g. ${c.inexact[0]}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('computes the default T as the end of the last bucket', async () => {
    expect(await referenceDefaultAt(ds.core!.dir)).toBe(T0 + 10_000);
  });
});

// -----------------------------------------------------------------------------------------------
// CLI against the reference
// -----------------------------------------------------------------------------------------------

describe('CLI against the DuckDB reference', () => {
  it('the CLI has been built', () => {
    expect(existsSync(CLI), `${CLI} missing: run npm run build`).toBe(true);
  });

  for (const name of Object.keys(DATASET_WRITERS)) {
    it(`agrees on ${name}`, async () => {
      const d = ds[name]!;
      const { problems } = await differential(d.dir, d.at);
      expect(problems, `${name}: ${d.description}`).toEqual([]);
    });
  }

  for (const name of Object.keys(DATASET_WRITERS)) {
    it(`agrees on ${name} with --baseline-model hour-of-day`, async () => {
      const d = ds[name]!;
      const { problems } = await differential(d.dir, d.at, ['--baseline-model', 'hour-of-day'], { hourOfDay: true });
      expect(problems, `${name}: ${d.description}`).toEqual([]);
    });
  }

  for (const name of Object.keys(DATASET_WRITERS)) {
    it(`agrees on ${name} with --baseline-model hour-of-day --weekday-split`, async () => {
      const d = ds[name]!;
      const { problems } = await differential(d.dir, d.at, ['--baseline-model', 'hour-of-day', '--weekday-split'], { hourOfDay: true, weekdaySplit: true });
      expect(problems, `${name}: ${d.description}`).toEqual([]);
    });
  }

  it('agrees on core with --weekday-split on a weekday and a weekend T, unaligned', async () => {
    const args = ['--baseline-model', 'hour-of-day', '--weekday-split'];
    const ref = { hourOfDay: true, weekdaySplit: true };
    // T0 is a Saturday noon: T0 - 1 d + 3500 ms is a Friday's, its baseline the earlier weekdays'
    const weekend = await differential(ds.core!.dir, T0 + 3500, args, ref);
    const weekday = await differential(ds.core!.dir, T0 - DAY + 3500, args, ref);
    expect([...weekend.problems, ...weekday.problems]).toEqual([]);
    const unsplit = await differential(ds.core!.dir, T0 + 3500, ['--baseline-model', 'hour-of-day'], { hourOfDay: true });
    expect(JSON.stringify(weekend.expected)).not.toBe(JSON.stringify(unsplit.expected));
  });

  it('agrees on core with --baseline-model hour-of-day, an unaligned T and a 2 h window', async () => {
    const a = await differential(ds.core!.dir, T0 + 3500, ['--baseline-model', 'hour-of-day'], { hourOfDay: true });
    const b = await differential(ds.core!.dir, T0 + 3500, ['--baseline-model', 'hour-of-day', '--window', '2h'], { hourOfDay: true, windowMs: 2 * HOUR });
    expect([...a.problems, ...b.problems]).toEqual([]);
    // the model changes what is found: otherwise this test could not tell the two apart
    expect(JSON.stringify(a.expected)).not.toBe(JSON.stringify((await differential(ds.core!.dir, T0 + 3500)).expected));
  });

  it('agrees on core with an unaligned T', async () => {
    const { problems } = await differential(ds.core!.dir, T0 + 3500);
    expect(problems).toEqual([]);
  });

  it('agrees on core with the default T', async () => {
    const at = await referenceDefaultAt(ds.core!.dir);
    const { problems } = await differential(ds.core!.dir, at!, [], {}, undefined);
    expect(problems).toEqual([]);
  });

  it('agrees on core in --splunk-parity mode', async () => {
    const { problems } = await differential(ds.core!.dir, T0, ['--splunk-parity'], { splunkParity: true });
    expect(problems).toEqual([]);
  });

  it('agrees on the hand case and float-traps in --splunk-parity mode', async () => {
    const a = await differential(ds.hand!.dir, T0, ['--splunk-parity'], { splunkParity: true });
    const b = await differential(ds['float-traps']!.dir, T0, ['--splunk-parity'], { splunkParity: true });
    expect([...a.problems, ...b.problems]).toEqual([]);
  });

  it('agrees on core with --sigma 2 --min-count 3', async () => {
    const { problems } = await differential(ds.core!.dir, T0, ['--sigma', '2', '--min-count', '3'], { sigma: 2, minCount: 3 });
    expect(problems).toEqual([]);
  });

  it('agrees on core with --window 2h --span 30s --baseline 7d', async () => {
    const { problems } = await differential(
      ds.core!.dir,
      T0,
      ['--window', '2h', '--span', '30s', '--baseline', '7d'],
      { windowMs: 2 * HOUR, spanMs: 30_000, baselineMs: 7 * DAY },
    );
    expect(problems).toEqual([]);
  });

  it('prints byte-identical output with 1, 2 and 4 workers', () => {
    const outs = [1, 2, 4].map((w) => runCli(detectArgs(ds.hive!.dir, T0, ['--workers', String(w)])));
    expect(outs.map((o) => o.status)).toEqual([0, 0, 0]);
    expect(outs[1]!.stdout).toBe(outs[0]!.stdout);
    expect(outs[2]!.stdout).toBe(outs[0]!.stdout);
  });

  it(
    "agrees on the project's exporter output (3 days, seed 7), with byte-identical output across worker counts",
    async () => {
      const dir = join(tmp, 'exported');
      const end = '2026-01-04T00:00:00Z';
      const exp = runCli(['export', '--out', dir, '--days', '3', '--seed', '7', '--end', end, '--clusters', '2', '--workloads', '6']);
      expect(exp.status, exp.stderr).toBe(0);
      const at = Date.parse(end);
      const { problems, expected, stdout } = await differential(dir, at, ['--workers', '1']);
      console.log(`[differential] exporter dataset: reference findings ${JSON.stringify(summary(expected))}`);
      expect(problems).toEqual([]);
      for (const w of [2, 4]) {
        const r = runCli(detectArgs(dir, at, ['--workers', String(w)]));
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout, `--workers ${w} differs from --workers 1`).toBe(stdout);
      }
    },
    300_000,
  );
});
