import type { Argv } from 'yargs';
import { DEFAULT_PARAMS, type RuleParams } from '../rule/rule.js';
import { FORMATS, formatForPath, type Format } from '../output/formats.js';
import { DEFAULT_HEC_EVENT_OPTIONS } from '../output/hecEvents.js';
import { defaultWorkers } from '../pool/createPool.js';
import { EPOCH_UNITS, type EpochUnit } from '../parquet/epochUnit.js';
import type { InspectOptions } from '../plan/inspectFile.js';
import { UsageError, parseCount, parseDuration, parseList, parsePositiveNumber } from './parseOptions.js';

/** Options shared by detect and hunt: the rule's parameters, output and pool. */
export function withRuleOptions<T>(y: Argv<T>) {
  return y
    .option('data', { type: 'string', demandOption: true, describe: 'a Parquet file, or a folder searched recursively for *.parquet; or s3://bucket/prefix/, s3://bucket/key.parquet, https://host/file.parquet' })
    .option('format', { type: 'string', choices: FORMATS, describe: 'output format [default: table on a terminal, else ndjson; with --out, from its extension]' })
    .option('out', { type: 'string', describe: 'write findings to FILE (atomically) instead of stdout' })
    .option('workers', { type: 'string', default: String(defaultWorkers()), describe: 'worker threads' })
    .option('sigma', { type: 'string', default: String(DEFAULT_PARAMS.sigma), describe: 'anomaly threshold: value > avg + sigma * stdev' })
    .option('min-count', { type: 'string', default: String(DEFAULT_PARAMS.minCount), describe: 'report a key with more than this many anomalies' })
    .option('window', { type: 'string', default: '1h', describe: 'recent window before T' })
    .option('span', { type: 'string', default: '10s', describe: 'bucket width in the recent window' })
    .option('baseline', { type: 'string', default: '30d', describe: 'baseline length before T (the window is excluded)' })
    .option('metrics', { type: 'string', default: DEFAULT_PARAMS.metricPatterns.join(','), describe: 'metric column globs' })
    .option('splunk-parity', { type: 'boolean', default: false, describe: 'reproduce the published search, including stdev_udp.* = avg(udp.*)' })
    .option('suppress', { type: 'string', describe: 'suppression rules file (host=/workload=/process= globs, or JSON)' })
    .option('timestamp-unit', timestampUnitOption)
    .option('strict', { type: 'boolean', default: false, describe: 'fail on NaN, infinite or negative metric values instead of skipping them' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress or summary on stderr' })
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
  sigma: string;
  'min-count': string;
  window: string;
  span: string;
  baseline: string;
  metrics: string;
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

export function ruleParamsOf(a: RuleArgs): RuleParams {
  const p: RuleParams = {
    sigma: parsePositiveNumber('sigma', a.sigma),
    minCount: parseCount('min-count', a['min-count'], 0),
    windowMs: parseDuration('window', a.window),
    spanMs: parseDuration('span', a.span),
    baselineMs: parseDuration('baseline', a.baseline),
    metricPatterns: parseList('metrics', a.metrics),
    splunkParity: a['splunk-parity'],
  };
  if (p.baselineMs <= p.windowMs) throw new UsageError(`--baseline (${a.baseline}) must be longer than --window (${a.window})`);
  if (p.spanMs > p.windowMs) throw new UsageError(`--span (${a.span}) must not be longer than --window (${a.window})`);
  return p;
}

export function workersOf(raw: string): number {
  return parseCount('workers', raw, 1, 1024);
}

export function outputFormatOf(a: { format?: string; out?: string }): Format {
  if (a.format) return a.format as Format;
  if (a.out) return formatForPath(a.out) ?? 'ndjson';
  return process.stdout.isTTY ? 'table' : 'ndjson';
}
