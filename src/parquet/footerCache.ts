import { readFooterFromFd, type ByteReader, type ParquetFooter } from './parquetFooter.js';

const footers = new Map<string, ParquetFooter>();

/** A reader that can also tell the file's size and mtime (a FileHandle, an object reader). */
export type StatReader = ByteReader & { stat(): Promise<{ size: number; mtimeMs: number }> };

/**
 * A worker reads a file's footer once, not once per row group: keyed by path, size and mtime
 * (`stat`, when the caller has already taken it).
 */
export async function cachedFooter(fh: StatReader, path: string, stat?: { size: number; mtimeMs: number }): Promise<ParquetFooter> {
  const { size, mtimeMs } = stat ?? await fh.stat();
  const key = `${path}\0${size}\0${mtimeMs}`;
  let f = footers.get(key);
  if (!f) {
    if (footers.size > 64) footers.clear();
    f = await readFooterFromFd(fh, size, path);
    footers.set(key, f);
  }
  return f;
}
