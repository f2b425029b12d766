/**
 * Item 7: a file replaced or rewritten between planning and scanning is refused by the worker,
 * which checks the planned size and mtime when it opens the file, instead of being decoded with a
 * plan made for other bytes. Through a real scan pool (the build in dist/, `npx tsc -p .` first).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile } from '../../src/plan/inspectFile.js';
import { planScan } from '../../src/plan/planScan.js';
import { detectWindow } from '../../src/plan/scanWindow.js';
import { createPool } from '../../src/pool/createPool.js';
import { runScan } from '../../src/pool/runScan.js';
import { DEFAULT_PARAMS } from '../../src/rule/rule.js';
import { CHANGED_FILE_MESSAGE, END } from './cases.js';
import { runCli } from './helpers/runCli.js';

let tmp: string;
let days: string[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-changed-'));
  const data = join(tmp, 'data');
  const r = await runCli(['export', '--out', data, '--days', '2', '--seed', '4', '--clusters', '2', '--workloads', '3', '--end', END, '--workers', '2', '--quiet']);
  if (r.status !== 0) throw new Error(`export failed: ${r.stderr}`);
  days = ['day=2026-01-01', 'day=2026-01-02'].map((d) => join(data, d, 'part-0.parquet'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const CHANGES: [string, (file: string) => void][] = [
  ['replaced by another Parquet file', (file) => copyFileSync(days[1], file)],
  ['rewritten in place (same size, new mtime)', (file) => {
    const { mtime } = statSync(file);
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
  }],
];

describe('a file changed after planning', () => {
  it.for(CHANGES)('%s: the scan fails in one line naming it', async ([, change], { task }) => {
    const file = join(tmp, `${task.id}.parquet`);
    copyFileSync(days[0], file);
    const plan = planScan([await inspectFile(file, DEFAULT_PARAMS.metricPatterns)], detectWindow(Date.parse(END), DEFAULT_PARAMS), -Infinity, Infinity);
    expect(plan.tasks.length).toBeGreaterThan(0);
    const pool = createPool('scan', 1);
    try {
      let rows = 0;
      await runScan(pool, plan.tasks, (p) => { rows += p.stats.rowsRead; });
      expect(rows).toBeGreaterThan(0); // unchanged, the plan scans
      change(file);
      await expect(runScan(pool, plan.tasks, () => undefined)).rejects.toThrow(CHANGED_FILE_MESSAGE(file));
    } finally {
      await pool.destroy();
    }
  });
});
