import { anomalyMessage } from '../rule/anomalyMessage.js';
import { parityUsesMean, type RuleParams } from '../rule/rule.js';
import {
  BUCKET_STRIDE, MOMENT_STRIDE, bucketMean, initMoments, mergeMoments, momentsCount, momentsMean, momentsStdev,
} from '../state/moments.js';
import type { PartialState } from '../state/partialState.js';
import { makeFinding, sortStrings, type Finding } from './finding.js';
import type { Suppressions } from './suppressions.js';

export interface EvaluationRange {
  /** detection time T, epoch ms */
  atMs: number;
  /** baseline cells [cellStart, cellEnd) and recent buckets [bucketStart, bucketEnd) that belong to T */
  cellStart: number;
  cellEnd: number;
  bucketStart: number;
  bucketEnd: number;
}

/** Per key and metric: avg and stdev (NaN where undefined). */
export function baselineStats(state: PartialState, params: RuleParams, cellStart: number, cellEnd: number): Float64Array {
  const m = state.metrics.length;
  const keys = state.workloads.length;
  const out = new Float64Array(keys * m * 2);
  const tmp = new Float64Array(MOMENT_STRIDE);
  const parity = state.metrics.map((name) => params.splunkParity && parityUsesMean(name));
  for (let k = 0; k < keys; k++) {
    for (let j = 0; j < m; j++) {
      let src = state.baseline;
      let off = ((k * state.cellCount + cellStart) * m + j) * MOMENT_STRIDE;
      if (cellEnd - cellStart !== 1) {
        initMoments(tmp, 0);
        for (let c = cellStart; c < cellEnd; c++) mergeMoments(tmp, 0, state.baseline, ((k * state.cellCount + c) * m + j) * MOMENT_STRIDE);
        src = tmp;
        off = 0;
      }
      const avg = momentsCount(src, off) > 0 ? momentsMean(src, off) : NaN;
      out[(k * m + j) * 2] = avg;
      out[(k * m + j) * 2 + 1] = parity[j] ? avg : momentsStdev(src, off);
    }
  }
  return out;
}

/** SPEC section 3: anomalous (bucket, metric) pairs per series, messages, min count, suppressions. */
export function evaluateRule(
  state: PartialState, params: RuleParams, range: EvaluationRange, suppress: Suppressions | undefined,
  base: Float64Array = baselineStats(state, params, range.cellStart, range.cellEnd),
): Finding[] {
  const m = state.metrics.length;
  const findings: Finding[] = [];
  const sigma = params.sigma;
  for (let s = 0; s < state.seriesCluster.length; s++) {
    const k = state.seriesKey[s];
    let count = 0;
    let messages: Set<string> | undefined;
    for (let b = range.bucketStart; b < range.bucketEnd; b++) {
      const rowOff = (s * state.bucketCount + b) * m * BUCKET_STRIDE;
      for (let j = 0; j < m; j++) {
        const o = rowOff + j * BUCKET_STRIDE;
        if (state.recent[o] === 0) continue;
        const avg = base[(k * m + j) * 2];
        const stdev = base[(k * m + j) * 2 + 1];
        if (avg !== avg || stdev !== stdev) continue;
        const value = bucketMean(state.recent, o);
        if (value > avg + sigma * stdev) {
          count++;
          (messages ??= new Set()).add(anomalyMessage(state.metrics[j], value, avg, stdev));
        }
      }
    }
    if (count <= params.minCount || !messages) continue;
    const host = state.clusters[state.seriesCluster[s]];
    const workload = state.workloads[k];
    const process = state.processes[k];
    if (suppress?.matches(host, workload, process)) continue;
    findings.push(makeFinding(range.atMs, host, workload, process, count, sortStrings([...messages])));
  }
  return findings;
}
