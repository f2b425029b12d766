/** Parquet's Encoding enum, by value (1, GROUP_VAR_INT, was never used). */
export const ENCODINGS: readonly string[] = [
  'PLAIN', 'GROUP_VAR_INT', 'PLAIN_DICTIONARY', 'RLE', 'BIT_PACKED', 'DELTA_BINARY_PACKED',
  'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY', 'RLE_DICTIONARY', 'BYTE_STREAM_SPLIT',
];

export const encodingName = (e: number): string => ENCODINGS[e] ?? `ENCODING_${e}`;
