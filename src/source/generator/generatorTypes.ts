/** Rows of one generated day, columnar, sorted by (workload, process, cluster, dest, timestamp). */
export interface DayRows {
  length: number;
  /** epoch milliseconds (integers) */
  timestamp: Float64Array;
  /** indexes into GeneratedNames.clusters / workloads / processes / dests / destProcesses */
  cluster: Uint16Array;
  workload: Uint16Array;
  process: Uint16Array;
  dest: Uint16Array;
  destProcess: Uint16Array;
  /** one array per metric in METRIC_NAMES order; NaN means null */
  metrics: Float64Array[];
}

export interface GeneratedNames {
  clusters: string[];
  workloads: string[];
  /** process names are global strings; several workloads may share a process name (e.g. "python") */
  processes: string[];
  dests: string[];
  /** dest.process.name values: one per destination, so several destinations may share one (e.g. "java") */
  destProcesses: string[];
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
  /**
   * extra batch workloads whose tcp traffic is 8-20x its usual level in the clock hour of the
   * range's final hour, every day (labelled busy-hour); absent or 0: none, the fleet as before
   */
  busyHours?: number;
  /**
   * extra batch workloads like busy hours', but with the batch only on the days whose UTC weekday
   * is the last day's (labelled weekly-batch); absent or 0: none
   */
  weeklyBatches?: number;
  /**
   * extra agent workloads with spiky traffic whose tcp.bytes and tcp.packets carry an extra flow
   * of 1.5 to 1.9 of their sd over the range's final 6 hours (labelled slow-drip); absent or 0: none
   */
  slowDrips?: number;
}

/**
 * One labelled scenario, about one rule's key. `workload` and `process` are the source side
 * (source.workload.name, source.process.name) for the outbound and the edge rules; for the
 * inbound rule, keyed on the destination, they repeat the destination's workload and process.
 */
export interface ScenarioLabel {
  scenario: 'exfiltration-burst' | 'dns-tunnel' | 'new-process' | 'short-burst' | 'inbound-burst' | 'new-edge' | 'new-udp-edge'
    | 'busy-hour' | 'weekly-batch' | 'slow-drip';
  /** id of the rule the label is about; absent: the outbound rule, dd6afee6-e0a3-4028-a089-f47dd2842c22 */
  rule?: string;
  cluster: string;
  workload: string;
  process: string;
  /** the destination, on labels about a rule whose key or edge names it */
  'dest.workload.name'?: string;
  'dest.process.name'?: string;
  /** ISO 8601 UTC start and end of the injected behaviour */
  from: string;
  to: string;
  /**
   * whether a detection should report this key: true for every attack, even one the published
   * rule is known to miss (slow-drip); false for benign traffic (busy-hour, weekly-batch). The
   * fleet's new-process and short-burst labels keep false: the rule's documented blind spots,
   * scored as expected misses.
   */
  expectedFinding: boolean;
  description: string;
}
