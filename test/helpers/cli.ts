/** Runs the compiled CLI (`npm run build` first) as a child process. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for byte-for-byte comparisons and binary formats */
  stdoutBytes: Buffer;
}

export function runCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before these tests`);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, EGRESS_ANOMALY_DEBUG: '', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout };
}

/**
 * The same, without blocking: for tests that run several CLI processes at once (`it.concurrent`,
 * Promise.all), so that a machine's cores are used while each process starts up.
 */
export function runCliAsync(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  if (!existsSync(CLI)) return Promise.reject(new Error(`${CLI} is missing: run "npm run build" before these tests`));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, EGRESS_ANOMALY_DEBUG: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => {
      const stdoutBytes = Buffer.concat(out);
      resolvePromise({ status, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
  });
}

/** Runs the CLI without blocking and rejects, with its stderr, unless it exits 0. */
export async function runCliOkAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const r = await runCliAsync(args, opts);
  if (r.status !== 0) throw new Error(`egress-anomaly ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

/** Runs the CLI and throws, with its stderr, unless it exits 0. */
export function runCliOk(args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = runCli(args, opts);
  if (r.status !== 0) throw new Error(`egress-anomaly ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

/** Parses NDJSON output into objects. */
export function parseNdjson(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
}
