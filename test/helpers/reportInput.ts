/** A small, real ReportInput: merged states at a few T, the rule evaluated, series extracted. */
import { evaluateRule } from '../../src/evaluate/evaluateRule.js';
import { findingSeries } from '../../src/evaluate/findingSeries.js';
import type { ReportInput } from '../../src/output/htmlReport.js';
import { detectWindow } from '../../src/plan/scanWindow.js';
import { PartialMerger } from '../../src/reduce/mergePartials.js';
import { DEFAULT_PARAMS } from '../../src/rule/rule.js';
import { Accumulator } from '../../src/scan/accumulator.js';
import { batchOf, type Row } from './batch.js';
import { rng } from './rng.js';

export const METRICS = ['tcp.bytes', 'tcp.packets', 'udp.bytes'];
export const EVIL = '<img src=x onerror=alert(1)></script><script>alert(2)</script>\u2028"\'&amp;';
const H = 3_600_000;

function rowsAt(T: number, seed: number): Row[] {
  const rnd = rng(seed);
  const rows: Row[] = [];
  const keys = [['api', 'java'], ['db', 'postgres'], ['evil', EVIL]];
  for (const [workload, process] of keys) {
    for (let i = 0; i < 200; i++) {
      rows.push({ ts: T - 2 * H - i * 60_000, cluster: 'prod-a', workload, process, 'tcp.bytes': 100 + 10 * rnd(), 'tcp.packets': 5 + rnd(), 'udp.bytes': 20 + 4 * rnd() });
    }
    for (const cluster of ['prod-a', 'prod-b']) {
      for (let b = 0; b < 360; b++) {
        if (rnd() < 0.3) continue;
        const hot = workload !== 'db' && b > 200 && b < 260 && rnd() < 0.5;
        rows.push({
          ts: T - H + b * 10_000 + 1, cluster, workload, process,
          'tcp.bytes': hot ? 300 + 200 * rnd() : 100 + 10 * rnd(),
          'tcp.packets': hot && cluster === 'prod-a' ? 40 : 5 + rnd(),
          'udp.bytes': 21,
        });
      }
    }
  }
  return rows;
}

/** Hunt-shaped when `times` has more than one T; the evil process name is in every finding list. */
export function reportInputAt(times: number[]): ReportInput {
  const params = DEFAULT_PARAMS;
  const input: ReportInput = {
    command: times.length > 1 ? 'hunt' : 'detect', detectionTimes: times,
    params: { ...params }, clusters: [], findings: [], series: [],
  };
  times.forEach((T, i) => {
    const w = detectWindow(T, params);
    const merger = new PartialMerger(METRICS, w);
    const acc = new Accumulator(METRICS, w);
    acc.add(batchOf(rowsAt(T, i + 1), METRICS));
    merger.add(acc.finish());
    const state = merger.result();
    const findings = evaluateRule(state, params, T, undefined);
    input.findings.push(...findings);
    input.series.push(...findingSeries(state, params, findings, T));
    input.clusters = [...new Set([...input.clusters, ...state.clusters, 'quiet-cluster'])];
  });
  return input;
}
