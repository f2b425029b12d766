import type { ScanWindow } from './scanWindow.js';
import type { EpochUnit } from '../parquet/epochUnit.js';
import type { Keying } from '../rule/keying.js';

/** One unit of work for a scan worker: some row groups of one file, and where their rows go. */
export interface ScanTask {
  path: string;
  rowGroups: number[];
  /** global metric list; metricColumns[j] is this file's column for metric j, or null */
  metrics: string[];
  metricColumns: (string | null)[];
  window: ScanWindow;
  /** the group and key columns the rows are folded by (timestamps-only tasks read none) */
  keying?: Keying;
  /** further keyings folded from the same decoded rows (several rules in one pass); the worker returns their partials in PartialState.more */
  moreKeyings?: Keying[];
  /** decode every column (keeps the file's Arrow schema hint) instead of a projection */
  allColumns: boolean;
  /** the unit of a bare INT64 timestamp column's raw values (FileInfo.timestampUnit); absent: the decoded type's */
  timestampUnit?: EpochUnit;
  /** the file as planned (FileInfo.size, mtimeMs; 0: unknown): the worker refuses it if it changed since */
  size?: number;
  mtimeMs?: number;
  /** an object's ETag as planned (FileInfo.etag) */
  etag?: string;
  /** only find the time range: decodes the timestamp column alone */
  timestampsOnly?: boolean;
  /**
   * per row group: the baseline cell that provably holds all its rows (from the exporter's layout
   * or statistics), so neither timestamp nor cluster is decoded; -1 where rows must be placed.
   */
  wholeCell?: number[];
  /** per row group: its rows' keys as runs, from the exporter's layout, so no string is decoded */
  keyRuns?: ([string, string, number][] | null)[];
}
