import { describe, expect, it } from 'vitest';
import { chunkPlace, corruptChunk, UnsupportedChunkError } from '../src/parquet/unsupportedChunkError.js';

describe('unsupportedChunkError', () => {
  const where = { path: 'data/x.parquet', rowGroup: 3 };
  it('UnsupportedChunkError is its own class and names the file, row group, column and what', () => {
    const e = new UnsupportedChunkError(where, 'tcp.bytes', 'BYTE_STREAM_SPLIT encoding');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('UnsupportedChunkError');
    expect(e.what).toBe('BYTE_STREAM_SPLIT encoding');
    expect(e.message).toBe('parquet: data/x.parquet row group 3 column "tcp.bytes": BYTE_STREAM_SPLIT encoding is not supported by the built-in decoder');
  });

  it('corruptChunk is a plain Error with the same place and the cause kept', () => {
    const cause = new RangeError('inner');
    const e = corruptChunk(where, 'ts', 'page runs past the chunk', cause);
    expect(e).not.toBeInstanceOf(UnsupportedChunkError);
    expect(e.message).toBe(`parquet: ${chunkPlace(where, 'ts')}: page runs past the chunk`);
    expect(e.cause).toBe(cause);
    expect(corruptChunk(where, 'ts', 'x').cause).toBeUndefined();
  });
});
