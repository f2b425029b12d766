import type { Argv } from 'yargs';
import { RULE, outboundRule, type RuleParams } from '../rule/rule.js';
import type { ZScoreRule } from '../rule/ruleDefinition.js';
import { FORMATS, formatForPath, type Format } from '../output/formats.js';
import { DEFAULT_HEC_EVENT_OPTIONS } from '../output/hecEvents.js';
import { defaultWorkers } from '../pool/createPool.js';
import { EPOCH_UNITS, type EpochUnit } from '../parquet/epochUnit.js';
import type { InspectOptions } from '../plan/inspectFile.js';
import { UsageError, parseCount, parseDuration, parseList, parsePositiveNumber } from './parseOptions.js';
import { warn } from './progress.js';
import { describeRule, scanRuleOf } from './selectRule.js';

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
    .option('splunk-parity', { type: 'boolean', default: false, describe: 'reproduce the published search, including stdev_udp.* = avg(udp.*)' })
    .option('suppress', { type: 'string', describe: 'suppression rules file (host=/workload=/process= globs, or JSON)' })
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

export function inspectOptionsOf(a: { 'timestamp-unit'?: string }): InspectOptions {
  return a['timestamp-unit'] === undefined ? {} : { timestampUnit: a['timestamp-unit'] as EpochUnit };
}

/** The selected rule's parameters (--rule, --rules), each overridden by its option when given. */
export function ruleParamsOf(a: RuleArgs): RuleParams {
  const rule = scanRuleOf(a);
  const window = a.window ?? rule.window;
  const span = a.span ?? rule.span;
  const baseline = a.baseline ?? rule.baseline;
  const p: RuleParams = {
    sigma: parsePositiveNumber('sigma', a.sigma ?? rule.sigma),
    minCount: parseCount('min-count', a['min-count'] ?? rule.minCount, 0),
    windowMs: parseDuration('window', window),
    spanMs: parseDuration('span', span),
    baselineMs: parseDuration('baseline', baseline),
    metricPatterns: a.metrics === undefined ? [...rule.metrics] : parseList('metrics', a.metrics),
    splunkParity: a['splunk-parity'],
  };
  if (p.baselineMs <= p.windowMs) throw new UsageError(`--baseline (${baseline}) must be longer than --window (${window})`);
  if (p.spanMs > p.windowMs) throw new UsageError(`--span (${span}) must not be longer than --window (${window})`);
  if (!rule.builtin) siteRuleNote(rule, p);
  return p;
}

/**
 * A site's rule runs on the outbound rule's scan, so only its parameters reach the findings: its
 * identity and its parity quirks do not yet, and the user is told rather than left to assume.
 */
function siteRuleNote(rule: ZScoreRule, p: RuleParams): void {
  const scanParity = outboundRule().parityStdevIsMean;
  const globs = (prefixes: string[]) => JSON.stringify(prefixes.map((x) => `${x}*`));
  if (p.splunkParity && rule.parityStdevIsMean.join() !== scanParity.join()) {
    throw new UsageError(`--splunk-parity: ${describeRule(rule)} declares parity.stdev_is_mean ${globs(rule.parityStdevIsMean)}, ` +
      `but the scan applies the outbound rule's ${globs(scanParity)} today`);
  }
  warn(`rules: note: ${describeRule(rule)} runs with its own sigma, min count, window, span, baseline and metrics, ` +
    `but its findings carry the outbound rule's rule_id ${RULE.id}, risk score, risk message and MITRE id: findings of several rules are not written yet`);
}

export function workersOf(raw: string): number {
  return parseCount('workers', raw, 1, 1024);
}

export function outputFormatOf(a: { format?: string; out?: string }): Format {
  if (a.format) return a.format as Format;
  if (a.out) return formatForPath(a.out) ?? 'ndjson';
  return process.stdout.isTTY ? 'table' : 'ndjson';
}
