import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../src/evaluate/evaluateRule.js';
import { findingSeries } from '../src/evaluate/findingSeries.js';
import { detectWindow } from '../src/plan/scanWindow.js';
import { PartialMerger } from '../src/reduce/mergePartials.js';
import { anomalyMessage } from '../src/rule/anomalyMessage.js';
import { DEFAULT_PARAMS, type RuleParams } from '../src/rule/rule.js';
import { Accumulator } from '../src/scan/accumulator.js';
import { batchOf, type Row } from './helpers/batch.js';
import { rng } from './helpers/rng.js';

const T = Date.UTC(2026, 0, 31);
const H = 3_600_000;
const METRICS = ['tcp.bytes', 'tcp.packets', 'udp.bytes'];

function stateOf(rows: Row[], params: RuleParams) {
  const w = detectWindow(T, params);
  const merger = new PartialMerger(METRICS, w);
  const acc = new Accumulator(METRICS, w);
  acc.add(batchOf(rows, METRICS));
  merger.add(acc.finish());
  return { state: merger.result(), range: T };
}

/** Random baselines and a recent hour with bursts, over a few clusters, keys and metrics. */
function randomRows(seed: number): Row[] {
  const rnd = rng(seed);
  const rows: Row[] = [];
  const keys = [['api', 'java'], ['db', 'postgres'], ['batch', 'python']];
  for (const [workload, process] of keys) {
    for (let i = 0; i < 300; i++) {
      rows.push({
        ts: T - 2 * H - i * 60_000, cluster: rnd() < 0.5 ? 'c1' : 'c2', workload, process,
        'tcp.bytes': 100 + 10 * rnd(), 'tcp.packets': rnd() < 0.3 ? null : 5 + rnd(), 'udp.bytes': 20 + 4 * rnd(),
      });
    }
    for (const cluster of ['c1', 'c2', 'c3']) {
      for (let b = 0; b < 360; b++) {
        if (rnd() < 0.4) continue; // empty buckets
        const hot = rnd() < 0.1;
        rows.push({
          ts: T - H + b * 10_000 + Math.floor(rnd() * 10_000), cluster, workload, process,
          'tcp.bytes': hot ? 200 + 100 * rnd() : 100 + 10 * rnd(),
          'tcp.packets': hot && rnd() < 0.5 ? 50 : 5 + rnd(),
          'udp.bytes': hot ? 20 + 200 * rnd() : 22,
        });
      }
    }
  }
  return rows;
}

describe('findingSeries', () => {
  it.each([false, true])('counts exactly the anomalies evaluateRule counts, with its messages (parity %s)', (splunkParity) => {
    const params = { ...DEFAULT_PARAMS, splunkParity };
    const metricsSeen = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const { state, range } = stateOf(randomRows(seed), params);
      const findings = evaluateRule(state, params, range, undefined);
      expect(findings.length).toBeGreaterThan(0);
      const series = findingSeries(state, params, findings, range);
      expect(series).toHaveLength(findings.length);
      findings.forEach((f, i) => {
        const s = series[i];
        expect([s.host, s.workload, s.process, s.atMs]).toEqual([f.host, f.key[0], f.key[1], T]);
        expect(s.metrics.reduce((n, m) => n + m.anomalies.length, 0)).toBe(f.count);
        const messages = new Set<string>();
        for (const m of s.metrics) {
          metricsSeen.add(m.metric);
          expect(m.values).toHaveLength(s.times.length);
          expect(m.sigma).toBe(3);
          if (splunkParity && m.metric.startsWith('udp.')) expect(m.stdev).toBe(m.avg);
          for (const a of m.anomalies) {
            const v = m.values[a.index];
            expect(v).not.toBeNull();
            expect(v!).toBeGreaterThan(m.avg + 3 * m.stdev);
            expect(a.z).toBeCloseTo((v! - m.avg) / m.stdev, 12);
            messages.add(anomalyMessage(m.metric, v!, m.avg, m.stdev));
          }
          // every non-anomalous defined bucket is at or under the threshold
          const anomalous = new Set(m.anomalies.map((a) => a.index));
          m.values.forEach((v, b) => { if (v !== null && !anomalous.has(b)) expect(v).toBeLessThanOrEqual(m.avg + 3 * m.stdev); });
        }
        expect([...messages].sort()).toEqual(f.anomalies);
      });
    }
    expect([...metricsSeen].sort()).toEqual(METRICS);
  });

  it('gives bucket start times over the window, null for empty buckets, only metrics with an anomaly', () => {
    const A = { cluster: 'c1', workload: 'w', process: 'p' };
    const rows: Row[] = [];
    for (let i = 0; i < 200; i++) rows.push({ ts: T - 2 * H - i * 60_000, ...A, 'tcp.bytes': i % 10, 'udp.bytes': i % 10 });
    for (let b = 0; b < 6; b++) rows.push({ ts: T - H + b * 20_000 + 3, ...A, 'tcp.bytes': 100, 'udp.bytes': 1 });
    rows.push({ ts: T - H + 20_000 + 5, ...A, 'tcp.bytes': 50 }); // bucket 2 averages 75
    const params = DEFAULT_PARAMS;
    const { state, range } = stateOf(rows, params);
    const findings = evaluateRule(state, params, range, undefined);
    expect(findings).toHaveLength(1);
    const [s] = findingSeries(state, params, findings, range);
    expect(s.times).toHaveLength(360);
    expect(s.times[0]).toBe(T - H);
    expect(s.times[359]).toBe(T - 10_000);
    expect(s.metrics.map((m) => m.metric)).toEqual(['tcp.bytes']);
    const [m] = s.metrics;
    expect(m.values.filter((v) => v !== null)).toHaveLength(6);
    expect(m.values[0]).toBe(100);
    expect(m.values[1]).toBeNull();
    expect(m.values[2]).toBe(75);
    expect(m.anomalies.map((a) => a.index)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(m.avg).toBe(4.5);
  });

  it('gives z = Infinity when the baseline is constant, and skips findings with no series in the state', () => {
    const A = { cluster: 'c1', workload: 'w', process: 'p' };
    const rows: Row[] = [];
    for (let i = 0; i < 10; i++) rows.push({ ts: T - 3 * H + i, ...A, 'tcp.bytes': 7 });
    for (let b = 0; b < 6; b++) rows.push({ ts: T - 10_000 * (b + 1), ...A, 'tcp.bytes': 7.5 });
    const params = DEFAULT_PARAMS;
    const { state, range } = stateOf(rows, params);
    const findings = evaluateRule(state, params, range, undefined);
    const other = { ...findings[0], host: 'elsewhere' };
    const series = findingSeries(state, params, [other, ...findings], range);
    expect(series).toHaveLength(1);
    expect(series[0].metrics[0].stdev).toBe(0);
    expect(series[0].metrics[0].anomalies.map((a) => a.z)).toEqual(new Array(6).fill(Infinity));
    expect(findingSeries(state, params, [], range)).toEqual([]);
  });
});
