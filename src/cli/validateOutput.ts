import { constants } from 'node:fs';
import { access, lstat, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Format } from '../output/formats.js';
import { describeErrno } from '../io/describeErrno.js';
import { UsageError } from './parseOptions.js';

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Where a dangling symlink points: the file a write through it would create. */
async function linkTarget(path: string): Promise<string> {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!(await lstat(p)).isSymbolicLink()) return p;
    } catch {
      return p;
    }
    p = resolve(dirname(p), await readlink(p));
  }
  return p;
}

/**
 * Problems with --out and --format that would otherwise surface only after the scan: checked
 * before any input is opened, as usage errors (exit 2) naming the option.
 */
export async function validateOutput(cmd: string, out: string | undefined, format: Format): Promise<void> {
  if (out === undefined) {
    if (format === 'parquet' && process.stdout.isTTY) {
      throw new UsageError(`${cmd}: --format parquet: binary output needs --out FILE or a redirected stdout`);
    }
    return;
  }
  if (out.trim() === '') throw new UsageError(`${cmd}: --out: expected a file name, got ""`);
  const bad = (problem: string) => new UsageError(`${cmd}: --out ${out}: ${problem}`);
  try {
    const st = await stat(out);
    if (st.isDirectory()) throw bad('is a folder; name a file in it');
    // a pipe or a device is written in place, so it must be writable itself
    if (!st.isFile()) {
      await access(out, constants.W_OK).catch((e: unknown) => { throw bad(`cannot be written: ${describeErrno(e)}`); });
      return;
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') throw bad(describeErrno(e));
  }
  const folder = dirname(await linkTarget(out));
  let st;
  try {
    st = await stat(folder);
  } catch (e) {
    if (code(e) === 'ENOENT') throw bad(`folder ${folder} does not exist`);
    if (code(e) === 'ENOTDIR') throw bad(`${folder} is not a folder`);
    throw bad(`folder ${folder}: ${describeErrno(e)}`);
  }
  if (!st.isDirectory()) throw bad(`${folder} is not a folder`);
  // the file is written beside itself and renamed, so the folder must take new files
  await access(folder, constants.W_OK | constants.X_OK).catch((e: unknown) => {
    throw bad(`folder ${folder} is not writable (${describeErrno(e)})`);
  });
}
