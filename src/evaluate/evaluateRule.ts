import { matchesAny } from '../plan/globMatch.js';
import { anomalyMessage } from '../rule/anomalyMessage.js';
import { parityUsesMean, ruleOf, type RuleParams } from '../rule/rule.js';
import { BUCKET_STRIDE, MOMENT_STRIDE, bucketMean, momentsCount, momentsMean, momentsStdev } from '../state/moments.js';
import type { PartialState } from '../state/partialState.js';
import { robustStats } from '../state/quantileSketch.js';
import { makeFinding, sortStrings, type Finding } from './finding.js';
import type { NewEntityRule } from '../rule/ruleDefinition.js';
import type { Suppressions } from './suppressions.js';

/**
 * Per key and metric: avg and stdev (NaN where undefined), from a detect-shaped state's one baseline
 * cell; under --baseline-model robust, median and scale from its sketches instead, in their place.
 */
export function baselineStats(state: PartialState, params: RuleParams): Float64Array {
  if (state.cellCount !== 1) throw new Error(`evaluate: expected one merged baseline cell, got ${state.cellCount}`);
  const m = state.metrics.length;
  const keys = state.workloads.length;
  const out = new Float64Array(keys * m * 2);
  if (params.baselineModel === 'robust') return robustBaselineStats(state, out);
  const rule = ruleOf(params);
  const parity = state.metrics.map((name) => params.splunkParity && parityUsesMean(name, rule));
  for (let k = 0; k < keys; k++) {
    for (let j = 0; j < m; j++) {
      const off = (k * m + j) * MOMENT_STRIDE;
      const avg = momentsCount(state.baseline, off) > 0 ? momentsMean(state.baseline, off) : NaN;
      out[(k * m + j) * 2] = avg;
      out[(k * m + j) * 2 + 1] = parity[j] ? avg : momentsStdev(state.baseline, off);
    }
  }
  return out;
}

function robustBaselineStats(state: PartialState, out: Float64Array): Float64Array {
  const sk = state.sketches;
  if (!sk) throw new Error('evaluate: --baseline-model robust needs the baseline sketches that detect folds, and this state holds none');
  const b = state.baseline;
  for (let s = 0; s < out.length / 2; s++) {
    // the moments' exact min and max (slots 5 and 6) bound the sketch's representatives
    const o = s * MOMENT_STRIDE;
    robustStats(sk.zeros[s], sk.lo[s], sk.counts, sk.offsets[s], sk.offsets[s + 1], b[o + 5], b[o + 6], out, s * 2);
  }
  return out;
}

/**
 * Per metric of the state, the least value a bucket needs to count as an anomaly: the --min-value
 * floor that applies to it, -Infinity where none does, and +Infinity for a metric the rule's
 * patterns do not match (a scan shared by several rules holds every rule's metrics).
 */
export function metricFloors(metrics: string[], params: RuleParams): Float64Array {
  const out = new Float64Array(metrics.length).fill(-Infinity);
  metrics.forEach((name, j) => {
    const hit = params.minValues?.find(([glob]) => matchesAny(name, [glob]));
    if (!matchesAny(name, params.metricPatterns)) out[j] = Infinity;
    else if (hit) out[j] = hit[1];
  });
  return out;
}

/** SPEC section 3.3: value, avg and stdev all defined (NaN where not), and value > avg + sigma * stdev. */
export function isAnomaly(value: number, avg: number, stdev: number, sigma: number): boolean {
  return avg === avg && stdev === stdev && value > avg + sigma * stdev;
}

/** The findings of the rule params.rule (default: the outbound rule) at T, unsorted. */
export function evaluateRule(state: PartialState, params: RuleParams, atMs: number, suppress: Suppressions | undefined): Finding[] {
  const rule = ruleOf(params);
  return rule.kind === 'new-entity' ? evaluateNewEntity(state, rule, atMs, suppress) : evaluateZScore(state, params, atMs, suppress);
}

/** SPEC section 3: anomalous (bucket, metric) pairs per series, messages, min count, suppressions. */
function evaluateZScore(state: PartialState, params: RuleParams, atMs: number, suppress: Suppressions | undefined): Finding[] {
  const rule = ruleOf(params);
  const floors = metricFloors(state.metrics, params);
  const base = baselineStats(state, params);
  const m = state.metrics.length;
  const findings: Finding[] = [];
  const sigma = params.sigma;
  // A bucket whose plain mean is clearly below avg + sigma * stdev cannot be anomalous: its exact
  // (compensated) mean is within a few ulps of the plain one. NaN (no baseline) skips every bucket.
  const below = new Float64Array(base.length / 2);
  for (let i = 0; i < below.length; i++) {
    const avg = base[2 * i];
    const stdev = base[2 * i + 1];
    below[i] = avg === avg && stdev === stdev ? (avg + sigma * stdev) * (1 - 1e-12) : NaN;
  }
  for (let s = 0; s < state.seriesCluster.length; s++) {
    const k = state.seriesKey[s];
    let count = 0;
    let messages: Set<string> | undefined;
    for (let b = 0; b < state.bucketCount; b++) {
      const rowOff = (s * state.bucketCount + b) * m * BUCKET_STRIDE;
      for (let j = 0; j < m; j++) {
        const o = rowOff + j * BUCKET_STRIDE;
        const n = state.recent[o];
        if (n === 0 || floors[j] === Infinity || !((state.recent[o + 1] + state.recent[o + 2]) / n >= below[k * m + j])) continue;
        const avg = base[(k * m + j) * 2];
        const stdev = base[(k * m + j) * 2 + 1];
        const value = bucketMean(state.recent, o);
        if (isAnomaly(value, avg, stdev, sigma) && value >= floors[j]) {
          count++;
          (messages ??= new Set()).add(anomalyMessage(state.metrics[j], value, avg, stdev));
        }
      }
    }
    if (count <= params.minCount || !messages) continue;
    const f = makeFinding(atMs, state.clusters[state.seriesCluster[s]], state.workloads[k], state.processes[k], count, sortStrings([...messages]), rule);
    if (!suppress?.matches(f)) findings.push(f);
  }
  return findings;
}

/**
 * A key with valid data points of the rule's metric in the window and none in the baseline, which
 * is pooled across groups: reported per group with its window's point count.
 */
function evaluateNewEntity(state: PartialState, rule: NewEntityRule, atMs: number, suppress: Suppressions | undefined): Finding[] {
  if (state.cellCount !== 1) throw new Error(`evaluate: expected one merged baseline cell, got ${state.cellCount}`);
  const metric = rule.metrics[0];
  const j = state.metrics.indexOf(metric);
  const findings: Finding[] = [];
  if (j < 0) return findings;
  const m = state.metrics.length;
  for (let s = 0; s < state.seriesCluster.length; s++) {
    const k = state.seriesKey[s];
    if (momentsCount(state.baseline, (k * m + j) * MOMENT_STRIDE) > 0) continue;
    let count = 0;
    for (let b = 0; b < state.bucketCount; b++) count += state.recent[((s * state.bucketCount + b) * m + j) * BUCKET_STRIDE];
    if (count === 0) continue;
    const f = makeFinding(atMs, state.clusters[state.seriesCluster[s]], state.workloads[k], state.processes[k], count, [`${metric}_count=${count}`], rule);
    if (!suppress?.matches(f)) findings.push(f);
  }
  return findings;
}
