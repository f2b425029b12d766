import { outboundRuleFile } from './builtinRules.js';
import { fillTemplate } from './fillTemplate.js';
import type { RuleDefinition, ZScoreRule } from './ruleDefinition.js';
import { OUTBOUND_KEYING, sameKeying, type Keying } from './keying.js';

let checked: ZScoreRule | undefined;

/**
 * The outbound rule, from rules/kubernetes_anomalous_outbound_network_activity_from_process.yaml,
 * read on first use rather than at import: worker threads import COLUMNS from here and never need
 * the YAML parser. The scan reads COLUMNS, so the file must declare the same key and grouping.
 */
export function outboundRule(): ZScoreRule {
  if (checked) return checked;
  const r = outboundRuleFile();
  if (r.kind !== 'zscore' || !scanEvaluates(r) || !sameKeying(keyingOf(r), OUTBOUND_KEYING)) {
    throw new Error(`rules: ${r.file} must be kind zscore with key ${COLUMNS.workload}, ${COLUMNS.process} by ${COLUMNS.cluster}, the exporter's sort order`);
  }
  return (checked = r);
}

/** Whether the scan can fold the rule: a key of two columns (every rule of the family has one). */
export function scanEvaluates(r: RuleDefinition): boolean {
  return r.key.length === 2;
}

export function keyingOf(r: RuleDefinition): Keying {
  if (!scanEvaluates(r)) throw new Error(`rules: ${r.file}: key has ${r.key.length} columns; the scan folds keys of two columns`);
  const cols = [COLUMNS.timestamp, r.groupBy, r.key[0], r.key[1]];
  const twice = cols.find((c, i) => cols.indexOf(c) !== i);
  if (twice) throw new Error(`rules: ${r.file}: column "${twice}" is named twice among timestamp, group_by and key`);
  return { group: r.groupBy, key: [r.key[0], r.key[1]] };
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
  /** the rule these parameters run: its key, kind, identity and message; absent, the outbound rule */
  rule?: RuleDefinition;
  sigma: number;
  minCount: number;
  windowMs: number;
  spanMs: number;
  baselineMs: number;
  metricPatterns: string[];
  splunkParity: boolean;
  /**
   * --min-value: per metric glob, the least bucket value that may count as an anomaly (a floor for
   * near-silent keys, whose tiny stdev makes any blip 3 sigma); the first glob matching a metric applies.
   */
  minValues?: [glob: string, floor: number][];
  /**
   * --baseline-model: `flat` (absent; the rule as published: every baseline row) or `hour-of-day`
   * (only the same hour-long window, the recent window moved back by whole days: a busy hour is
   * compared with the same hour on earlier days). See ScanWindow.periodMs. `robust`: every baseline
   * row, as flat, but compared with median + sigma * 1.4826 * MAD (src/state/quantileSketch.ts).
   */
  baselineModel?: BaselineModel;
  /**
   * --weekday-split, with hour-of-day: only earlier days of the window's own kind, Monday to
   * Friday or Saturday and Sunday (UTC), so a weekend job is compared with weekends. See ScanWindow.weekdaySplit.
   */
  weekdaySplit?: boolean;
}

export const BASELINE_MODELS = ['flat', 'hour-of-day', 'robust'] as const;
export type BaselineModel = (typeof BASELINE_MODELS)[number];

export const ruleOf = (p: { rule?: RuleDefinition }): RuleDefinition => p.rule ?? outboundRule();

/** A zscore rule's parameters as its file sets them; the CLI's options override them. */
export function defaultParamsOf(r: ZScoreRule): RuleParams {
  return {
    rule: r, sigma: r.sigma, minCount: r.minCount, windowMs: r.windowMs, spanMs: r.spanMs, baselineMs: r.baselineMs,
    metricPatterns: [...r.metrics], splunkParity: false,
  };
}

let defaults: RuleParams | undefined;
const outboundParams = (): RuleParams => (defaults ??= defaultParamsOf(outboundRule()));

/** The outbound rule's parameters, from its file; spread it to change one: { ...DEFAULT_PARAMS, sigma: 4 }. */
export const DEFAULT_PARAMS: RuleParams = {
  get rule() { return outboundRule(); },
  get sigma() { return outboundParams().sigma; },
  get minCount() { return outboundParams().minCount; },
  get windowMs() { return outboundParams().windowMs; },
  get spanMs() { return outboundParams().spanMs; },
  get baselineMs() { return outboundParams().baselineMs; },
  get metricPatterns() { return outboundParams().metricPatterns; },
  splunkParity: false,
};

/** The published searches alias avg(udp.*) as stdev_udp.*: parity mode keeps that quirk (the file's parity.stdev_is_mean). */
export function parityUsesMean(metric: string, rule: RuleDefinition = outboundRule()): boolean {
  return rule.kind === 'zscore' && rule.parityStdevIsMean.some((prefix) => metric.startsWith(prefix));
}
