import type { Finding } from '../evaluate/finding.js';
import type { FindingSeries } from '../evaluate/findingSeries.js';
import type { ScanStats } from '../state/partialState.js';
import type { DataWarning } from './dataWarnings.js';
import { fromJsonText, toJsonText } from './shardMeta.js';

/**
 * What a hunt shard split by time stores: its T's findings (final: evaluation happened in the
 * shard), the series behind them and the clusters its windows saw (for merge's --report), and
 * what each task it read had to skip (tasks are read by several shards: merge counts each once).
 */
export type ShardRecord =
  | { finding: Finding }
  | { series: FindingSeries }
  | { clusters: string[] }
  | { task: number; path: string; stats: ScanStats }
  /** one detection per T: the warnings of the shard's T, per file the largest, and the rows they read */
  | { warnings: DataWarning[]; rowsRead: number };

export const encodeRecord = (r: ShardRecord): string => toJsonText(r);

export function decodeRecord(text: string): ShardRecord {
  const r = fromJsonText<ShardRecord>(text);
  if (r === null || typeof r !== 'object') throw new Error('a record is not an object');
  return r;
}
