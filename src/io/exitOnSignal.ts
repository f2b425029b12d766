import { removeTempFilesSync } from './tempFiles.js';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
/** how long a signal waits for worker threads to stop before it removes the files and exits anyway */
const STOP_WAIT_MS = 2_000;
let installed = false;
let stopping = false;
const stoppers = new Set<() => Promise<unknown>>();

/**
 * Something to stop before a signal's cleanup: worker threads, which would otherwise go on
 * creating temporary files after the sweep. Returns the function that unregisters it.
 */
export function stopOnSignal(stop: () => Promise<unknown>): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** Whether a signal has come and the process is stopping its workers before it exits. */
export function signalled(): boolean {
  return stopping;
}

/**
 * Ctrl-C or a `kill` during a run stops the worker threads, removes the temporary files of writes
 * in flight, then exits 128 + the signal number, as a shell reports a process the signal killed;
 * so does any other exit. A second signal does not wait for the workers.
 */
export function exitOnSignal(name = 'egress-anomaly'): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeTempFilesSync);
  for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]) {
    process.on(signal, () => {
      const exit = () => {
        removeTempFilesSync();
        process.stderr.write(`${name}: interrupted by ${signal}; temporary files removed\n`);
        process.exit(EXIT_CODES[signal]);
      };
      if (stopping || stoppers.size === 0) return exit();
      stopping = true;
      const timer = setTimeout(exit, STOP_WAIT_MS);
      void Promise.allSettled([...stoppers].map((stop) => stop())).then(() => {
        clearTimeout(timer);
        exit();
      });
    });
  }
}
