import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Write to a temporary sibling, then rename: readers never see a partial file. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new Error(`output: cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
}
