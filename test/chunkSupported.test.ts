import { describe, expect, it } from 'vitest';
import { chunkSupported, unsupportedReason } from '../src/parquet/chunkSupported.js';
import type { ColumnChunk } from '../src/parquet/parquetFooter.js';
import type { ParquetColumn } from '../src/parquet/parquetSchema.js';

const column: ParquetColumn = { index: 0, position: 0, element: 1, name: 'tcp.bytes', path: ['tcp.bytes'], physicalType: 'DOUBLE', repetition: 'optional' };
const chunk = (over: Partial<ColumnChunk> = {}): ColumnChunk => ({
  column, physicalType: 'DOUBLE', codec: 'ZSTD', numValues: 10, dataPageOffset: 4, totalCompressedSize: 100,
  totalUncompressedSize: 200, encodings: ['PLAIN_DICTIONARY', 'PLAIN', 'RLE'], ...over,
});

describe('chunkSupported', () => {
  it('takes the codecs, types and encodings the built-in decoder handles', () => {
    for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4_RAW']) expect([codec, chunkSupported(chunk({ codec }))]).toEqual([codec, true]);
    expect(chunkSupported(chunk({ encodings: ['RLE_DICTIONARY', 'RLE', 'BIT_PACKED', 'PLAIN'] }))).toBe(true);
    for (const type of ['INT32', 'INT64'] as const) {
      const int = { column: { ...column, physicalType: type }, physicalType: type };
      expect([type, chunkSupported(chunk({ ...int, encodings: ['PLAIN', 'RLE', 'DELTA_BINARY_PACKED'] }))]).toEqual([type, true]);
    }
    for (const type of ['INT32', 'INT64', 'FLOAT', 'DOUBLE'] as const) {
      const num = { column: { ...column, physicalType: type }, physicalType: type };
      expect([type, chunkSupported(chunk({ ...num, encodings: ['BYTE_STREAM_SPLIT', 'RLE'] }))]).toEqual([type, true]);
    }
    expect(unsupportedReason(chunk())).toBeUndefined();
  });

  it('refuses, saying why: other codecs, encodings, types, and a chunk type that disagrees with the schema', () => {
    expect(unsupportedReason(chunk({ codec: 'LZ4' }))).toBe('codec LZ4');
    expect(unsupportedReason(chunk({ codec: 'LZO' }))).toBe('codec LZO');
    expect(unsupportedReason(chunk({ encodings: ['PLAIN', 'DELTA_BINARY_PACKED'] }))).toBe('DELTA_BINARY_PACKED encoding');
    expect(unsupportedReason(chunk({ encodings: ['DELTA_LENGTH_BYTE_ARRAY'] }))).toBe('DELTA_LENGTH_BYTE_ARRAY encoding');
    const fixed = { column: { ...column, physicalType: 'FIXED_LEN_BYTE_ARRAY' as const }, physicalType: 'FIXED_LEN_BYTE_ARRAY' as const };
    expect(unsupportedReason(chunk({ ...fixed, encodings: ['BYTE_STREAM_SPLIT'] }))).toMatch(/FIXED_LEN_BYTE_ARRAY|BYTE_STREAM_SPLIT encoding/);
    expect(unsupportedReason(chunk({ column: { ...column, physicalType: 'BOOLEAN' }, physicalType: 'BOOLEAN' }))).toBe('physical type BOOLEAN');
    expect(unsupportedReason(chunk({ physicalType: 'INT64' }))).toBe('a chunk of type INT64 in a DOUBLE column');
    expect(chunkSupported(chunk({ codec: 'LZ4' }))).toBe(false);
  });
});
