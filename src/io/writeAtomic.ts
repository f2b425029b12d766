import { syncFolder } from './syncFolder.js';
import { constants } from 'node:fs';
import { lstat, open, readlink, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeErrno } from './describeErrno.js';
import { tempSiblingOf, trackTemp, untrackTemp } from './tempFiles.js';

type TargetKind = 'missing' | 'regular' | 'folder' | 'special';

const MAX_LINKS = 40;

/** What `path` finally names once symlinks are followed: a rename must replace that, not the link. */
async function resolveTarget(path: string): Promise<{ path: string; kind: TargetKind; mode?: number }> {
  let p = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let st;
    try {
      st = await lstat(p);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { path: p, kind: 'missing' };
      throw cause;
    }
    if (st.isSymbolicLink()) {
      p = resolve(dirname(p), await readlink(p));
      continue;
    }
    if (st.isFile()) return { path: p, kind: 'regular', mode: st.mode & 0o7777 };
    return { path: p, kind: st.isDirectory() ? 'folder' : 'special' };
  }
  throw Object.assign(new Error(`more than ${MAX_LINKS} symbolic links`), { code: 'ELOOP' });
}

/** A pipe, a terminal or a device is written where it is; renaming a file over it would replace it. */
async function writeInPlace(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, constants.O_WRONLY);
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}


async function replaceAtomically(path: string, data: string | Uint8Array, mode: number | undefined): Promise<void> {
  const tmp = tempSiblingOf(path);
  trackTemp(tmp);
  try {
    const fh = await open(tmp, 'wx');
    try {
      if (mode !== undefined) await fh.chmod(mode);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw cause;
  } finally {
    untrackTemp(tmp);
  }
  await syncFolder(dirname(path));
}

/**
 * Writes `data` to `path` so that readers never see a partial file: a regular file (or one a
 * symlink leads to) is written to a temporary sibling, synced and renamed over it; a pipe or
 * device is written in place, and its errors (ENOSPC from /dev/full, say) are reported.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  let target: { path: string; kind: TargetKind; mode?: number } | undefined;
  try {
    target = await resolveTarget(path);
    if (target.kind === 'folder') throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (target.kind === 'special') await writeInPlace(target.path, data);
    else await replaceAtomically(target.path, data, target.mode);
  } catch (cause) {
    const via = target && target.path !== path ? ` (a link to ${target.path})` : '';
    throw new Error(`output: cannot write ${path}${via}: ${describeErrno(cause)}`, { cause });
  }
}
