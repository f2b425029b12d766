import type { ScanTask } from '../plan/scanTask.js';

/**
 * The plan (row groups, layout, statistics) describes the file the planner read; a file replaced
 * since then would be decoded with the wrong plan, so the worker refuses it instead.
 */
export function checkUnchanged(task: ScanTask, { size, mtimeMs, etag }: { size: number; mtimeMs: number; etag?: string }): void {
  if ((task.size !== undefined && size !== task.size) || (task.mtimeMs && mtimeMs !== task.mtimeMs)) {
    throw new Error(`scan: ${task.path} changed while the run was reading it (size/mtime differ from the plan); run again`);
  }
  // an object rewritten within LastModified's one-second resolution keeps its size and mtime
  if (task.etag !== undefined && etag !== undefined && etag !== task.etag) {
    throw new Error(`scan: ${task.path} changed while the run was reading it (its ETag differs from the plan); run again`);
  }
}
