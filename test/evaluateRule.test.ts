import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../src/evaluate/evaluateRule.js';
import { parseSuppressions } from '../src/evaluate/suppressions.js';
import { detectWindow } from '../src/plan/scanWindow.js';
import { PartialMerger } from '../src/reduce/mergePartials.js';
import { DEFAULT_PARAMS, type RuleParams } from '../src/rule/rule.js';
import { Accumulator } from '../src/scan/accumulator.js';
import { batchOf, type Row } from './helpers/batch.js';

const T = Date.UTC(2026, 0, 31);
const H = 3_600_000;
const METRICS = ['tcp.bytes', 'udp.bytes'];

function run(rows: Row[], params: Partial<RuleParams> = {}, split = 1, suppress?: string) {
  const p = { ...DEFAULT_PARAMS, ...params };
  const w = detectWindow(T, p);
  const merger = new PartialMerger(METRICS, w);
  for (let s = 0; s < split; s++) {
    const acc = new Accumulator(METRICS, w);
    acc.add(batchOf(rows.filter((_, i) => i % split === s), METRICS));
    merger.add(acc.finish());
  }
  const state = merger.result();
  return evaluateRule(state, p, T,
    suppress === undefined ? undefined : parseSuppressions(suppress, 'test'));
}

/** A baseline of 0..9 repeated (avg 4.5, stdev ~2.887), then `hot` recent buckets at `value`. */
function scenario(key: { cluster: string; workload: string; process: string }, hot: number, value: number, metric = 'tcp.bytes'): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 200; i++) rows.push({ ts: T - 2 * H - i * 60_000, ...key, [metric]: i % 10 });
  for (let b = 0; b < hot; b++) rows.push({ ts: T - H + b * 10_000 + 3, ...key, [metric]: value });
  return rows;
}

const A = { cluster: 'c1', workload: 'w', process: 'p' };

describe('evaluateRule', () => {
  it('--min-value: a bucket below its metric\'s floor is not an anomaly; the first glob that matches applies', () => {
    expect(run(scenario(A, 7, 100), { minValues: [['tcp.*', 100]] })[0].count).toBe(7);
    expect(run(scenario(A, 7, 100), { minValues: [['tcp.*', 100.5]] })).toHaveLength(0);
    expect(run(scenario(A, 7, 100), { minValues: [['udp.*', 1e9]] })[0].count).toBe(7);
    expect(run(scenario(A, 7, 100), { minValues: [['tcp.bytes', 1], ['*', 1e9]] })[0].count).toBe(7);
    expect(run(scenario(A, 7, 100), { minValues: [['*', 1e9], ['tcp.bytes', 1]] })).toHaveLength(0);
  });

  it('evaluates only the metrics its patterns match when a scan holds other rules\' metrics too', () => {
    const rows = [...scenario(A, 7, 100), ...scenario(A, 7, 100, 'udp.bytes')];
    expect(run(rows)[0].count).toBe(14);
    expect(run(rows, { metricPatterns: ['udp.*'] })[0].count).toBe(7);
    expect(run(rows, { metricPatterns: ['nothing.*'] })).toHaveLength(0);
  });

  it('reports a key with more than min count anomalous buckets, not one with exactly min count', () => {
    expect(run(scenario(A, 6, 100))).toHaveLength(1);
    expect(run(scenario(A, 5, 100))).toHaveLength(0);
    expect(run(scenario(A, 5, 100), { minCount: 4 })).toHaveLength(1);
  });

  it('builds the published finding with sorted distinct messages', () => {
    const [f] = run(scenario(A, 7, 100));
    expect(f.count).toBe(7);
    expect(f.host).toBe('c1');
    expect(f.detection_time).toBe('2026-01-31T00:00:00.000Z');
    expect(f.anomalies).toHaveLength(1);
    expect(f.anomalies[0]).toMatch(/^tcp\.bytes higher than average by 33\.17 Standard Deviations\. tcp\.bytes=100 avg_tcp\.bytes=4\.5 'stdev_tcp\.bytes'=2\.879489066906169$/);
    expect(f.risk_message).toBe('Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster c1');
  });

  it('averages the raw values of a bucket and compares the mean, strictly above the threshold', () => {
    const base = scenario(A, 0, 0);
    const rows = [...base];
    for (let b = 0; b < 6; b++) {
      rows.push({ ts: T - H + b * 10_000, ...A, 'tcp.bytes': 100 });
      rows.push({ ts: T - H + b * 10_000 + 9_999, ...A, 'tcp.bytes': 0 });
    }
    const [f] = run(rows);
    expect(f.anomalies[0]).toContain('tcp.bytes=50 ');
    expect(run(rows, { sigma: 16 })).toHaveLength(0);
  });

  it('decides at the threshold itself: a mean one ulp above avg + 3 stdev is anomalous, the threshold is not', () => {
    const [f] = run(scenario(A, 6, 100));
    const [avg, stdev] = f.anomalies[0].match(/avg_tcp\.bytes=(\S+) 'stdev_tcp\.bytes'=(\S+)$/)!.slice(1).map(Number);
    const threshold = avg + 3 * stdev;
    const up = new Float64Array([threshold]);
    new BigInt64Array(up.buffer)[0] += 1n;
    expect(up[0]).toBeGreaterThan(threshold);
    expect(run(scenario(A, 6, threshold))).toHaveLength(0);
    expect(run(scenario(A, 6, up[0]))).toHaveLength(1);
  });

  it('pools the baseline across clusters but counts per cluster', () => {
    const rows = [...scenario(A, 6, 100), ...scenario({ ...A, cluster: 'c2' }, 0, 0)];
    for (let b = 0; b < 6; b++) rows.push({ ts: T - H + b * 10_000, ...A, cluster: 'c2', 'tcp.bytes': 100 });
    const found = run(rows);
    expect(found.map((f) => f.host)).toEqual(['c1', 'c2']);
    expect(new Set(found.map((f) => f.anomalies[0].split(' avg_')[1])).size).toBe(1);
  });

  it('gives no anomalies without a baseline, or with a single baseline value', () => {
    const recentOnly = scenario(A, 10, 100).filter((r) => r.ts >= T - H);
    expect(run(recentOnly)).toHaveLength(0);
    const one: Row[] = [{ ts: T - 2 * H, ...A, 'tcp.bytes': 1 }, ...recentOnly];
    expect(run(one)).toHaveLength(0);
  });

  it('treats stdev 0 with a higher value as infinitely many standard deviations', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 10; i++) rows.push({ ts: T - 3 * H + i, ...A, 'tcp.bytes': 7 });
    for (let b = 0; b < 6; b++) rows.push({ ts: T - 10_000 * (b + 1), ...A, 'tcp.bytes': 7.5 });
    const [f] = run(rows);
    expect(f.anomalies).toEqual(["tcp.bytes higher than average by inf Standard Deviations. tcp.bytes=7.5 avg_tcp.bytes=7 'stdev_tcp.bytes'=0"]);
  });

  it('keeps T - 1h and T - 30d in, T and T - 30d - 1 ms out', () => {
    const rows: Row[] = [
      { ts: T - 30 * 24 * H, ...A, 'tcp.bytes': 0 },
      { ts: T - 30 * 24 * H + 1, ...A, 'tcp.bytes': 2 },
      { ts: T - 30 * 24 * H - 1, ...A, 'tcp.bytes': 1e9 },
    ];
    for (let b = 0; b < 6; b++) rows.push({ ts: T - H + b * 10_000, ...A, 'tcp.bytes': 10 });
    rows.push({ ts: T, ...A, 'tcp.bytes': 10 });
    const [f] = run(rows);
    expect(f.count).toBe(6);
    expect(f.anomalies[0]).toContain("avg_tcp.bytes=1 'stdev_tcp.bytes'=1.4142135623730951");
  });

  it('in parity mode uses the baseline mean as the stdev of udp metrics only', () => {
    const rows = scenario(A, 6, 19, 'udp.bytes');
    expect(run(rows)).toHaveLength(1);
    expect(run(rows, { splunkParity: true })).toHaveLength(1);
    const [f] = run(rows, { splunkParity: true });
    expect(f.anomalies[0]).toBe("udp.bytes higher than average by 3.22 Standard Deviations. udp.bytes=19 avg_udp.bytes=4.5 'stdev_udp.bytes'=4.5");
    expect(run(scenario(A, 6, 18, 'udp.bytes'), { splunkParity: true })).toHaveLength(0);
    expect(run(scenario(A, 6, 18, 'tcp.bytes'), { splunkParity: true })).toHaveLength(1);
  });

  it('gives the same findings however the rows are split into partials', () => {
    const rows = [...scenario(A, 9, 60), ...scenario({ ...A, workload: 'x' }, 12, 40)];
    const one = JSON.stringify(run(rows));
    expect(JSON.stringify(run(rows, {}, 3))).toBe(one);
    expect(JSON.stringify(run(rows, {}, 7))).toBe(one);
  });

  it('drops suppressed findings', () => {
    const rows = [...scenario(A, 9, 60), ...scenario({ ...A, workload: 'x' }, 12, 40)];
    expect(run(rows)).toHaveLength(2);
    expect(run(rows, {}, 1, 'workload=x')).toHaveLength(1);
    expect(run(rows, {}, 1, 'host=c* process=p')).toHaveLength(0);
  });

  it('skips null keys and invalid values instead of counting them as data', () => {
    const rows = [...scenario(A, 6, 100)];
    rows.push({ ts: T - H + 5, cluster: null, workload: 'w', process: 'p', 'tcp.bytes': 100 });
    rows.push({ ts: T - 2 * H, ...A, 'tcp.bytes': -5 });
    rows.push({ ts: T - 2 * H, ...A, 'tcp.bytes': NaN });
    const [f] = run(rows);
    expect(f.count).toBe(6);
    expect(f.anomalies[0]).toContain('avg_tcp.bytes=4.5 ');
  });
});
