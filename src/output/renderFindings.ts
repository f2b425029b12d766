import type { Finding } from '../evaluate/finding.js';
import { toCsv, toJson, toNdjson, toTable, type Format } from './formats.js';
import { DEFAULT_HEC_EVENT_OPTIONS, toHec, type HecEventOptions } from './hecEvents.js';

export interface RenderOptions {
  /** envelope fields of --format hec */
  hec?: HecEventOptions;
}

/** Parquet output loads apache-arrow and parquet-wasm only when asked for: they cost start-up time. */
export async function renderFindings(findings: Finding[], format: Format, options: RenderOptions = {}): Promise<string | Uint8Array> {
  switch (format) {
    case 'table': return toTable(findings);
    case 'ndjson': return toNdjson(findings);
    case 'json': return toJson(findings);
    case 'csv': return toCsv(findings);
    case 'parquet': return (await import('./findingsParquet.js')).toParquet(findings);
    case 'hec': return toHec(findings, options.hec ?? DEFAULT_HEC_EVENT_OPTIONS);
  }
}
