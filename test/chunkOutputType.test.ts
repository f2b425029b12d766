import { describe, expect, it } from 'vitest';
import { chunkOutputType } from '../src/parquet/chunkOutputType.js';
import type { LogicalType, ParquetColumn, PhysicalType } from '../src/parquet/parquetSchema.js';

const col = (physicalType: PhysicalType, logicalType?: LogicalType, extra: Partial<ParquetColumn> = {}): ParquetColumn => ({
  index: 0, position: 0, element: 1, name: 'c', path: ['c'], physicalType, repetition: 'optional', logicalType, ...extra,
});
const show = (c: ParquetColumn) => {
  const t = chunkOutputType(c);
  return typeof t === 'string' ? t : `${t.kind} ${t.view} ${t.type === undefined ? '-' : String(t.type)}`;
};

describe('chunkOutputType', () => {
  it('maps each supported physical and logical type to a value kind, a view and the Arrow type parquet-wasm gives', () => {
    expect([
      show(col('DOUBLE')), show(col('FLOAT')), show(col('INT32')), show(col('INT64')),
      show(col('INT32', { type: 'INTEGER', bitWidth: 8, isSigned: true })),
      show(col('INT32', { type: 'INTEGER', bitWidth: 16, isSigned: false })),
      show(col('INT32', { type: 'INTEGER', bitWidth: 32, isSigned: false })),
      show(col('INT64', { type: 'INTEGER', bitWidth: 64, isSigned: false })),
      show(col('INT32', { type: 'DATE' })),
      show(col('INT32', { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: true })),
      show(col('INT64', { type: 'TIME', unit: 'NANOS', isAdjustedToUTC: true })),
      show(col('INT64', { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true })),
      show(col('INT64', { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: false })),
      show(col('INT64', { type: 'TIMESTAMP', unit: 'NANOS', isAdjustedToUTC: true })),
      show(col('BYTE_ARRAY', { type: 'STRING' })),
    ]).toEqual([
      'f64 float64 Float64', 'w32 float32 Float32', 'w32 int32 Int32', 'w64 int64 Int64',
      'w32 int8 Int8', 'w32 uint16 Uint16', 'w32 uint32 Uint32', 'w64 uint64 Uint64',
      'w32 int32 Date32<DAY>', 'w32 int32 Time32<MILLISECOND>', 'w64 int64 Time64<NANOSECOND>',
      'w64 int64 Timestamp<MILLISECOND, UTC>', 'w64 int64 Timestamp<MICROSECOND>', 'w64 int64 Timestamp<NANOSECOND, UTC>',
      'str dictionary -',
    ]);
  });

  it('says why it refuses the rest', () => {
    expect([
      show(col('BOOLEAN')), show(col('INT96')), show(col('FIXED_LEN_BYTE_ARRAY', { type: 'FLOAT16' })),
      show(col('BYTE_ARRAY')), show(col('BYTE_ARRAY', { type: 'JSON' })),
      show(col('INT32', { type: 'DECIMAL', scale: 2, precision: 9 })), show(col('INT64', { type: 'DECIMAL', scale: 2, precision: 18 })),
      show(col('DOUBLE', { type: 'UNKNOWN' })), show(col('INT32', { type: 'INTEGER', bitWidth: 64, isSigned: true })),
      show(col('DOUBLE', undefined, { nestedIn: 'parent' })), show(col('DOUBLE', undefined, { repetition: 'repeated' })),
    ]).toEqual([
      'physical type BOOLEAN', 'physical type INT96', 'physical type FIXED_LEN_BYTE_ARRAY',
      'BYTE_ARRAY with logical type none (binary)', 'BYTE_ARRAY with logical type JSON',
      'INT32 with logical type DECIMAL', 'INT64 with logical type DECIMAL',
      'DOUBLE with logical type UNKNOWN', 'INT32 with logical type INTEGER(64, signed)',
      'a nested or repeated column', 'a nested or repeated column',
    ]);
  });
});
