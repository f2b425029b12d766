/**
 * Rows of one day from a source other than the generator, columnar, already sorted by workload,
 * process, cluster, destination (and the other dimensions), then timestamp.
 */
export interface RecordColumns {
  length: number;
  /** epoch ms */
  timestamp: Float64Array;
  /** string columns in file order: per row an index into `names`, -1 for null */
  dims: { name: string; ids: Int32Array; names: string[] }[];
  /** float64 columns in file order; NaN is null */
  metrics: { name: string; values: Float64Array }[];
}
