/**
 * What the Parquet readers need of a file: positioned reads. A Node FileHandle is one as it is; an
 * object-storage reader (src/io) adds `readRanges`, so that the ranges one step needs arrive as one
 * batch it can coalesce into few requests and fetch a bounded number at a time.
 */
export interface ByteReader {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** fills every request completely, or throws naming the object */
  readRanges?(requests: readonly RangeRequest[]): Promise<void>;
}

/** `length` bytes at `position` of the file, into `buffer` at `offset`. */
export interface RangeRequest {
  buffer: Uint8Array;
  offset: number;
  length: number;
  position: number;
}

/** Fills buf[bufOffset, bufOffset + length) from the file at `position`. */
export async function readExactly(fh: ByteReader, buf: Uint8Array, position: number, length: number, path: string, bufOffset = 0): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, bufOffset + done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`parquet: ${path} is truncated (unexpected end of file at ${position + done})`);
    done += bytesRead;
  }
}

/** Every request at once: one batch where the reader takes batches, else concurrent reads. */
export async function readAll(fh: ByteReader, requests: readonly RangeRequest[], path: string): Promise<void> {
  if (fh.readRanges) return fh.readRanges(requests);
  await Promise.all(requests.map((r) => readExactly(fh, r.buffer, r.position, r.length, path, r.offset)));
}
