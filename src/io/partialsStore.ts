import { constants } from 'node:fs';
import { access, mkdir, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AtomicFileWriter } from './atomicFileWriter.js';
import { describeErrno } from './describeErrno.js';
import { isS3Url, locationProblem } from './objectUrl.js';

/** Where shards leave their partial files and merge finds them. */
export interface PartialsStore {
  readonly location: string;
  /** the file names in the store */
  list(): Promise<string[]>;
  /** a file to read batch by batch (a handle), or its bytes; close() when done */
  open(name: string): Promise<{ source: FileHandle | Uint8Array; close(): Promise<void> }>;
  /** a file written piece by piece that appears, atomically, only on commit() */
  create(name: string): Promise<{ write(chunk: Uint8Array): Promise<void>; commit(): Promise<void>; abort(): Promise<void>; readonly bytes: number }>;
  describe(name: string): string;
}

export function isObjectStoreUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/**
 * The one place object storage plugs in: `s3://bucket/prefix/` maps to a store whose list, open
 * and create talk to S3 (its module, and the SDK, load only then); any other URL is refused;
 * everything else is a local folder.
 */
export function partialsStore(location: string): PartialsStore {
  if (isS3Url(location)) {
    const problem = locationProblem(location);
    if (problem) throw new Error(`partials: ${location} ${problem}`);
    let store: Promise<PartialsStore> | undefined;
    const s3 = () => (store ??= import('./s3PartialsStore.js').then((m) => m.s3PartialsStore(location)));
    return {
      location,
      describe: (name) => `${location.replace(/\/+$/, '')}/${name}`,
      list: async () => (await s3()).list(),
      open: async (name) => (await s3()).open(name),
      create: async (name) => (await s3()).create(name),
    };
  }
  if (isObjectStoreUrl(location)) throw new Error(`partials: ${location}: expected a folder or s3://bucket/prefix/`);
  return folderStore(location);
}

/**
 * Checked before any data is read: the folder exists (or is created) and takes new files. Returns
 * a problem to report as a usage error, or undefined.
 */
export async function checkPartialsFolder(location: string, forWriting: boolean): Promise<string | undefined> {
  if (isObjectStoreUrl(location)) {
    try {
      partialsStore(location);
      return undefined;
    } catch (e) {
      return (e as Error).message.replace(/^partials: \S+:? /, '');
    }
  }
  try {
    if (forWriting) await mkdir(location, { recursive: true });
    const st = await stat(location);
    if (!st.isDirectory()) return 'is not a folder';
    await access(location, forWriting ? constants.W_OK | constants.X_OK : constants.R_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : describeErrno(e);
  }
}

function folderStore(dir: string): PartialsStore {
  return {
    location: dir,
    describe: (name) => join(dir, name),
    async list() {
      try {
        return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
      } catch (cause) {
        throw new Error(`partials: cannot list ${dir}: ${describeErrno(cause)}`, { cause });
      }
    },
    async open(name) {
      const path = join(dir, name);
      let fh: FileHandle;
      try {
        fh = await open(path, 'r');
      } catch (cause) {
        throw new Error(`partials: cannot open ${path}: ${describeErrno(cause)}`, { cause });
      }
      return { source: fh, close: () => fh.close() };
    },
    create: (name) => AtomicFileWriter.create(join(dir, name)),
  };
}
