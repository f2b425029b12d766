/**
 * The fault table (cases.ts) through the compiled CLI (`npx tsc -p .` first): each case's exit
 * code and line, and what it leaves on disk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CASES, END, type FaultCase } from './cases.js';
import { FIXTURES, type Fixture, type World } from './helpers/fixtures.js';
import { filesUnder, tempFilesUnder } from './helpers/leftovers.js';
import { runCli, stderrLines } from './helpers/runCli.js';

let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-faults-'));
  data = join(tmp, 'data');
  const r = await runCli(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', END, '--workers', '2', '--quiet']);
  if (r.status !== 0) throw new Error(`export failed: ${r.stderr}`);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function skipReason(c: FaultCase): string | undefined {
  if (c.needs === 'non-root' && process.getuid?.() === 0) return 'root may write to any folder, so an unwritable one cannot be made';
  if (c.needs === 'script' && spawnSync('script', ['--version']).status !== 0) return 'script(1) is not installed, so stdout cannot be a terminal';
  return undefined;
}

describe.concurrent('faults', () => {
  CASES.forEach((c, i) => {
    const reason = skipReason(c);
    const name = `${c.item}. ${c.name}${reason ? ` (skipped: ${reason})` : ''}`;
    it.skipIf(reason !== undefined)(name, async ({ expect }) => {
      const w: World = { data, dir: join(tmp, 'cases', String(i)) };
      mkdirSync(w.dir, { recursive: true });
      const fixture: Fixture = c.fixture ? FIXTURES[c.fixture] : {};
      const state = fixture.arrange?.(w);
      const outFile = join(w.dir, 'findings.json');
      if (c.existing !== undefined) writeFileSync(outFile, c.existing);
      const before = filesUnder(w.dir);
      const args = c.args.map((a) => a.replace('$DATA', data).replace('$DIR', w.dir));
      const r = await runCli(args, { env: c.env, tty: c.tty, stdoutTo: c.stdoutTo });
      const lines = stderrLines(r, c.tty);
      expect(r.status, r.stderr.slice(0, 2000)).toBe(c.exit);
      if (c.exit === 0) {
        expect(lines.some((l) => c.message.test(l)), r.stderr.slice(0, 2000)).toBe(true);
      } else {
        expect(lines, r.stderr.slice(0, 2000)).toHaveLength(1);
        expect(lines[0]).toMatch(c.message);
        expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+/);
        if (!c.tty) expect(r.stdout).toBe('');
        expect(filesUnder(w.dir)).toEqual(before);
      }
      if (c.existing !== undefined) expect(readFileSync(outFile, 'utf8')).toBe(c.existing);
      else if (c.exit !== 0) expect(existsSync(outFile)).toBe(false);
      await fixture.check?.(w, state, r, expect);
      expect(tempFilesUnder(w.dir)).toEqual([]);
      expect(tempFilesUnder(data)).toEqual([]);
    });
  });
});
