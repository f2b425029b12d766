/** The ported Splunk ES detection: its identity and the defaults of its parameters. */
export const RULE = {
  id: 'dd6afee6-e0a3-4028-a089-f47dd2842c22',
  name: 'Kubernetes Anomalous Outbound Network Activity from Process',
  riskScore: 20,
  mitreAttackId: 'T1204',
  riskMessage: (host: string): string =>
    `Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster ${host}`,
} as const;

export const COLUMNS = {
  timestamp: 'timestamp',
  cluster: 'k8s.cluster.name',
  workload: 'source.workload.name',
  process: 'source.process.name',
} as const;

/** The destination dimension: not read by this rule, but part of the exporter's sort order. */
export const DEST_COLUMN = 'dest.workload.name';

/** The metric columns of the canonical schema (SPEC section 2); the globs may match more. */
export const SCHEMA_METRICS = ['tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'udp.bytes', 'udp.packets'] as const;

export interface RuleParams {
  sigma: number;
  minCount: number;
  windowMs: number;
  spanMs: number;
  baselineMs: number;
  metricPatterns: string[];
  splunkParity: boolean;
}

export const DEFAULT_PARAMS: RuleParams = {
  sigma: 3,
  minCount: 5,
  windowMs: 3_600_000,
  spanMs: 10_000,
  baselineMs: 30 * 86_400_000,
  metricPatterns: ['tcp.*', 'udp.*'],
  splunkParity: false,
};

/** The published search aliases avg(udp.*) as stdev_udp.*: parity mode keeps that quirk. */
export function parityUsesMean(metric: string): boolean {
  return metric.startsWith('udp.');
}
