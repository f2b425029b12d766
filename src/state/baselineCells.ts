/**
 * Baseline moments per key (workload, process) and cell: the baseline half of every partial, and
 * all that a day of `--state` holds. Layout: key x cell x metric x MOMENT_STRIDE, row-major.
 */
export interface BaselineCells {
  metrics: string[];
  /** key k is (workloads[k], processes[k]) */
  workloads: string[];
  processes: string[];
  /** epoch ms where cell 0 starts */
  cellOrigin: number;
  cellCount: number;
  baseline: Float64Array;
}
