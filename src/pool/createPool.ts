import { stopOnSignal } from '../io/exitOnSignal.js';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/** Beyond a few threads per core more workers only cost memory; hundreds of them abort V8. */
export const MAX_WORKERS_PER_CORE = 4;

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export function maxWorkers(): number {
  return MAX_WORKERS_PER_CORE * defaultWorkers();
}

/** The worker count to use for `requested`, saying so through `note` when it is capped. */
export function capWorkers(requested: number, note?: (message: string) => void): number {
  const cap = maxWorkers();
  if (requested <= cap) return requested;
  note?.(`--workers ${requested} is more than ${MAX_WORKERS_PER_CORE} per core (${defaultWorkers()} cores here); using ${cap}`);
  return cap;
}

/** A worker that died outside any task (while it booted, say) fails the pool's pending tasks. */
const failures = new WeakMap<Piscina, Error>();

/** Why the pool failed, if a worker died outside a task; such a failure explains every task's rejection. */
export function poolFailure(pool: Piscina): Error | undefined {
  return failures.get(pool);
}

/**
 * Workers stay alive between tasks so their wasm heaps stay warm. Up to a core's worth boot at once
 * (while the planner reads footers); more start only while tasks are queued, and never more than
 * `tasks` when the caller knows how many there are.
 *
 * One task at a time per worker (concurrentTasksPerWorker: 1) is what makes the scan's
 * per-thread scratch buffers (scan/scanScratch.ts) safe: raise it and they must become per task.
 */
export function createPool(worker: 'scan' | 'export' | 'source', threads: number, tasks?: number): Piscina {
  const filename = workerFile(worker);
  const max = Math.max(1, Math.min(capWorkers(threads), tasks ?? Infinity));
  const pool = new Piscina({
    filename,
    minThreads: Math.min(max, defaultWorkers()),
    maxThreads: max,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
  watchPool(pool, worker);
  // a signal stops the threads before it sweeps their temporary files, or they would write new ones
  stopOnSignal(() => pool.destroy());
  return pool;
}

/**
 * The worker's one-file bundle (scripts/bundleWorkers.mjs), which boots several times faster than
 * tsc's modules; tsc's output when the bundle is missing or older than it (a build by tsc alone).
 * From dist/ the worker sits beside us; from sources (tests) use the build in dist/.
 */
export function workerFile(worker: string): string {
  let compiled = fileURLToPath(new URL(`../../workers/${worker}.js`, import.meta.url));
  if (!existsSync(compiled)) compiled = fileURLToPath(new URL(`../../dist/workers/${worker}.js`, import.meta.url));
  const bundle = compiled.replace(/\.js$/, '.bundle.js');
  const built = statSync(bundle, { throwIfNoEntry: false });
  return built && built.mtimeMs >= (statSync(compiled, { throwIfNoEntry: false })?.mtimeMs ?? 0) ? bundle : compiled;
}

/**
 * Piscina emits 'error' for a worker that dies with no task (unhandled, that ends the process with
 * a stack trace) and then waits forever for the tasks queued behind it: record it and end the pool.
 */
export function watchPool(pool: Piscina, what: string): void {
  pool.on('error', (cause: unknown) => {
    if (failures.has(pool)) return;
    const msg = String((cause as Error)?.message ?? cause).split('\n')[0];
    failures.set(pool, new Error(`${what}: a worker thread failed: ${msg}`, { cause }));
    void pool.destroy().catch(() => undefined);
  });
}
