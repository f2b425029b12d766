/**
 * One fresh process of benchmarks/startup.ts: opens a scan pool the way detect does, keeps one task
 * per worker in flight until every worker has run its first, and prints each worker's start-up as
 * JSON lines (milliseconds since the pool was created). Run with EGRESS_ANOMALY_TIMING=1.
 */
import { DEFAULT_PARAMS } from '../src/rule/rule.js';
import { createPool } from '../src/pool/createPool.js';
import { inspectAll } from '../src/pipeline/inspectAll.js';
import { planScan } from '../src/plan/planScan.js';
import { defaultDetectionTime, detectWindow } from '../src/plan/scanWindow.js';
import { planTimeRange } from '../src/plan/timeRange.js';
import { epochNow, type WorkerTiming } from '../src/pool/workerTiming.js';
import type { ScanTask } from '../src/plan/scanTask.js';

export interface FirstTask {
  /** this process's imports, before the pool exists */
  importMs: number;
  thread: number;
  started: number;
  loaded: number;
  taskStart: number;
  taskEnd: number;
}

const MAX_TASKS = 64;

async function main(): Promise<void> {
  const [file, n] = [process.argv[2], Number(process.argv[3])];
  const created = epochNow();
  const pool = createPool('scan', n);
  const files = await inspectAll(file, DEFAULT_PARAMS.metricPatterns);
  const range = planTimeRange(files, DEFAULT_PARAMS.spanMs);
  let tasks: ScanTask[] = range.tasks;
  if (tasks.length === 0) {
    const window = detectWindow(defaultDetectionTime(range.known, DEFAULT_PARAMS.spanMs), DEFAULT_PARAMS);
    tasks = planScan(files, window, window.baselineStart, window.recentEnd).tasks;
  }
  const firsts = new Map<number, WorkerTiming>();
  let sent = 0;
  const one = async (): Promise<void> => {
    while (firsts.size < n && sent < MAX_TASKS) {
      const { timing } = (await pool.run(tasks[sent++ % tasks.length])) as { timing: WorkerTiming };
      if (timing.firstTask) firsts.set(timing.threadId, timing);
    }
  };
  await Promise.all(Array.from({ length: n }, one));
  await pool.destroy();
  const rel = (t: number) => t - created;
  for (const t of [...firsts.values()].sort((a, b) => a.taskStart - b.taskStart)) {
    const row: FirstTask = {
      importMs: created - performance.timeOrigin, thread: t.threadId,
      started: rel(t.started), loaded: rel(t.loaded), taskStart: rel(t.taskStart), taskEnd: rel(t.taskEnd),
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}

await main();
