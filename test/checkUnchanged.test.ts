import { describe, expect, it } from 'vitest';
import type { ScanTask } from '../src/plan/scanTask.js';
import { checkUnchanged } from '../src/scan/checkUnchanged.js';

const task = (planned: Partial<ScanTask>): ScanTask => ({
  path: 's3://b/day=2026-01-01/part-0.parquet', rowGroups: [0], metrics: [], metricColumns: [], allColumns: false,
  window: { baselineStart: 0, baselineEnd: 0, cellMs: 1, recentStart: 0, recentEnd: 0, spanMs: 10_000 },
  ...planned,
});

describe('checkUnchanged', () => {
  it('passes a file or object as planned', () => {
    expect(() => checkUnchanged(task({ size: 10, mtimeMs: 5, etag: '"a"' }), { size: 10, mtimeMs: 5, etag: '"a"' })).not.toThrow();
    // a local file has no ETag; a plan without one checks size and mtime only
    expect(() => checkUnchanged(task({ size: 10, mtimeMs: 5 }), { size: 10, mtimeMs: 5, etag: '"b"' })).not.toThrow();
    expect(() => checkUnchanged(task({ size: 10, mtimeMs: 5, etag: '"a"' }), { size: 10, mtimeMs: 5 })).not.toThrow();
  });

  it('refuses an object rewritten with the same size within the same second: its ETag differs', () => {
    expect(() => checkUnchanged(task({ size: 10, mtimeMs: 5000, etag: '"a"' }), { size: 10, mtimeMs: 5000, etag: '"b"' }))
      .toThrow('scan: s3://b/day=2026-01-01/part-0.parquet changed while the run was reading it (its ETag differs from the plan); run again');
  });

  it('refuses a changed size or mtime', () => {
    expect(() => checkUnchanged(task({ size: 10, mtimeMs: 5 }), { size: 11, mtimeMs: 5 })).toThrow(/size\/mtime differ from the plan/);
    expect(() => checkUnchanged(task({ size: 10, mtimeMs: 5 }), { size: 10, mtimeMs: 6 })).toThrow(/size\/mtime differ from the plan/);
  });
});
