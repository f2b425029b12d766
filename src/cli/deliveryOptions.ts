import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Format } from '../output/formats.js';
import { hecEndpointOf, type HecEndpoint } from '../output/hecEndpoint.js';
import { DEFAULT_HEC_EVENT_OPTIONS, type HecEventOptions } from '../output/hecEvents.js';
import type { HecTarget } from '../output/hecPost.js';
import { UsageError } from './parseOptions.js';
import type { RuleArgs } from './ruleOptions.js';

/** Where findings go besides --out: an HTML report and Splunk HEC. */
export interface Delivery {
  report?: string;
  hec?: HecTarget;
  hecEvent: HecEventOptions;
}

function hecField(option: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '' || /[\u0000-\u001f\u007f]/.test(raw)) {
    throw new UsageError(`--${option}: expected a non-empty name without control characters, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function endpointOf(raw: string): HecEndpoint {
  try {
    return hecEndpointOf(raw);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export type DeliveryArgs = Pick<RuleArgs, 'out' | 'report' | 'hec-url' | 'hec-ack' | 'hec-index' | 'hec-source' | 'hec-sourcetype'>;

/** --report and --hec-*, checked before any scan. The token is read here and never printed. */
export function deliveryOf(a: DeliveryArgs, format: Format, env: NodeJS.ProcessEnv = process.env): Delivery {
  const index = hecField('hec-index', a['hec-index']);
  if (index !== undefined && !/^[a-z0-9_][a-z0-9_-]*$/.test(index)) {
    throw new UsageError(`--hec-index: a Splunk index name is lowercase letters, digits, _ and -, got ${JSON.stringify(index)}`);
  }
  const hecEvent: HecEventOptions = {
    source: hecField('hec-source', a['hec-source']) ?? DEFAULT_HEC_EVENT_OPTIONS.source,
    sourcetype: hecField('hec-sourcetype', a['hec-sourcetype']) ?? DEFAULT_HEC_EVENT_OPTIONS.sourcetype,
    ...(index === undefined ? {} : { index }),
  };
  if (a['hec-url'] === undefined && format !== 'hec') {
    for (const o of ['hec-index', 'hec-source', 'hec-sourcetype'] as const) {
      if (a[o] !== undefined) throw new UsageError(`--${o}: only applies with --hec-url or --format hec`);
    }
  }
  if (a['hec-ack'] && a['hec-url'] === undefined) throw new UsageError('--hec-ack: only applies with --hec-url');
  let hec: HecTarget | undefined;
  if (a['hec-url'] !== undefined) {
    const endpoint = endpointOf(a['hec-url']);
    const token = env.SPLUNK_HEC_TOKEN?.trim();
    if (!token) throw new UsageError('--hec-url: set the HEC token in the environment variable SPLUNK_HEC_TOKEN (it is never taken from the command line)');
    if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError('--hec-url: SPLUNK_HEC_TOKEN holds characters an HTTP header cannot carry (its value is not shown)');
    hec = { endpoint, token, ack: a['hec-ack'] === true };
  }
  let report: string | undefined;
  if (a.report !== undefined) {
    if (!/\.html?$/i.test(a.report)) throw new UsageError(`--report: expected a file name ending in .html, got "${a.report}"`);
    if (a.out !== undefined && resolve(a.out) === resolve(a.report)) throw new UsageError('--report: must not be the --out file');
    const dir = dirname(resolve(a.report));
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--report: folder ${dir} does not exist`);
    report = a.report;
  }
  return { report, hec, hecEvent };
}
