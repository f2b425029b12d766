/**
 * The decode-only floor as a whole run: find and inspect the files, plan the scan exactly as
 * detect does, then decode every planned row group on a Piscina pool configured like ours
 * (src/pool/createPool.ts), without aggregating anything.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { DecodeOnlyResult } from './decodeOnly.js';
import { detectWindow } from '../src/plan/scanWindow.js';
import { inspectAll } from '../src/pipeline/inspectAll.js';
import { planScan } from '../src/plan/planScan.js';
import { DEFAULT_PARAMS } from '../src/rule/rule.js';

export interface FloorResult {
  rows: number;
  sliceBytes: number;
  tasks: number;
  rowGroupsWithoutTimestamp: number;
}

export async function decodeFloor(data: string, atMs: number, threads: number): Promise<FloorResult> {
  const files = await inspectAll(data, DEFAULT_PARAMS.metricPatterns);
  const window = detectWindow(atMs, DEFAULT_PARAMS);
  const plan = planScan(files, window, window.baselineStart, window.recentEnd);
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./decodeWorker.js', import.meta.url)),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
  try {
    const results = (await Promise.all(plan.tasks.map((t) => pool.run(t)))) as DecodeOnlyResult[];
    return {
      rows: results.reduce((s, r) => s + r.rows, 0),
      sliceBytes: results.reduce((s, r) => s + r.sliceBytes, 0),
      tasks: plan.tasks.length,
      rowGroupsWithoutTimestamp: plan.tasks.filter((t) => (t.wholeCell?.[0] ?? -1) >= 0).length,
    };
  } finally {
    await pool.destroy();
  }
}
