/**
 * The JS tail shared by the exact DuckDB variant and the Polars port of the rule: the engine
 * returns, per recent (cluster, workload, process, bucket), the bucket means and the baseline
 * moments of every metric (only rows where some metric is anomalous); this turns them into
 * findings of the SPEC §4 shape. The plain DuckDB query only borrows message() and finding().
 *
 * Written independently of src/ (like test/reference/duckdbRule.ts): the harness compares these
 * engines' findings with the CLI's.
 */

export const RULE_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';

export interface Finding {
  detection_time: string;
  host: string;
  'source.workload.name': string;
  'source.process.name': string;
  count: number;
  anomalies: string[];
  rule_id: string;
  risk_score: number;
  risk_message: string;
  mitre_attack_id: string;
}

export interface MetricCell {
  /** bucket mean and the bucket's min and max (a mean lies within them) */
  value: number | null;
  vmin: number | null;
  vmax: number | null;
  /** baseline mean, its min and max, and sample standard deviation (null when n < 2) */
  avg: number | null;
  amin: number | null;
  amax: number | null;
  stdev: number | null;
}

export interface CandidateRow {
  cluster: string;
  workload: string;
  process: string;
  metrics: MetricCell[];
}

export interface RuleSettings {
  atMs: number;
  sigma: number;
  minCount: number;
  windowMs: number;
  spanMs: number;
  baselineMs: number;
}

export const DEFAULT_RULE: Omit<RuleSettings, 'atMs'> = {
  sigma: 3, minCount: 5, windowMs: 3_600_000, spanMs: 10_000, baselineMs: 30 * 86_400_000,
};

/** mstats wildcard semantics: numeric columns named tcp.* or udp.*. */
export function isMetricName(name: string): boolean {
  return /^(tcp|udp)\..*$/s.test(name);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compensated or not, an engine's mean of equal values can be 1 ulp off the value itself (300 x 0.1);
 * the rule's exact mean lies within [min, max], and equals them when they are equal.
 */
export function exactMean(mean: number, min: number, max: number): number {
  if (min === max) return min;
  return Math.min(max, Math.max(min, mean));
}

function round2(x: number): number {
  const a = Math.abs(x);
  const r = a < 1e21 ? Number(a.toFixed(2)) : a;
  return x < 0 ? -r : r;
}

export function message(metric: string, value: number, avg: number, stdev: number): string {
  const zRaw = stdev === 0 ? (value > avg ? Infinity : NaN) : (value - avg) / stdev;
  const z = zRaw === Infinity ? 'inf' : String(round2(zRaw));
  return `${metric} higher than average by ${z} Standard Deviations. ${metric}=${String(value)} ` +
    `avg_${metric}=${String(avg)} 'stdev_${metric}'=${String(stdev)}`;
}

export function findingsOf(rows: Iterable<CandidateRow>, metrics: string[], s: RuleSettings): Finding[] {
  const groups = new Map<string, { cluster: string; workload: string; process: string; count: number; messages: Set<string> }>();
  for (const r of rows) {
    r.metrics.forEach((m, j) => {
      if (m.value === null || m.avg === null || m.stdev === null || m.vmin === null || m.vmax === null ||
        m.amin === null || m.amax === null || Number.isNaN(m.stdev)) return;
      const value = exactMean(m.value, m.vmin, m.vmax);
      const avg = exactMean(m.avg, m.amin, m.amax);
      if (!(value > avg + s.sigma * m.stdev)) return;
      const key = `${r.cluster}\0${r.workload}\0${r.process}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { cluster: r.cluster, workload: r.workload, process: r.process, count: 0, messages: new Set() }));
      g.count++;
      g.messages.add(message(metrics[j], value, avg, m.stdev));
    });
  }
  return [...groups.values()]
    .filter((g) => g.count > s.minCount)
    .sort((a, b) => cmp(a.cluster, b.cluster) || cmp(a.workload, b.workload) || cmp(a.process, b.process))
    .map((g) => finding(g.cluster, g.workload, g.process, g.count, [...g.messages], s.atMs));
}

/** A finding of the SPEC §4 shape; `messages` distinct, in any order. */
export function finding(cluster: string, workload: string, process: string, count: number, messages: string[], atMs: number): Finding {
  return {
    detection_time: new Date(atMs).toISOString(),
    host: cluster,
    'source.workload.name': workload,
    'source.process.name': process,
    count,
    anomalies: [...messages].sort(cmp),
    rule_id: RULE_ID,
    risk_score: 20,
    risk_message: `Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster ${cluster}`,
    mitre_attack_id: 'T1204',
  };
}

/** A dataset folder (or file) as a glob both engines understand. */
export function parquetGlob(data: string): string {
  return data.endsWith('.parquet') ? data : `${data.replace(/\/+$/, '')}/**/*.parquet`;
}
