import { Float64, TimestampMillisecond, Utf8, makeData, vectorFromArray, type Data } from 'apache-arrow';
import type { BatchColumns } from '../../src/scan/accumulator.js';

export interface Row {
  ts: number;
  cluster: string | null;
  workload: string | null;
  process: string | null;
  [metric: string]: number | string | null;
}

/** Arrow columns for rows, metrics in the given order (null where a row lacks the metric). */
export function batchOf(rows: Row[], metrics: string[]): BatchColumns {
  const str = (k: 'cluster' | 'workload' | 'process'): Data => vectorFromArray(rows.map((r) => r[k]), new Utf8()).data[0];
  return {
    timestamp: makeData({ type: new TimestampMillisecond(), length: rows.length, data: BigInt64Array.from(rows, (r) => BigInt(r.ts)) }),
    cluster: str('cluster'),
    workload: str('workload'),
    process: str('process'),
    metrics: metrics.map((m) => vectorFromArray(rows.map((r) => (r[m] === undefined ? null : (r[m] as number | null))), new Float64()).data[0]),
  };
}
