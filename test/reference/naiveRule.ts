/**
 * A second, deliberately naive implementation of the rule (SPEC §3) in plain JS over the logical
 * rows of a generated dataset (no Parquet, no DuckDB). It exists only to cross-check the DuckDB
 * reference (duckdbRule.ts): the two share the message formatting helpers but not the aggregation
 * (here: exact rational arithmetic, rounded once: exactMoments.ts).
 */
import { RISK_SCORE, MITRE_ATTACK_ID, RULE_ID, codeUnitCompare, formatMessage, type Finding } from './duckdbRule.js';
import type { LRow } from './edgeCases.js';
import { exactMean, exactSampleStdev } from './exactMoments.js';

export interface NaiveOptions {
  sigma?: number;
  minCount?: number;
  windowMs?: number;
  spanMs?: number;
  baselineMs?: number;
  splunkParity?: boolean;
}

/** The rows' valid values by recent `[cluster, workload, process, bucket, metric]` and by baseline `[workload, process, metric]`. */
export interface NaiveWindows {
  recent: Map<string, number[]>;
  baseline: Map<string, number[]>;
}

/** The rule's row filter and windowing (SPEC §3), shared by every naive baseline model. */
export function naiveWindows(rows: LRow[], metrics: string[], at: number, opts: NaiveOptions = {}): NaiveWindows {
  const windowMs = opts.windowMs ?? 3_600_000;
  const spanMs = opts.spanMs ?? 10_000;
  const baselineMs = opts.baselineMs ?? 2_592_000_000;
  const recent = new Map<string, number[]>();
  const baseline = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, v: number) => {
    const list = map.get(key);
    if (list) list.push(v);
    else map.set(key, [v]);
  };
  for (const r of rows) {
    if (r.tsNs === null || r.workload === null || r.process === null) continue;
    let q = r.tsNs / 1_000_000n;
    if (q * 1_000_000n > r.tsNs) q -= 1n;
    const ts = Number(q);
    if (ts < at - baselineMs || ts >= at) continue;
    for (const m of metrics) {
      const v = r.m[m];
      if (v === null || v === undefined || !Number.isFinite(v) || v < 0) continue;
      if (ts >= at - windowMs) {
        // the baseline pools clusters, so only the recent window needs one (SPEC §3)
        if (r.cluster === null) continue;
        const bucket = Math.floor(ts / spanMs) * spanMs;
        push(recent, JSON.stringify([r.cluster, r.workload, r.process, bucket, m]), v);
      } else {
        push(baseline, JSON.stringify([r.workload, r.process, m]), v);
      }
    }
  }
  return { recent, baseline };
}

/** A baseline's centre and scale (undefined: no scale, the bucket cannot fire). */
export interface NaiveStats {
  center: number;
  scale: number | undefined;
}

/**
 * The findings at `at`: a recent bucket is anomalous when its exact mean exceeds centre + sigma
 * scale of its key's baseline; a key is reported above min count anomalies.
 */
export function naiveFindings(recent: Map<string, number[]>, stats: Map<string, NaiveStats>, at: number, opts: NaiveOptions = {}): Finding[] {
  const sigma = opts.sigma ?? 3;
  const minCount = opts.minCount ?? 5;
  const groups = new Map<string, { host: string; workload: string; process: string; count: number; messages: Set<string> }>();
  for (const [key, values] of recent) {
    const [cluster, workload, process, , metric] = JSON.parse(key) as [string, string, string, number, string];
    const st = stats.get(JSON.stringify([workload, process, metric]));
    if (!st || st.scale === undefined) continue;
    const value = exactMean(values);
    if (!(value > st.center + sigma * st.scale)) continue;
    const gk = JSON.stringify([cluster, workload, process]);
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { host: cluster, workload, process, count: 0, messages: new Set() }));
    g.count++;
    g.messages.add(formatMessage(metric, value, st.center, st.scale));
  }
  return [...groups.values()]
    .filter((g) => g.count > minCount)
    .sort((a, b) => codeUnitCompare(a.host, b.host) || codeUnitCompare(a.workload, b.workload) || codeUnitCompare(a.process, b.process))
    .map((g) => ({
      detection_time: new Date(at).toISOString(),
      host: g.host,
      'source.workload.name': g.workload,
      'source.process.name': g.process,
      count: g.count,
      anomalies: [...g.messages].sort(codeUnitCompare),
      rule_id: RULE_ID,
      risk_score: RISK_SCORE,
      risk_message: `Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster ${g.host}`,
      mitre_attack_id: MITRE_ATTACK_ID,
    }));
}

export function naiveDetect(rows: LRow[], metrics: string[], at: number, opts: NaiveOptions = {}): Finding[] {
  const { recent, baseline } = naiveWindows(rows, metrics, at, opts);
  const stats = new Map<string, NaiveStats>();
  for (const [key, base] of baseline) {
    const avg = exactMean(base);
    const metric = (JSON.parse(key) as string[])[2]!;
    stats.set(key, { center: avg, scale: opts.splunkParity && metric.startsWith('udp.') ? avg : exactSampleStdev(base) });
  }
  return naiveFindings(recent, stats, at, opts);
}

/** SPEC §3 default T: the end of the last 10 s bucket holding a row with a timestamp. */
export function naiveDefaultAt(rows: LRow[]): number | undefined {
  let max: bigint | undefined;
  for (const r of rows) if (r.tsNs !== null && (max === undefined || r.tsNs > max)) max = r.tsNs;
  if (max === undefined) return undefined;
  let q = max / 1_000_000n;
  if (q * 1_000_000n > max) q -= 1n;
  return Math.floor(Number(q) / 10_000) * 10_000 + 10_000;
}
