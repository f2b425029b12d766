import { BUCKET_STRIDE, bucketMean } from '../state/moments.js';
import type { PartialState } from '../state/partialState.js';
import { ruleOf, type RuleParams } from '../rule/rule.js';
import { baselineStats, isAnomaly, metricFloors } from './evaluateRule.js';
import type { Finding } from './finding.js';

/** One anomalous bucket of a metric: its index in the series and z = (value - avg) / stdev (Infinity when stdev is 0). */
export interface AnomalousBucket {
  index: number;
  z: number;
}

export interface MetricSeries {
  metric: string;
  /** mean of the bucket's values; null where the bucket holds none */
  values: (number | null)[];
  avg: number;
  /** as the rule compares with it: the baseline mean for udp.* in parity mode */
  stdev: number;
  sigma: number;
  anomalies: AnomalousBucket[];
}

/** What a chart of one finding needs: its recent window bucket by bucket, per metric with an anomaly. */
export interface FindingSeries {
  atMs: number;
  /** the rule whose finding this series shows (two rules may report the same key) */
  ruleId: string;
  host: string;
  /** the finding's key values (key[0], key[1]): workload and process for the outbound rule */
  workload: string;
  process: string;
  /** bucket start times, epoch ms */
  times: number[];
  metrics: MetricSeries[];
}

type FindingKey = Pick<Finding, 'host' | 'key' | 'rule_id'>;

/**
 * The buckets behind each finding, read from the same merged state and with the same conditions
 * as evaluateRule, so a chart shows exactly the anomalies that were counted. Findings with no
 * series in the state (another rule's) are skipped.
 */
export function findingSeries(state: PartialState, params: RuleParams, findings: readonly FindingKey[], atMs: number): FindingSeries[] {
  if (findings.length === 0) return [];
  const m = state.metrics.length;
  const seriesOf = new Map<string, number>();
  for (let s = 0; s < state.seriesCluster.length; s++) {
    const k = state.seriesKey[s];
    seriesOf.set(JSON.stringify([state.clusters[state.seriesCluster[s]], state.workloads[k], state.processes[k]]), s);
  }
  const base = baselineStats(state, params);
  const floors = metricFloors(state.metrics, params);
  const times: number[] = [];
  for (let b = 0; b < state.bucketCount; b++) times.push((state.firstBucket + b) * params.spanMs);
  const out: FindingSeries[] = [];
  const ruleId = ruleOf(params).id;
  for (const f of findings) {
    if (f.rule_id !== ruleId) continue;
    const s = seriesOf.get(JSON.stringify([f.host, f.key[0], f.key[1]]));
    if (s === undefined) continue;
    const k = state.seriesKey[s];
    const metrics: MetricSeries[] = [];
    for (let j = 0; j < m; j++) {
      if (floors[j] === Infinity) continue;
      const avg = base[(k * m + j) * 2];
      const stdev = base[(k * m + j) * 2 + 1];
      const values: (number | null)[] = [];
      const anomalies: AnomalousBucket[] = [];
      for (let b = 0; b < state.bucketCount; b++) {
        const o = ((s * state.bucketCount + b) * m + j) * BUCKET_STRIDE;
        if (state.recent[o] === 0) {
          values.push(null);
          continue;
        }
        const value = bucketMean(state.recent, o);
        values.push(value);
        if (isAnomaly(value, avg, stdev, params.sigma) && value >= floors[j]) {
          anomalies.push({ index: b, z: stdev === 0 ? Infinity : (value - avg) / stdev });
        }
      }
      if (anomalies.length > 0) metrics.push({ metric: state.metrics[j], values, avg, stdev, sigma: params.sigma, anomalies });
    }
    out.push({ atMs, ruleId: f.rule_id, host: f.host, workload: f.key[0], process: f.key[1], times: times.slice(), metrics });
  }
  return out;
}
