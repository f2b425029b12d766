import type { Finding } from '../evaluate/finding.js';
import { toParquet } from './findingsParquet.js';
import { toCsv, toJson, toNdjson, toTable, type Format } from './formats.js';

export function renderFindings(findings: Finding[], format: Format): string | Uint8Array {
  switch (format) {
    case 'table': return toTable(findings);
    case 'ndjson': return toNdjson(findings);
    case 'json': return toJson(findings);
    case 'csv': return toCsv(findings);
    case 'parquet': return toParquet(findings);
  }
}
