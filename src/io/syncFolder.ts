import { open } from 'node:fs/promises';

/** The rename is durable only once the folder's entry is on disk; some file systems cannot say. */
export async function syncFolder(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (cause) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EACCES', 'EBADF', 'ENOTSUP'].includes((cause as NodeJS.ErrnoException).code ?? '')) throw cause;
  } finally {
    await fh?.close();
  }
}
