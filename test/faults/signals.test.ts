/**
 * SIGINT and SIGTERM while output is being written (SIGNAL_CASES in cases.ts): the CLI removes its
 * temporary files, says so in one line and exits 128 + the signal number. Through the compiled CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { END, SIGNAL_CASES } from './cases.js';
import { filesUnder, tempFilesUnder } from './helpers/leftovers.js';
import { runCli, stderrLines, type FaultRun } from './helpers/runCli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-signals-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const firstTempFile = (dir: string) => existsSync(dir) && tempFilesUnder(dir).length > 0;
const dayFiles = (dir: string) => (existsSync(dir) ? filesUnder(dir).filter((f) => f.endsWith('.parquet')).length : 0);

describe.concurrent('a signal during export', () => {
  it.for(SIGNAL_CASES)('$signal: exit $exit, no temporary file, and a rerun calls the folder incomplete', async (c, { expect }) => {
    const ds = join(tmp, `export-${c.signal}`);
    // big enough that day files are still being written when the first temporary file shows up
    const args = ['export', '--out', ds, '--days', '30', '--seed', '5', '--clusters', '2', '--workloads', '10', '--end', END, '--workers', '2'];
    let sawTemp = false;
    let signalled = false;
    const r = await runCli(args, {
      timeoutMs: 300_000,
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (signalled) return;
          // at the first temporary file seen, so that a write is in flight; after a few days at the latest
          sawTemp = firstTempFile(ds);
          if (!sawTemp && dayFiles(ds) < 3) return;
          signalled = true;
          clearInterval(poll);
          child.kill(c.signal);
        }, 2);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(signalled, 'the export ended before it wrote anything').toBe(true);
    expect(r.status, r.stderr).toBe(c.exit);
    expect(stderrLines(r).at(-1)).toMatch(c.message);
    expect(tempFilesUnder(ds), `a temporary file was in flight: ${sawTemp}`).toEqual([]);
    expect(existsSync(join(ds, '_export.json'))).toBe(false);
    const left = filesUnder(ds);
    const again = await runCli(args);
    expect(again.status).toBe(1);
    expect(stderrLines(again)).toEqual([
      `egress-anomaly: export: --out ${ds} holds an incomplete export (no _export.json: it was interrupted); pass --force to replace it`,
    ]);
    expect(filesUnder(ds)).toEqual(left);
  });
});

/** A process that has a write in flight (a tracked temporary file) when the signal comes. */
function childWithTempInFlight(target: string): Promise<{ run: Promise<FaultRun>; tmpFile: string; kill: (s: NodeJS.Signals) => void }> {
  const mod = (p: string) => pathToFileURL(join(ROOT, 'dist', 'src', 'io', p)).href;
  const script = `
    import { writeFileSync } from 'node:fs';
    const { exitOnSignal } = await import(${JSON.stringify(mod('exitOnSignal.js'))});
    const { tempSiblingOf, trackTemp } = await import(${JSON.stringify(mod('tempFiles.js'))});
    exitOnSignal();
    const tmp = tempSiblingOf(${JSON.stringify(target)});
    trackTemp(tmp);
    writeFileSync(tmp, 'half a file');
    process.stdout.write(tmp + '\\n');
    setInterval(() => {}, 1000);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const run = new Promise<FaultRun>((done) => child.on('close', (status, signal) => done({ status, signal, stdout: out, stderr: err })));
    child.on('error', reject);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.endsWith('\n')) resolve({ run, tmpFile: out.trim(), kill: (s) => child.kill(s) });
    });
    void run.then((r) => reject(new Error(`the child exited early: ${r.stderr}`)));
  });
}

describe.concurrent('a signal while a temporary file is in flight', () => {
  it.for(SIGNAL_CASES)('$signal removes it and exits $exit', async (c, { expect }) => {
    const target = join(tmp, `findings-${c.signal}.json`);
    const child = await childWithTempInFlight(target);
    expect(existsSync(child.tmpFile)).toBe(true);
    child.kill(c.signal);
    const r = await child.run;
    expect(r.status, r.stderr).toBe(c.exit);
    expect(stderrLines(r)).toHaveLength(1);
    expect(stderrLines(r)[0]).toMatch(c.message);
    expect(existsSync(child.tmpFile)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });
});
