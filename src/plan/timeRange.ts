import type { FileInfo } from './inspectFile.js';
import type { ScanTask } from './scanTask.js';
import type { ScanWindow } from './scanWindow.js';

export interface TimeRangePlan {
  /** the latest timestamp the metadata proves, -Infinity when none does */
  known: number;
  /** row groups whose time range only decoding their timestamps can tell */
  tasks: ScanTask[];
}

/** How to find the latest timestamp in the data: from layout or statistics, else by decoding timestamps only. */
export function planTimeRange(files: FileInfo[], spanMs: number): TimeRangePlan {
  let known = -Infinity;
  const tasks: ScanTask[] = [];
  const none: ScanWindow = { baselineStart: 0, baselineEnd: 0, cellMs: 1, recentStart: 0, recentEnd: 0, spanMs };
  for (const f of files) {
    for (const rg of f.rowGroups) {
      if (rg.rows === 0) continue;
      if (rg.maxTs !== undefined) known = Math.max(known, rg.maxTs);
      else {
        tasks.push({
          path: f.path, size: f.size, mtimeMs: f.mtimeMs, rowGroups: [rg.index], metrics: [], metricColumns: [], window: none, allColumns: false, timestampsOnly: true,
          ...(f.timestampUnit ? { timestampUnit: f.timestampUnit } : {}),
          ...(f.etag ? { etag: f.etag } : {}),
        });
      }
    }
  }
  return { known, tasks };
}
