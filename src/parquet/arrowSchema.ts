/**
 * A file's own `ARROW:schema` key-value entry (written by arrow-rs, pyarrow, Polars, ...): decoded
 * once per footer, checked for types parquet-wasm and arrow-js-ffi can hand over, and asked for a
 * bare INT64 column's time unit, which arrow-rs records only there.
 */
import { DataType, RecordBatchReader, TimeUnit, type Field, type Schema } from 'apache-arrow';
import type { ParquetColumn, ParquetFooter } from './parquetFooter.js';
import type { EpochUnit } from './epochUnit.js';

export const ARROW_SCHEMA = 'ARROW:schema';

interface Decoded {
  /** the entry this was decoded from */
  text?: string;
  schema?: Schema;
  /** every flat column's field has a type that decodes and reaches JS */
  usable: boolean;
}

const decoded = new WeakMap<ParquetFooter, Decoded>();

/** The embedded Arrow schema, or undefined when there is none or it does not decode. */
export function arrowSchemaOf(footer: ParquetFooter): Schema | undefined {
  return decode(footer).schema;
}

/**
 * Whether slices may keep the file's `ARROW:schema`: it decodes, has one field per top-level
 * field with the same names, and every flat column's field has a type parquet-wasm 0.8 decodes
 * and arrow-js-ffi 0.4 parses. Polars' Categorical (Dictionary<UInt32, Utf8View>) is one it does
 * not: parquet-wasm refuses such a schema outright. False when the file has no entry.
 */
export function arrowSchemaUsable(footer: ParquetFooter): boolean {
  return decode(footer).usable;
}

/** The Arrow field of a top-level column, when the schema lines up with the file. */
export function arrowFieldOf(footer: ParquetFooter, column: ParquetColumn): Field | undefined {
  const schema = arrowSchemaOf(footer);
  if (!schema || schema.fields.length !== footer.fieldCount) return undefined;
  const f = schema.fields[column.position];
  return f?.name === column.name ? f : undefined;
}

/** The time unit the embedded Arrow schema gives a column (Timestamp of any unit), if it does. */
export function arrowTimestampUnit(footer: ParquetFooter, column: ParquetColumn): EpochUnit | undefined {
  const t = arrowFieldOf(footer, column)?.type as DataType | undefined;
  if (!t || !DataType.isTimestamp(t)) return undefined;
  return t.unit === TimeUnit.SECOND ? 's' : t.unit === TimeUnit.MILLISECOND ? 'ms' : t.unit === TimeUnit.MICROSECOND ? 'us' : 'ns';
}

function decode(footer: ParquetFooter): Decoded {
  const cached = decoded.get(footer);
  // the entry is looked up each time (cheaply) so that an edited footer is not served stale
  const text = footer.keyValueMetadata.get(ARROW_SCHEMA);
  if (cached && cached.text === text) return cached;
  let d: Decoded = { usable: false, text };
  if (text !== undefined) {
    try {
      const reader = RecordBatchReader.from(Buffer.from(text, 'base64'));
      reader.open();
      const schema = reader.schema;
      const lined = schema.fields.length === footer.fieldCount &&
        footer.columns.every((c) => schema.fields[c.position]?.name === c.name);
      d = { schema, usable: lined && footer.columns.every((c) => supported(schema.fields[c.position]!.type)), text };
    } catch {
      d = { usable: false, text };
    }
  }
  decoded.set(footer, d);
  return d;
}

/** Types that survive parquet-wasm's reader and arrow-js-ffi's parser; views, unions, run-end encoding do not. */
function supported(t: DataType): boolean {
  if (DataType.isDictionary(t)) {
    const v = t.dictionary as DataType;
    return DataType.isInt(t.indices) && (DataType.isUtf8(v) || DataType.isLargeUtf8(v) || DataType.isBinary(v) || DataType.isLargeBinary(v));
  }
  if (DataType.isStruct(t) || DataType.isList(t) || DataType.isFixedSizeList(t) || DataType.isMap(t)) {
    return (t.children ?? []).every((c: Field) => supported(c.type as DataType));
  }
  return DataType.isNull(t) || DataType.isBool(t) || DataType.isInt(t) || DataType.isFloat(t) ||
    DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isBinary(t) || DataType.isLargeBinary(t) ||
    DataType.isFixedSizeBinary(t) || DataType.isDecimal(t) || DataType.isDate(t) || DataType.isTime(t) ||
    DataType.isTimestamp(t);
}
