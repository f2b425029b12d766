import type { Piscina } from 'piscina';
import type { ScanTask } from '../plan/scanTask.js';
import type { PartialState } from '../state/partialState.js';
import { addTransfers } from '../io/transferCounters.js';
import { poolFailure } from './createPool.js';

/**
 * Runs scan tasks on the pool and hands results to `consume` strictly in task order (a small
 * reorder buffer), so the merge, and so the output, is the same whatever the worker count.
 * At most `window` tasks are submitted ahead of the consumer, so finished partials cannot pile up
 * in memory while the consumer (hunt's evaluation, say) is busy.
 */
export async function runScan(
  pool: Piscina, tasks: ScanTask[], consume: (p: PartialState, task: ScanTask) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const window = Math.max(2, pool.options.maxThreads * 2);
  const ready = new Map<number, PartialState>();
  let next = 0;
  let submitted = 0;
  let done = 0;
  let failure: Error | undefined;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (failure || next >= tasks.length) {
        if (submitted === done) resolve();
        return;
      }
      while (submitted < tasks.length && submitted - next < window) submit(submitted++);
    };
    const submit = (i: number) => {
      const task = tasks[i];
      (pool.run(task) as Promise<PartialState>).then((p) => {
        addTransfers(p.stats);
        ready.set(i, p);
        while (!failure && ready.has(next)) {
          const q = ready.get(next)!;
          ready.delete(next);
          try {
            consume(q, tasks[next]);
          } catch (e) {
            failure = e as Error;
          }
          next++;
        }
        done++;
        onProgress?.(done, tasks.length);
        pump();
      }, (cause: unknown) => {
        const msg = String((cause as Error)?.message ?? cause).replace(/\s*\n\s*/g, ' ');
        failure ??= poolFailure(pool) ?? (msg.startsWith('scan: ') || msg.startsWith('parquet: ')
          ? new Error(msg, { cause })
          : new Error(`scan: worker failed on ${task.path} row group ${task.rowGroups.join(',')}: ${msg}`, { cause }));
        done++;
        pump();
      });
    };
    pump();
  });
  if (failure) throw poolFailure(pool) ?? failure;
}
