import { outboundRuleFile } from './builtinRules.js';
import { fillTemplate } from './fillTemplate.js';
import type { RuleDefinition, ZScoreRule } from './ruleDefinition.js';

let checked: ZScoreRule | undefined;

/**
 * The outbound rule, from rules/kubernetes_anomalous_outbound_network_activity_from_process.yaml,
 * read on first use rather than at import: worker threads import COLUMNS from here and never need
 * the YAML parser. The scan reads COLUMNS, so the file must declare the same key and grouping.
 */
export function outboundRule(): ZScoreRule {
  if (checked) return checked;
  const r = outboundRuleFile();
  if (!scanEvaluates(r)) {
    throw new Error(`rules: ${r.file} must be kind zscore with key ${COLUMNS.workload}, ${COLUMNS.process} by ${COLUMNS.cluster}, the columns the scan reads`);
  }
  return (checked = r);
}

/**
 * Whether today's scan can evaluate the rule: it folds one key shape only, the outbound rule's
 * (zscore over source workload and process, by cluster). Other rules are defined, not evaluated.
 */
export function scanEvaluates(r: RuleDefinition): r is ZScoreRule {
  return r.kind === 'zscore' && r.groupBy === COLUMNS.cluster &&
    r.key.length === 2 && r.key[0] === COLUMNS.workload && r.key[1] === COLUMNS.process;
}

/** The ported Splunk ES detection's identity, from its rule file. */
export const RULE = {
  get id(): string { return outboundRule().id; },
  get name(): string { return outboundRule().name; },
  get riskScore(): number { return outboundRule().riskScore; },
  get mitreAttackId(): string { return outboundRule().mitreAttackIds[0] ?? ''; },
  riskMessage: (host: string): string => fillTemplate(outboundRule().message, { host }),
};

export const COLUMNS = {
  timestamp: 'timestamp',
  cluster: 'k8s.cluster.name',
  workload: 'source.workload.name',
  process: 'source.process.name',
} as const;

/** The destination dimension: not read by this rule, but part of the exporter's sort order. */
export const DEST_COLUMN = 'dest.workload.name';
export const DEST_PROCESS_COLUMN = 'dest.process.name';

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

/** A zscore rule's parameters as its file sets them; the CLI's options override them. */
export function defaultParamsOf(r: ZScoreRule): RuleParams {
  return {
    sigma: r.sigma, minCount: r.minCount, windowMs: r.windowMs, spanMs: r.spanMs, baselineMs: r.baselineMs,
    metricPatterns: [...r.metrics], splunkParity: false,
  };
}

let defaults: RuleParams | undefined;
const outboundParams = (): RuleParams => (defaults ??= defaultParamsOf(outboundRule()));

/** The outbound rule's parameters, from its file; spread it to change one: { ...DEFAULT_PARAMS, sigma: 4 }. */
export const DEFAULT_PARAMS: RuleParams = {
  get sigma() { return outboundParams().sigma; },
  get minCount() { return outboundParams().minCount; },
  get windowMs() { return outboundParams().windowMs; },
  get spanMs() { return outboundParams().spanMs; },
  get baselineMs() { return outboundParams().baselineMs; },
  get metricPatterns() { return outboundParams().metricPatterns; },
  splunkParity: false,
};

/** The published search aliases avg(udp.*) as stdev_udp.*: parity mode keeps that quirk (the file's parity.stdev_is_mean). */
export function parityUsesMean(metric: string): boolean {
  return outboundRule().parityStdevIsMean.some((prefix) => metric.startsWith(prefix));
}
