import { syncFolder } from './syncFolder.js';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeErrno } from './describeErrno.js';
import { tempSiblingOf, trackTemp, untrackTemp } from './tempFiles.js';

/**
 * A file written piece by piece that appears whole or not at all: the pieces go to a temporary
 * sibling, which commit() syncs and renames over `path`; abort(), a failure or a signal removes it.
 */
export class AtomicFileWriter {
  private constructor(readonly path: string, private readonly tmp: string, private readonly fh: FileHandle) {}
  bytes = 0;

  static async create(path: string): Promise<AtomicFileWriter> {
    const tmp = tempSiblingOf(path);
    trackTemp(tmp);
    try {
      return new AtomicFileWriter(path, tmp, await open(tmp, 'wx'));
    } catch (cause) {
      untrackTemp(tmp);
      throw new Error(`output: cannot write ${path}: ${describeErrno(cause)}`, { cause });
    }
  }

  async write(chunk: Uint8Array): Promise<void> {
    try {
      await this.fh.write(chunk);
      this.bytes += chunk.length;
    } catch (cause) {
      throw new Error(`output: cannot write ${this.path}: ${describeErrno(cause)}`, { cause });
    }
  }

  async commit(): Promise<void> {
    try {
      await this.fh.sync();
      await this.fh.close();
      await rename(this.tmp, this.path);
      untrackTemp(this.tmp);
      await syncFolder(dirname(this.path));
    } catch (cause) {
      await this.abort();
      throw new Error(`output: cannot write ${this.path}: ${describeErrno(cause)}`, { cause });
    }
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
    untrackTemp(this.tmp);
  }
}
