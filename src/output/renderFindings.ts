import type { Finding } from '../evaluate/finding.js';
import { toCsv, toJson, toNdjson, toTable, type Format } from './formats.js';

/** Parquet output loads apache-arrow and parquet-wasm only when asked for: they cost start-up time. */
export async function renderFindings(findings: Finding[], format: Format): Promise<string | Uint8Array> {
  switch (format) {
    case 'table': return toTable(findings);
    case 'ndjson': return toNdjson(findings);
    case 'json': return toJson(findings);
    case 'csv': return toCsv(findings);
    case 'parquet': return (await import('./findingsParquet.js')).toParquet(findings);
  }
}
