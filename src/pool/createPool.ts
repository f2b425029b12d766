import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Workers stay alive between tasks so their wasm heaps stay warm. */
export function createPool(worker: 'scan' | 'export', threads: number): Piscina {
  // From dist/ the compiled worker sits beside us; from sources (tests) use the build in dist/.
  let filename = fileURLToPath(new URL(`../../workers/${worker}.js`, import.meta.url));
  if (!existsSync(filename)) filename = fileURLToPath(new URL(`../../dist/workers/${worker}.js`, import.meta.url));
  return new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
}
