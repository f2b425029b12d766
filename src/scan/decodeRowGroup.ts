import type { Data, DataType } from 'apache-arrow';
import type { ByteReader } from '../parquet/byteReader.js';
import { chunkSupported } from '../parquet/chunkSupported.js';
import { ColumnBuffers } from '../parquet/columnBuffers.js';
import { decodeColumnChunk } from '../parquet/decodeColumnChunk.js';
import { prepareDecoders } from '../parquet/decompressPage.js';
import type { ColumnChunk, ParquetFooter } from '../parquet/parquetFooter.js';
import { readColumnChunks } from '../parquet/readColumnChunks.js';
import { ReadBuffer } from '../parquet/readBuffer.js';
import { UnsupportedChunkError } from '../parquet/unsupportedChunkError.js';

/** The part of an Arrow RecordBatch the scan reads: its row count and columns by name. */
export interface ColumnBatch {
  numRows: number;
  getChild(name: string): { type: DataType; data: readonly Data[] } | null;
}

// one per column name, per thread: a row group is folded before the next is decoded
const buffers = new Map<string, ColumnBuffers>();
const readBuffer = new ReadBuffer();

function chunksOf(footer: ParquetFooter, rowGroup: number, columns: readonly string[]): ColumnChunk[] | null {
  const group = footer.rowGroups[rowGroup];
  const out: ColumnChunk[] = [];
  for (const name of columns) {
    const col = footer.columns.find((c) => c.name === name);
    const chunk = col && group.columns[col.index];
    if (!chunk || !chunkSupported(chunk)) return null;
    out.push(chunk);
  }
  return out;
}

/**
 * The row group's `columns`, read chunk by chunk and decoded without parquet-wasm; null when a
 * chunk needs parquet-wasm (its footer says so, or a page turns out to be of a kind the built-in
 * decoder does not take). The columns live until the next call (their buffers are reused).
 */
export async function decodeRowGroup(file: ByteReader, footer: ParquetFooter, rowGroup: number, columns: readonly string[]): Promise<ColumnBatch | null> {
  if (columns.length === 0) return null;
  const chunks = chunksOf(footer, rowGroup, columns);
  if (!chunks) return null;
  await prepareDecoders();
  const bytes = await readColumnChunks(file, footer, chunks, { into: readBuffer });
  const numRows = footer.rowGroups[rowGroup].numRows;
  const decoded = new Map<string, { type: DataType; data: Data[] }>();
  try {
    for (let i = 0; i < chunks.length; i++) {
      let b = buffers.get(columns[i]);
      if (!b) buffers.set(columns[i], (b = new ColumnBuffers()));
      const data = decodeColumnChunk(bytes[i], chunks[i], numRows, { path: footer.path, rowGroup }, b);
      decoded.set(columns[i], { type: data.type, data: [data] });
    }
  } catch (e) {
    if (e instanceof UnsupportedChunkError) return null;
    throw e;
  }
  return { numRows, getChild: (name) => decoded.get(name) ?? null };
}
