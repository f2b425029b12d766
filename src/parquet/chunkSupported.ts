/**
 * The up-front check for choosing a decoder before reading: whether the built-in decoder should
 * take a column chunk, from the footer alone (codec, types, the encodings it lists). The pages are
 * checked again while decoding, since the footer may not tell the whole truth.
 */
import type { ColumnChunk } from './parquetFooter.js';
import { chunkOutputType } from './chunkOutputType.js';
import { SUPPORTED_CODECS } from './decompressPage.js';

/**
 * BIT_PACKED is listed by old writers for levels they never write (a flat column's repetition
 * levels); DELTA_BINARY_PACKED is taken for integer columns only, BYTE_STREAM_SPLIT for numbers.
 */
const ENCODINGS = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE', 'RLE_DICTIONARY', 'BIT_PACKED', 'DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT']);
const SPLIT_TYPES = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);

/** Why the built-in decoder does not take the chunk, or undefined when it does. */
export function unsupportedReason(chunk: ColumnChunk): string | undefined {
  const type = chunkOutputType(chunk.column);
  if (typeof type === 'string') return type;
  if (chunk.physicalType !== chunk.column.physicalType) return `a chunk of type ${chunk.physicalType} in a ${chunk.column.physicalType} column`;
  if (!SUPPORTED_CODECS.has(chunk.codec)) return `codec ${chunk.codec}`;
  const integer = chunk.physicalType === 'INT32' || chunk.physicalType === 'INT64';
  const odd = chunk.encodings.find((e) => !ENCODINGS.has(e) || (e === 'DELTA_BINARY_PACKED' && !integer) ||
    (e === 'BYTE_STREAM_SPLIT' && !SPLIT_TYPES.has(chunk.physicalType)));
  return odd === undefined ? undefined : `${odd} encoding`;
}

export const chunkSupported = (chunk: ColumnChunk): boolean => unsupportedReason(chunk) === undefined;
