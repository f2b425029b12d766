/**
 * Tool bugs the property test (and probing around what it found) turned up, each as the smallest
 * dataset: one series, a baseline of two values, one recent value, through the CLI. Each case first
 * checks the exact reference (naiveRule.ts: rational arithmetic, rounded once) and that the tool
 * runs, then, marked `it.fails`, that the tool agrees with it as SPEC §3 requires (1e-9 relative;
 * z = round((value - avg) / stdev, 2) printed exactly).
 *
 * - far from zero, tiny, huge: mean and variance come from sums of values and squares in
 *   double-double, sumSq - sum^2 / n. That loses about log2(mean^2 / variance) of its ~106 bits, so
 *   2^40 + 1/3 noise keeps too few (stdev off by 2.7e-7), squares of 1e-200 underflow to 0
 *   (stdev 0, so z = inf) and squares of 1e200 overflow (stdev NaN, so no anomaly at all).
 * - huge z (fixed: `fixed` cases must agree): roundZ computed Math.round(z * 100) / 100, and z * 100
 *   rounds first once z is near 2^53 / 100: z = 17999999999999.004 printed as 17999999999999.01.
 * The property test's generator stays clear of these until they are fixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closeDuckDB, writeParquetWithDuckDB } from '../helpers/duckdbParquet.js';
import { compareFindings } from '../reference/compareFindings.js';
import type { LRow } from '../reference/edgeCases.js';
import { naiveDetect } from '../reference/naiveRule.js';

const T = Date.UTC(2026, 0, 10, 12);
const H = 3_600_000;

interface Case {
  name: string;
  metric: string;
  /** two baseline values, then the recent one */
  values: [number, number | null, number];
  parity?: boolean;
  /** the reference's one message */
  message: string;
  /** the tool agrees now */
  fixed?: boolean;
}

const CASES: Case[] = [
  {
    name: 'far from zero: 2^40 + 1/3 and 2^40',
    metric: 'tcp.bytes',
    values: [2 ** 40 + 1 / 3, 2 ** 40, 2 ** 40 + 50],
    message: "tcp.bytes higher than average by 211.48 Standard Deviations. tcp.bytes=1099511627826 avg_tcp.bytes=1099511627776.1665 'stdev_tcp.bytes'=0.23564471589834896",
  },
  {
    name: 'tiny: 1e-200 and 3e-200',
    metric: 'tcp.bytes',
    values: [1e-200, 3e-200, 1e-190],
    message: "tcp.bytes higher than average by 7071067810.45 Standard Deviations. tcp.bytes=1e-190 avg_tcp.bytes=2e-200 'stdev_tcp.bytes'=1.414213562373095e-200",
  },
  {
    name: 'huge: 1e200 and 3e200',
    metric: 'tcp.bytes',
    values: [1e200, 3e200, 1e201],
    message: "tcp.bytes higher than average by 5.66 Standard Deviations. tcp.bytes=1e+201 avg_tcp.bytes=2e+200 'stdev_tcp.bytes'=1.414213562373095e+200",
  },
  {
    name: 'huge z: 17999999999999.004 (parity, so stdev = avg = 1e-12)',
    metric: 'udp.bytes',
    values: [1e-12, null, 18],
    parity: true,
    message: "udp.bytes higher than average by 17999999999999 Standard Deviations. udp.bytes=18 avg_udp.bytes=1e-12 'stdev_udp.bytes'=1e-12",
    fixed: true,
  },
];

const OFFSETS = [-2 * H, -3 * H, -60_000];
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'egress-limits-'));
  for (const [i, c] of CASES.entries()) {
    const rows = c.values.flatMap((v, j) => (v === null ? [] : [`(${T + OFFSETS[j]!}, ${String(v)}::DOUBLE)`])).join(', ');
    await writeParquetWithDuckDB(join(root, String(i), 'data.parquet'),
      `SELECT make_timestamp(t * 1000) AS "timestamp", 'c0' AS "k8s.cluster.name", 'w' AS "source.workload.name", ` +
      `'p' AS "source.process.name", v AS "${c.metric}" FROM (VALUES ${rows}) x(t, v)`);
  }
  closeDuckDB();
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function reference(c: Case) {
  const rows: LRow[] = c.values.flatMap((v, j) => (v === null ? [] : [{
    tsNs: BigInt(T + OFFSETS[j]!) * 1_000_000n, cluster: 'c0', workload: 'w', process: 'p', m: { [c.metric]: v },
  }]));
  return naiveDetect(rows, [c.metric], T, { minCount: 0, splunkParity: c.parity });
}

function tool(i: number, c: Case) {
  const r = runCli(['detect', '--data', join(root, String(i)), '--at', String(T), '--min-count', '0', '--format', 'json', '--quiet',
    ...(c.parity ? ['--splunk-parity'] : [])]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

describe.each(CASES.map((c, i) => [c.name, i, c] as const))('%s', (_name, i, c) => {
  it('the exact reference gives the one message, and the tool runs', () => {
    expect(reference(c).map((f) => f.anomalies)).toEqual([[c.message]]);
    expect(Array.isArray(tool(i, c))).toBe(true);
  });

  const agrees = () => {
    const got = tool(i, c) as { anomalies?: string[] }[];
    expect(compareFindings(reference(c), got, T).problems).toEqual([]);
    expect(got[0]?.anomalies).toEqual([c.message]);
  };
  if (c.fixed) it('the tool agrees with it', agrees);
  else it.fails('the tool agrees with it (a tool bug, see above)', agrees);
});
