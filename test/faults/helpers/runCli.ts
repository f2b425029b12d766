/** Runs the compiled CLI for a fault case: with its own environment, optionally on a terminal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { CLI } from '../../helpers/cli.js';

export interface FaultRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** run under script(1), so stdout is a terminal */
  tty?: boolean;
  timeoutMs?: number;
  /** stdout opened on this file (a device, say) instead of a pipe */
  stdoutTo?: string;
  /** called once the child is started */
  onSpawn?: (child: ChildProcess) => void;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function runCli(args: string[], o: RunOptions = {}): Promise<FaultRun> {
  if (!existsSync(CLI)) return Promise.reject(new Error(`${CLI} is missing: run "npx tsc -p ." before these tests`));
  const [cmd, argv] = o.tty
    ? ['script', ['-qec', [process.execPath, CLI, ...args].map(quote).join(' '), '/dev/null']]
    : [process.execPath, [CLI, ...args]];
  return new Promise((resolve, reject) => {
    const stdoutFd = o.stdoutTo === undefined ? undefined : openSync(o.stdoutTo, 'w');
    const child = spawn(cmd, argv, {
      env: { ...process.env, EGRESS_ANOMALY_DEBUG: '', ...o.env },
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
      timeout: o.timeoutMs ?? 120_000,
    });
    const out: Buffer[] = [];
    let err = '';
    if (stdoutFd !== undefined) closeSync(stdoutFd);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString('utf8');
    });
    o.onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: err }));
  });
}

/** The lines a run wrote to stderr (to the terminal, under script(1)), without the empty ones. */
export function stderrLines(r: FaultRun, tty = false): string[] {
  // script(1) turns the terminal's newlines into CRLF
  return (tty ? r.stdout : r.stderr).split(/\r?\n/).filter((l) => l.length > 0);
}
