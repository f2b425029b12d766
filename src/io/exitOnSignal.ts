import { removeTempFilesSync } from './tempFiles.js';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
let installed = false;

/**
 * Ctrl-C or a `kill` during a run removes the temporary files of writes in flight, then exits
 * 128 + the signal number, as a shell reports a process the signal killed; so does any other exit.
 */
export function exitOnSignal(name = 'egress-anomaly'): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeTempFilesSync);
  for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]) {
    process.on(signal, () => {
      removeTempFilesSync();
      process.stderr.write(`${name}: interrupted by ${signal}; temporary files removed\n`);
      process.exit(EXIT_CODES[signal]);
    });
  }
}
