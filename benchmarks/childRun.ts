import { spawn } from 'node:child_process';
import { formatSeconds } from '../src/bench/stats.js';

export interface Child {
  ms: number;
  stdout: string;
  stderr: string;
}

/** Runs `node ARGS` from `cwd` to its exit; wall time is spawn to exit. A non-zero exit rejects, naming `who`. */
export function runNode(args: string[], cwd: string, who: string): Promise<Child> {
  return new Promise((res, rej) => {
    const t = performance.now();
    const c = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('error', rej);
    c.on('close', (code) => {
      if (code !== 0) rej(new Error(`${who}: ${args.slice(0, 2).join(' ')} exited ${code}: ${err.trim()}`));
      else res({ ms: performance.now() - t, stdout: out, stderr: err });
    });
  });
}

export interface TimedRuns {
  label: string;
  ms: number[];
  last: Child;
}

/** `runs` runs of one command, one after the other, each reported on stderr. */
export async function timedRuns(label: string, runs: number, args: string[], cwd: string, who: string): Promise<TimedRuns> {
  const ms: number[] = [];
  let last: Child | undefined;
  for (let i = 0; i < runs; i++) {
    last = await runNode(args, cwd, who);
    ms.push(last.ms);
    process.stderr.write(`${who}: ${label} run ${i + 1}/${runs}: ${formatSeconds(last.ms)} s\n`);
  }
  return { label, ms, last: last! };
}
