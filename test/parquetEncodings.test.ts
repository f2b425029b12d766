import { describe, expect, it } from 'vitest';
import { encodingName, ENCODINGS } from '../src/parquet/parquetEncodings.js';

describe('parquetEncodings', () => {
  it('names encodings by value', () => {
    expect([encodingName(0), encodingName(2), encodingName(8), encodingName(9), encodingName(42)])
      .toEqual(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'BYTE_STREAM_SPLIT', 'ENCODING_42']);
    expect(ENCODINGS.length).toBe(10);
  });
});
