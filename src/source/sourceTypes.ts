export const SOURCE_KINDS = ['otlp', 'splunk-csv'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const DEFAULT_AGGREGATION = 'az_az';

export interface SourceOptions {
  /** OTLP: keep points whose `aggregation` attribute is this one (or absent) */
  aggregation: string;
  /** a malformed record is an error instead of being skipped and counted */
  strict: boolean;
}

/** What reading one input file found, beside its points. */
export interface SourceFileStats {
  path: string;
  points: number;
  /** records (lines, frames, rows, points) skipped as malformed */
  malformed: number;
  /** the first few malformed records, each naming the file and the line or byte offset */
  examples: string[];
  /** OTLP points whose `aggregation` attribute is not the configured one */
  otherAggregation: number;
  /** OTLP points of a kind the rule cannot use (histograms, summaries) */
  unsupported: number;
  /** OTLP cumulative Sum points, turned into deltas by the buffer */
  cumulative: number;
}

export function emptyStats(path: string): SourceFileStats {
  return { path, points: 0, malformed: 0, examples: [], otherAggregation: 0, unsupported: 0, cumulative: 0 };
}

const EXAMPLES = 5;

/** Skips and counts a malformed record, or, under --strict, stops the run with its message. */
export function malformed(stats: SourceFileStats, strict: boolean, message: string): void {
  if (strict) throw new Error(`${message} (--strict)`);
  stats.malformed++;
  if (stats.examples.length < EXAMPLES) stats.examples.push(message);
}
