/**
 * Item 3: a worker that dies fails the run with one line (exit 1 through the CLI's handler), rather
 * than an unhandled 'error' event with a stack trace, or a wait for tasks no worker will take.
 * Pools of throwaway workers, in-process, so each failure is certain.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanTask } from '../../src/plan/scanTask.js';
import { capWorkers, maxWorkers, watchPool } from '../../src/pool/createPool.js';
import { runScan } from '../../src/pool/runScan.js';

const tmp = mkdtempSync(join(tmpdir(), 'egress-workers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const WORKERS: [string, string, RegExp][] = [
  ['throws while it loads', `throw new Error('cannot load the decoder\\nsecond line');\nexport default () => 1;`, /^scan: a worker thread failed: cannot load the decoder$/],
  ['exits in a task', `export default () => process.exit(7);`, /^scan: worker failed on data\/a\.parquet row group 0: worker exited with code: 7$/],
  ['throws a multi-line error in a task', `export default () => { throw new Error('first\\nsecond'); };`, /^scan: worker failed on data\/a\.parquet row group 0: first second$/],
];

const tasks = ['a', 'b', 'c', 'd'].map((n) => ({ path: `data/${n}.parquet`, rowGroups: [0] }) as unknown as ScanTask);

describe('a failing worker', () => {
  it.for(WORKERS)('that %s fails runScan with one line', async ([name, source, message]) => {
    const file = join(tmp, `${name.replace(/\W+/g, '-')}.mjs`);
    writeFileSync(file, source);
    // one thread, so the first task is the one that fails first and the message names it
    const pool = new Piscina({ filename: file, minThreads: 1, maxThreads: 1 });
    watchPool(pool, 'scan');
    try {
      const err = await runScan(pool, tasks, () => undefined).then(() => undefined, (e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toMatch(message);
      expect(err!.message).not.toContain('\n');
    } finally {
      await pool.destroy().catch(() => undefined);
    }
  });
});

describe('capWorkers', () => {
  it('keeps a count up to 4 per core and caps one above, with a note', () => {
    const notes: string[] = [];
    expect(capWorkers(1, (m) => notes.push(m))).toBe(1);
    expect(capWorkers(maxWorkers(), (m) => notes.push(m))).toBe(maxWorkers());
    expect(notes).toEqual([]);
    expect(capWorkers(maxWorkers() + 1, (m) => notes.push(m))).toBe(maxWorkers());
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^--workers ${maxWorkers() + 1} is more than 4 per core \\(\\d+ cores? here\\); using ${maxWorkers()}$`));
  });
});
