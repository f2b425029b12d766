/** Rows of one generated day, columnar, sorted by (workload, process, cluster, dest, timestamp). */
export interface DayRows {
  length: number;
  /** epoch milliseconds (integers) */
  timestamp: Float64Array;
  /** indexes into GeneratedNames.clusters / workloads / processes / dests */
  cluster: Uint16Array;
  workload: Uint16Array;
  process: Uint16Array;
  dest: Uint16Array;
  /** one array per metric in METRIC_NAMES order; NaN means null */
  metrics: Float64Array[];
}

export interface GeneratedNames {
  clusters: string[];
  workloads: string[];
  /** process names are global strings; several workloads may share a process name (e.g. "python") */
  processes: string[];
  dests: string[];
}

export { SCHEMA_METRICS as METRIC_NAMES } from '../../rule/rule.js';

export interface GeneratorConfig {
  seed: number;
  clusters: number;
  workloads: number;
  days: number;
  /** exclusive end of the generated range, epoch ms, a multiple of 24 h */
  endMs: number;
  /**
   * reporting interval, ms: 10 s (default) as Splunk's add-on stores the metrics, or 30 s as the
   * OpenTelemetry network collector emits them (each point then the delta of 30 s)
   */
  intervalMs?: number;
}

export interface ScenarioLabel {
  scenario: 'exfiltration-burst' | 'dns-tunnel' | 'new-process' | 'short-burst';
  cluster: string;
  workload: string;
  process: string;
  /** ISO 8601 UTC start and end of the injected behaviour */
  from: string;
  to: string;
  /** whether the rule at T = endMs, with default parameters, is expected to report this key */
  expectedFinding: boolean;
  description: string;
}
