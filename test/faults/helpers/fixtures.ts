/**
 * What a fault case needs on disk before its run (`arrange`) and what must hold after it (`check`),
 * by name, so the case table stays one line per case.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, openSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExpectStatic } from 'vitest';
import { filesUnder } from './leftovers.js';
import type { FaultRun } from './runCli.js';

export interface World {
  /** a complete exported dataset, shared by the cases: never written to */
  data: string;
  /** this case's own folder */
  dir: string;
}

export interface Fixture {
  arrange?(w: World): unknown;
  check?(w: World, state: unknown, r: FaultRun, expect: ExpectStatic): void | Promise<void>;
}

const MB10 = 10 * 1024 * 1024;

function expectJsonArray(expect: ExpectStatic, text: string): void {
  const parsed = JSON.parse(text) as unknown;
  expect(Array.isArray(parsed)).toBe(true);
}

/** The reader's text; if the run never opened the FIFO, open and close its write end so the reader ends. */
async function settleFifo(pipe: string, reader: Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK));
      resolve('nothing was written to the FIFO');
    }, 5000);
  });
  try {
    return await Promise.race([reader, late]);
  } finally {
    clearTimeout(timer);
  }
}

function copyDataset(w: World, withManifest: boolean): string[] {
  const ds = join(w.dir, 'ds');
  cpSync(w.data, ds, { recursive: true });
  if (!withManifest) rmSync(join(ds, '_export.json'));
  return filesUnder(ds);
}

export const FIXTURES = {
  devFull: {
    check: (_w, _s, _r, expect) => expect(statSync('/dev/full').isCharacterDevice()).toBe(true),
  },
  devNull: {
    check: (_w, _s, _r, expect) => expect(statSync('/dev/null').isCharacterDevice()).toBe(true),
  },
  fifo: {
    arrange: (w) => {
      const pipe = join(w.dir, 'pipe');
      execFileSync('mkfifo', [pipe]);
      return readFile(pipe, 'utf8'); // opens once the CLI opens it for writing
    },
    check: async (w, reader, _r, expect) => {
      expectJsonArray(expect, await settleFifo(join(w.dir, 'pipe'), reader as Promise<string>));
      expect(lstatSync(join(w.dir, 'pipe')).isFIFO()).toBe(true);
    },
  },
  symlink: {
    arrange: (w) => {
      mkdirSync(join(w.dir, 'real'));
      writeFileSync(join(w.dir, 'real', 'findings.json'), 'previous run\n');
      symlinkSync(join('real', 'findings.json'), join(w.dir, 'link.json'));
    },
    check: (w, _s, _r, expect) => {
      expect(lstatSync(join(w.dir, 'link.json')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(w.dir, 'link.json'))).toBe(join('real', 'findings.json'));
      expectJsonArray(expect, readFileSync(join(w.dir, 'real', 'findings.json'), 'utf8'));
    },
  },
  danglingSymlink: {
    arrange: (w) => {
      mkdirSync(join(w.dir, 'real'));
      symlinkSync(join('real', 'new.json'), join(w.dir, 'link.json'));
    },
    check: (w, _s, _r, expect) => {
      expect(lstatSync(join(w.dir, 'link.json')).isSymbolicLink()).toBe(true);
      expectJsonArray(expect, readFileSync(join(w.dir, 'real', 'new.json'), 'utf8'));
    },
  },
  readOnlyFolder: {
    arrange: (w) => {
      mkdirSync(join(w.dir, 'ro'));
      chmodSync(join(w.dir, 'ro'), 0o555);
    },
    check: (w, _s, _r, expect) => {
      expect(filesUnder(join(w.dir, 'ro'))).toEqual([]);
      chmodSync(join(w.dir, 'ro'), 0o755); // so the suite can remove it
    },
  },
  fileAsFolder: {
    arrange: (w) => writeFileSync(join(w.dir, 'file.txt'), 'not a folder\n'),
    check: (w, _s, _r, expect) => expect(readFileSync(join(w.dir, 'file.txt'), 'utf8')).toBe('not a folder\n'),
  },
  hugeSuppressLine: {
    arrange: (w) => writeFileSync(join(w.dir, 'huge.txt'), `# site rules\n${'x'.repeat(MB10)}\n`),
    check: (_w, _s, r, expect) => expect(r.stderr.length).toBeLessThan(400),
  },
  hugeSuppressGlob: {
    // regex-hostile on purpose: a regular expression built from it is invalid or too large
    arrange: (w) => writeFileSync(join(w.dir, 'huge.txt'), `host=${'(a+)+[*'.repeat(Math.floor(MB10 / 6))}\n`),
    check: (_w, _s, r, expect) => expect(r.stderr.length).toBeLessThan(1000),
  },
  protoLine: {
    arrange: (w) => writeFileSync(join(w.dir, 'rules.txt'), 'host=prod-* __proto__=x\n'),
  },
  protoJson: {
    arrange: (w) => writeFileSync(join(w.dir, 'rules.json'), '[{"host": "prod-*", "__proto__": {"x": 1}}]\n'),
  },
  incompleteExport: {
    arrange: (w) => copyDataset(w, false),
    check: (w, before, _r, expect) => expect(filesUnder(join(w.dir, 'ds'))).toEqual(before),
  },
  completeExport: {
    arrange: (w) => copyDataset(w, true),
    check: (w, before, _r, expect) => expect(filesUnder(join(w.dir, 'ds'))).toEqual(before),
  },
  incompleteExportForced: {
    arrange: (w) => copyDataset(w, false),
    check: (w, _s, _r, expect) => expect(existsSync(join(w.dir, 'ds', '_export.json'))).toBe(true),
  },
  outWritten: {
    check: (w, _s, _r, expect) => expectJsonArray(expect, readFileSync(join(w.dir, 'findings.json'), 'utf8')),
  },
} satisfies Record<string, Fixture>;

export type FixtureName = keyof typeof FIXTURES;
