/**
 * Reads the bytes of some column chunks of a file, for decodeColumnChunk: only those chunks, one
 * read per run of chunks adjacent in the file, no slice file.
 */
import { readAll, type ByteReader, type RangeRequest } from './byteReader.js';
import { chunkByteRange, type ColumnChunk, type ParquetFooter } from './parquetFooter.js';
import type { ReadBuffer } from './readBuffer.js';

export interface ReadChunksOptions {
  /** chunks at most this many bytes apart count as adjacent: the gap is read and ignored (default 0) */
  maxGap?: number;
  /** where to read to (reused, see ReadBuffer); default a fresh buffer each call */
  into?: ReadBuffer;
}

/** Each chunk's bytes, in the order asked, as views of one buffer holding every run read. */
export async function readColumnChunks(file: ByteReader, footer: ParquetFooter, chunks: readonly ColumnChunk[], options: ReadChunksOptions = {}): Promise<Uint8Array[]> {
  const maxGap = options.maxGap ?? 0;
  const ranges = chunks.map((c) => chunkByteRange(c));
  for (const [start, end] of ranges) {
    if (start < 0 || end > footer.fileSize) {
      throw new Error(`parquet: ${footer.path} is truncated or its footer is corrupt (column chunk [${start}, ${end}) outside the file's ${footer.fileSize} bytes)`);
    }
  }
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]![0] - ranges[b]![0]);
  const runs: [start: number, end: number, first: number, stop: number][] = [];
  for (let k = 0; k < order.length;) {
    const first = k;
    const start = ranges[order[k]!]![0];
    let end = ranges[order[k]!]![1];
    for (k++; k < order.length && ranges[order[k]!]![0] <= end + maxGap; k++) end = Math.max(end, ranges[order[k]!]![1]);
    runs.push([start, end, first, k]);
  }
  const total = runs.reduce((sum, [start, end]) => sum + end - start, 0);
  const buffer = options.into ? options.into.take(total) : new Uint8Array(total);
  const out: Uint8Array[] = new Array(chunks.length);
  const requests: RangeRequest[] = [];
  let at = 0;
  for (const [start, end, first, stop] of runs) {
    requests.push({ buffer, offset: at, length: end - start, position: start });
    for (let j = first; j < stop; j++) {
      const [s, e] = ranges[order[j]!]!;
      out[order[j]!] = buffer.subarray(at + s - start, at + e - start);
    }
    at += end - start;
  }
  await readAll(file, requests, footer.path);
  return out;
}
