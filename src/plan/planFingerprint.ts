import { createHash } from 'node:crypto';
import type { FileInfo } from './inspectFile.js';

/**
 * SHA-256 of what a plan is made of: every input file (path, size, mtime, timestamp unit, metric
 * columns, whether its layout is used) and row group (rows, time range), and `parts` (the command,
 * rule parameters, T or the T grid, the split). Shards that agree on it cut the same plan the
 * same way, so their partials merge; one that differs is refused.
 */
export function planFingerprint(files: FileInfo[], parts: Record<string, unknown>): string {
  const inputs = files.map((f) => [
    f.path, f.size, f.mtimeMs, f.etag ?? null, f.timestampUnit ?? null, f.exporterLayout, f.metricColumns,
    f.rowGroups.map((g) => [g.rows, g.minTs ?? null, g.maxTs ?? null, g.timestampsComplete]),
  ]);
  return createHash('sha256').update(JSON.stringify({ inputs, ...parts })).digest('hex');
}
