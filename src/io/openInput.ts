import { open } from 'node:fs/promises';
import type { ByteReader } from '../parquet/byteReader.js';
import type { Subsystem } from './objectError.js';
import { isHttpUrl, isS3Url } from './objectUrl.js';

/** What the planner fingerprints a file by: size, mtime (S3: LastModified) and, for objects, the ETag. */
export interface InputStat {
  size: number;
  mtimeMs: number;
  etag?: string;
}

/** A random-access input: a local FileHandle as it is, or an object read with ranged requests. */
export interface InputReader extends ByteReader {
  stat(): Promise<InputStat>;
  close(): Promise<void>;
}

export interface OpenOptions {
  subsystem: Subsystem;
  /**
   * The object as listed or planned: with its size an object is opened without a HEAD request, and
   * every ranged answer must match it (size, and the ETag when known). Ignored for local files.
   */
  known?: { size?: number; mtimeMs?: number; etag?: string };
}

/**
 * Opens a local path, `s3://bucket/key` or an `https://` URL. The object-storage readers (and the
 * AWS SDK behind s3://) are loaded only when such a location is opened, so local runs never pay
 * for them.
 */
export async function openInput(location: string, o: OpenOptions): Promise<InputReader> {
  if (isS3Url(location)) return (await import('./s3ObjectReader.js')).openS3Object(location, o);
  if (isHttpUrl(location)) return (await import('./httpObjectReader.js')).openHttpObject(location, o);
  try {
    return await open(location, 'r');
  } catch (cause) {
    throw new Error(`${o.subsystem}: cannot open ${location}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
}

/** The `known` stat if it is complete enough to skip a HEAD request. */
export function knownStat(known: OpenOptions['known']): InputStat | undefined {
  if (!known || known.size === undefined) return undefined;
  return { size: known.size, mtimeMs: known.mtimeMs ?? 0, ...(known.etag ? { etag: known.etag } : {}) };
}
