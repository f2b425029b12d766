import type { Piscina } from 'piscina';
import type { ScanTask } from '../scan/scanTask.js';
import type { PartialState } from '../state/partialState.js';

/**
 * Runs scan tasks on the pool and hands results to `consume` strictly in task order (a small
 * reorder buffer), so the merge, and so the output, is the same whatever the worker count.
 */
export async function runScan(
  pool: Piscina, tasks: ScanTask[], consume: (p: PartialState, task: ScanTask) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const ready = new Map<number, PartialState>();
  let next = 0;
  let done = 0;
  const failures: Error[] = [];
  await Promise.all(tasks.map(async (task, i) => {
    let p: PartialState;
    try {
      p = (await pool.run(task)) as PartialState;
    } catch (cause) {
      const msg = (cause as Error).message ?? String(cause);
      failures.push(msg.startsWith('scan: ') || msg.startsWith('parquet: ')
        ? new Error(msg, { cause })
        : new Error(`scan: worker failed on ${task.path} row group ${task.rowGroups.join(',')}: ${msg}`, { cause }));
      return;
    }
    ready.set(i, p);
    while (ready.has(next)) {
      const q = ready.get(next)!;
      ready.delete(next);
      if (failures.length === 0) consume(q, tasks[next]);
      next++;
    }
    onProgress?.(++done, tasks.length);
  }));
  if (failures.length) throw failures[0];
}
