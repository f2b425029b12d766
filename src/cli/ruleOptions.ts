import type { Argv } from 'yargs';
import { BASELINE_MODELS, keyingOf, outboundRule, type RuleParams } from '../rule/rule.js';
import { keyingColumns } from '../rule/keying.js';
import { DAY_MS } from '../plan/scanWindow.js';
import { FORMATS, formatForPath, type Format } from '../output/formats.js';
import { DEFAULT_HEC_EVENT_OPTIONS } from '../output/hecEvents.js';
import { defaultWorkers } from '../pool/createPool.js';
import { EPOCH_UNITS, type EpochUnit } from '../parquet/epochUnit.js';
import type { InspectOptions } from '../plan/inspectFile.js';
import { UsageError, parseCount, parseDuration, parseList, parsePositiveNumber } from './parseOptions.js';
import { describeRule, scanRulesOf } from './selectRule.js';
import type { RuleDefinition } from '../rule/ruleDefinition.js';

/** Options shared by detect and hunt: the rule's parameters, output and pool. */
export function withRuleOptions<T>(y: Argv<T>) {
  const ours = outboundRule();
  return withDeliveryOptions(y
    .option('data', { type: 'string', demandOption: true, describe: 'a Parquet file, or a folder searched recursively for *.parquet; or s3://bucket/prefix/, s3://bucket/key.parquet, https://host/file.parquet' })
    .option('format', { type: 'string', choices: FORMATS, describe: 'output format [default: table on a terminal, else ndjson; with --out, from its extension]' })
    .option('out', { type: 'string', describe: 'write findings to FILE (atomically) instead of stdout' })
    .option('workers', { type: 'string', default: String(defaultWorkers()), describe: 'worker threads' })
    .option('rule', { type: 'string', array: true, describe: 'the rule to run, by id or name, case-insensitive (see "egress-anomaly rules") [default: the outbound rule; with --rules, the rules of those files]' })
    .option('rules', { type: 'string', array: true, describe: "a site's own rule file (YAML or JSON, see \"egress-anomaly rules --schema\"); repeatable" })
    // No yargs defaults for the rule's parameters: an option not given takes the selected rule's value.
    .option('sigma', { type: 'string', describe: `anomaly threshold: value > avg + sigma * stdev [default: the rule's, ${ours.sigma}]` })
    .option('min-count', { type: 'string', describe: `report a key with more than this many anomalies [default: the rule's, ${ours.minCount}]` })
    .option('window', { type: 'string', describe: `recent window before T [default: the rule's, ${ours.window}]` })
    .option('span', { type: 'string', describe: `bucket width in the recent window [default: the rule's, ${ours.span}]` })
    .option('baseline', { type: 'string', describe: `baseline length before T (the window is excluded) [default: the rule's, ${ours.baseline}]` })
    .option('metrics', { type: 'string', describe: `metric column globs [default: the rule's, ${ours.metrics.join(',')}]` })
    .option('baseline-model', { type: 'string', choices: [...BASELINE_MODELS], describe: "flat: every baseline row, as published; hour-of-day: only the same hour-long window on each earlier day (T - window - d days .. T - d days), so a daily busy hour is compared with itself; robust: every baseline row, with value > median + sigma * 1.4826 * MAD instead of avg and stdev, so a few huge baseline bursts do not hide the next one (hunt: one detection per T) [default: flat]" })
    .option('weekday-split', { type: 'boolean', describe: 'with --baseline-model hour-of-day: only earlier days of the same kind as the window\'s (Monday to Friday, or Saturday and Sunday, UTC), so a weekend batch is compared with weekends [default: false]' })
    .option('min-value', { type: 'string', describe: "a floor: a bucket counts as anomalous only when its value is at least this; N for every metric, or GLOB=N,... per metric (first match applies), e.g. 'tcp.bytes=1e6,udp.*=1e4'" })
    .option('splunk-parity', { type: 'boolean', default: false, describe: 'reproduce the published search, including stdev_udp.* = avg(udp.*)' })
    .option('suppress', { type: 'string', describe: 'suppression rules file: lines of host=/workload=/process=/rule=/<key column>= globs, or JSON' })
    .option('timestamp-unit', timestampUnitOption)
    .option('strict', { type: 'boolean', default: false, describe: 'fail on NaN, infinite or negative metric values instead of skipping them' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress or summary on stderr' }));
}

/** Where findings go besides --out: --report and --hec-* (detect, hunt and merge). */
export function withDeliveryOptions<T>(y: Argv<T>) {
  return y
    .option('report', { type: 'string', describe: 'also write an HTML report to FILE.html: a summary per cluster and a chart per anomalous metric; self-contained, works offline' })
    .option('hec-url', { type: 'string', describe: 'also post the findings to Splunk HTTP Event Collector at URL; the token comes from SPLUNK_HEC_TOKEN' })
    .option('hec-ack', { type: 'boolean', describe: 'with --hec-url: wait until indexer acknowledgement confirms the events are indexed' })
    .option('hec-index', { type: 'string', describe: "HEC event index [default: the token's default index]" })
    .option('hec-source', { type: 'string', describe: `HEC event source [default: ${DEFAULT_HEC_EVENT_OPTIONS.source}]` })
    .option('hec-sourcetype', { type: 'string', describe: `HEC event sourcetype [default: ${DEFAULT_HEC_EVENT_OPTIONS.sourcetype}]` });
}

export interface RuleArgs {
  data: string;
  format?: string;
  out?: string;
  workers: string;
  rule?: string[];
  rules?: string[];
  /** the rule's parameters: absent, the selected rule's value applies */
  sigma?: string;
  'min-count'?: string;
  window?: string;
  span?: string;
  baseline?: string;
  metrics?: string;
  'min-value'?: string;
  'baseline-model'?: string;
  'weekday-split'?: boolean;
  'splunk-parity': boolean;
  suppress?: string;
  strict: boolean;
  quiet: boolean;
  report?: string;
  'hec-url'?: string;
  'hec-ack'?: boolean;
  'hec-index'?: string;
  'hec-source'?: string;
  'hec-sourcetype'?: string;
  'timestamp-unit'?: string;
}

/** --timestamp-unit (detect, hunt, bench): the unit of bare INT64 timestamps. */
export const timestampUnitOption = {
  type: 'string', choices: EPOCH_UNITS as EpochUnit[],
  describe: "unit of bare INT64 timestamps (no Parquet timestamp type) [default: the file's Arrow schema, else the one unit its statistics make plausible, else ms]",
} as const;

/** The new-entity kind's 10 s buckets only hold its counts: the published searches have no span. */
const NEW_ENTITY_SPAN = '10s';

const ZSCORE_ONLY = ['sigma', 'min-count', 'span', 'metrics', 'min-value', 'baseline-model', 'weekday-split'] as const;

/** --min-value: `N` (every metric) or `GLOB=N,...`; a floor is a finite number. */
export function parseMinValues(raw: string): [string, number][] {
  return parseList('min-value', raw).map((item) => {
    const eq = item.lastIndexOf('=');
    const glob = eq < 0 ? '*' : item.slice(0, eq).trim();
    const text = eq < 0 ? item : item.slice(eq + 1).trim();
    const n = text === '' ? NaN : Number(text);
    if (!glob || !Number.isFinite(n)) throw new UsageError(`--min-value: expected N or GLOB=N (N a finite number), got "${item}"`);
    return [glob, n];
  });
}

/**
 * Every selected rule's parameters (detect, hunt). The zscore rules' options (ZSCORE_ONLY) apply
 * to the zscore rules among them, and are an error when there are none.
 */
export function ruleParamsListOf(a: RuleArgs): RuleParams[] {
  const rules = scanRulesOf(a);
  const onlyNewEntity = rules.every((r) => r.kind === 'new-entity');
  return rules.map((r) => paramsOfRule(a, r, onlyNewEntity));
}

function paramsOfRule(a: RuleArgs, rule: RuleDefinition, strict: boolean): RuleParams {
  if (rule.kind === 'new-entity' && strict) {
    const meaningless = ZSCORE_ONLY.find((o) => a[o] !== undefined);
    if (meaningless) throw new UsageError(`--${meaningless}: ${describeRule(rule)} is kind new-entity, which has no ${meaningless}: it reports keys seen in the window and not in the baseline`);
  }
  const z = rule.kind === 'zscore' ? rule : undefined;
  // a new-entity rule among zscore ones takes none of their options
  const own: RuleArgs = z ? a : { ...a, ...Object.fromEntries(ZSCORE_ONLY.map((o) => [o, undefined])) };
  const window = own.window ?? rule.window;
  const span = own.span ?? z?.span ?? NEW_ENTITY_SPAN;
  const baseline = own.baseline ?? rule.baseline;
  const p: RuleParams = {
    rule,
    sigma: z ? parsePositiveNumber('sigma', own.sigma ?? z.sigma) : Infinity,
    minCount: z ? parseCount('min-count', own['min-count'] ?? z.minCount, 0) : 0,
    windowMs: parseDuration('window', window),
    spanMs: parseDuration('span', span),
    baselineMs: parseDuration('baseline', baseline),
    metricPatterns: own.metrics === undefined ? [...rule.metrics] : parseList('metrics', own.metrics),
    splunkParity: a['splunk-parity'],
    ...(own['min-value'] === undefined ? {} : { minValues: parseMinValues(own['min-value']) }),
    ...(own['baseline-model'] === 'hour-of-day' ? { baselineModel: 'hour-of-day' as const } : {}),
    ...(own['baseline-model'] === 'robust' ? { baselineModel: 'robust' as const } : {}),
    ...(own['weekday-split'] ? { weekdaySplit: true } : {}),
  };
  if (p.splunkParity && p.baselineModel === 'robust') {
    throw new UsageError("--splunk-parity: not with --baseline-model robust: the parity quirk (stdev_udp.* = avg(udp.*)) is about Splunk's standard deviation, which the robust model replaces with the median and MAD");
  }
  if (p.weekdaySplit && p.baselineModel !== 'hour-of-day') throw new UsageError(`--weekday-split: splits the hour-of-day baseline; add --baseline-model hour-of-day (got ${own['baseline-model'] ?? 'flat'})`);
  if (p.weekdaySplit && p.baselineMs < p.windowMs + 7 * DAY_MS) {
    throw new UsageError(`--weekday-split: --baseline (${baseline}) must be at least the window and 7d, so that every T has earlier days of its kind`);
  }
  if (p.baselineModel === 'hour-of-day' && (p.windowMs > DAY_MS || p.baselineMs <= p.windowMs + DAY_MS)) {
    throw new UsageError(`--baseline-model hour-of-day compares the window with the same window on earlier days: --window (${window}) must be at most 1d and --baseline (${baseline}) longer than the window and one day`);
  }
  if (p.baselineMs <= p.windowMs) throw new UsageError(`--baseline (${baseline}) must be longer than --window (${window})`);
  if (p.spanMs > p.windowMs) throw new UsageError(`--span (${span}) must not be longer than --window (${window})`);
  return p;
}

/** What the planner must find in every file: the timestamp, and the rules' group and key columns. */
export function inspectOptionsOf(a: { 'timestamp-unit'?: string }, ...ps: RuleParams[]): InspectOptions {
  const unit = a['timestamp-unit'] === undefined ? {} : { timestampUnit: a['timestamp-unit'] as EpochUnit };
  const rules = ps.flatMap((p) => (p.rule ? [p.rule] : []));
  return rules.length ? { ...unit, keyColumns: [...new Set(rules.flatMap((r) => keyingColumns(keyingOf(r))))] } : unit;
}

export function workersOf(raw: string): number {
  return parseCount('workers', raw, 1, 1024);
}

export function outputFormatOf(a: { format?: string; out?: string }): Format {
  if (a.format) return a.format as Format;
  if (a.out) return formatForPath(a.out) ?? 'ndjson';
  return process.stdout.isTTY ? 'table' : 'ndjson';
}
