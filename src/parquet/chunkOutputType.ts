/**
 * What the built-in decoder makes of a flat column: how its values are stored while decoding and
 * the Arrow type it hands over (the one parquet-wasm gives the same column when the file has no
 * ARROW:schema saying otherwise), or why it cannot.
 */
import {
  DateDay, Float32, Float64, Int8, Int16, Int32, Int64, TimeMicrosecond, TimeMillisecond, TimeNanosecond,
  TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, Uint8, Uint16, Uint32, Uint64, type DataType,
} from 'apache-arrow';
import type { ParquetColumn } from './parquetSchema.js';

/** f64: DOUBLE; w32: 4-byte values as Int32 words; w64: 8-byte integers as Int32 word pairs; str: dictionary indices */
export type ValueKind = 'f64' | 'w32' | 'w64' | 'str';

/** How the decoded words are presented: a view of them, or (int8, int16, uint8, uint16) a narrowing copy. */
export type ValueView = 'float64' | 'float32' | 'int32' | 'uint32' | 'int8' | 'int16' | 'uint8' | 'uint16' | 'int64' | 'uint64' | 'dictionary';

export interface OutputType {
  kind: ValueKind;
  view: ValueView;
  /** undefined for strings, whose Dictionary type the decoder makes */
  type?: DataType;
}

/** The column's output type, or a string saying why the built-in decoder does not take it. */
export function chunkOutputType(column: ParquetColumn): OutputType | string {
  if (column.nestedIn !== undefined || column.repetition === 'repeated') return 'a nested or repeated column';
  const lt = column.logicalType;
  switch (column.physicalType) {
    case 'DOUBLE':
      return lt === undefined ? { kind: 'f64', view: 'float64', type: new Float64() } : `DOUBLE with logical type ${lt.type}`;
    case 'FLOAT':
      return lt === undefined ? { kind: 'w32', view: 'float32', type: new Float32() } : `FLOAT with logical type ${lt.type}`;
    case 'INT32':
      if (lt === undefined) return { kind: 'w32', view: 'int32', type: new Int32() };
      if (lt.type === 'DATE') return { kind: 'w32', view: 'int32', type: new DateDay() };
      if (lt.type === 'TIME' && lt.unit === 'MILLIS') return { kind: 'w32', view: 'int32', type: new TimeMillisecond() };
      if (lt.type === 'INTEGER') {
        const w = lt.bitWidth;
        if (w === 32) return lt.isSigned ? { kind: 'w32', view: 'int32', type: new Int32() } : { kind: 'w32', view: 'uint32', type: new Uint32() };
        if (w === 16) return lt.isSigned ? { kind: 'w32', view: 'int16', type: new Int16() } : { kind: 'w32', view: 'uint16', type: new Uint16() };
        if (w === 8) return lt.isSigned ? { kind: 'w32', view: 'int8', type: new Int8() } : { kind: 'w32', view: 'uint8', type: new Uint8() };
      }
      return `INT32 with logical type ${describe(column)}`;
    case 'INT64':
      if (lt === undefined) return { kind: 'w64', view: 'int64', type: new Int64() };
      if (lt.type === 'INTEGER' && lt.bitWidth === 64) {
        return lt.isSigned ? { kind: 'w64', view: 'int64', type: new Int64() } : { kind: 'w64', view: 'uint64', type: new Uint64() };
      }
      if (lt.type === 'TIMESTAMP') {
        const tz = lt.isAdjustedToUTC ? 'UTC' : null;
        const type = lt.unit === 'MILLIS' ? new TimestampMillisecond(tz) : lt.unit === 'MICROS' ? new TimestampMicrosecond(tz) : new TimestampNanosecond(tz);
        return { kind: 'w64', view: 'int64', type };
      }
      if (lt.type === 'TIME' && lt.unit !== 'MILLIS') {
        return { kind: 'w64', view: 'int64', type: lt.unit === 'MICROS' ? new TimeMicrosecond() : new TimeNanosecond() };
      }
      return `INT64 with logical type ${describe(column)}`;
    case 'BYTE_ARRAY':
      if (lt?.type === 'STRING') return { kind: 'str', view: 'dictionary' };
      return `BYTE_ARRAY with logical type ${lt ? describe(column) : 'none (binary)'}`;
    default:
      return `physical type ${column.physicalType}`;
  }
}

function describe(column: ParquetColumn): string {
  const lt = column.logicalType!;
  if (lt.type === 'INTEGER') return `INTEGER(${lt.bitWidth}, ${lt.isSigned ? 'signed' : 'unsigned'})`;
  if (lt.type === 'TIME' || lt.type === 'TIMESTAMP') return `${lt.type}(${lt.unit})`;
  return lt.type;
}
