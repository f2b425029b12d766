/**
 * An `ARROW:schema` hint for Parquet files that carry none (DuckDB, Spark, ...), or one that
 * parquet-wasm cannot use (Polars' Categorical, see arrowSchema.ts), so parquet-rs
 * decodes their string columns as Dictionary<Int32, Utf8>: it then keeps each chunk's dictionary
 * page as the Arrow dictionary and the RLE indices as keys, instead of materialising every string
 * into a plain Utf8 array (which readStrings must then hash row by row).
 *
 * Every other column must decode exactly as it does without a hint. Rather than restating
 * parquet-rs's type inference (units, timezones, widths, decimals, ...), the hint starts from what
 * parquet-rs itself infers: a footer-only file with the slice's schema and no row groups is
 * decoded once per footer and projection, and only its STRING columns are changed.
 */
import { readParquet } from 'parquet-wasm';
import { DataType, Dictionary, Field, Int32, Schema, Table, Utf8, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { ParquetFooter } from './parquetFooter.js';
import { T, type TStruct } from './thriftCompact.js';
import { encodeStruct } from './thriftEncode.js';
import { MAGIC } from './magic.js';

export { ARROW_SCHEMA } from './arrowSchema.js';


/**
 * The `ARROW:schema` value for a schema: base64 of the encapsulated IPC schema message
 * (0xFFFFFFFF continuation marker, little-endian length, flatbuffer), as parquet-rs and pyarrow write it.
 */
export function encodeArrowSchema(schema: Schema): string {
  const ipc = tableToIPC(new Table(schema), 'stream');
  // keep the schema message, not the end-of-stream marker that follows it
  const len = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength).getInt32(4, true);
  return Buffer.from(ipc.subarray(0, 8 + len)).toString('base64');
}

/** The Arrow schema parquet-rs infers for a FileMetaData (its key-value metadata is ignored). */
export function inferArrowSchema(fileMetaData: TStruct): Schema {
  const meta = encodeStruct(fileMetaData.clone()
    .set(3, T.I64, 0)
    .set(4, T.LIST, { elemType: T.STRUCT, items: [] })
    .delete(5));
  const file = new Uint8Array(meta.length + 12);
  file.set(MAGIC, 0);
  file.set(meta, 4);
  new DataView(file.buffer).setUint32(4 + meta.length, meta.length, true);
  file.set(MAGIC, 8 + meta.length);
  return tableFromIPC(readParquet(file).intoIPCStream()).schema;
}

const hints = new WeakMap<ParquetFooter, Map<string, string | undefined>>();

/**
 * The hint for a slice of `footer` keeping leaf columns `leaves`, whose FileMetaData (schema
 * already projected to those leaves) is `fileMetaData`. Undefined when no kept column is a
 * string column, or when the hint cannot be built: the slice is then written without one.
 */
export function dictionaryStringsHint(footer: ParquetFooter, leaves: readonly number[], fileMetaData: TStruct): string | undefined {
  let cache = hints.get(footer);
  if (!cache) hints.set(footer, (cache = new Map()));
  const key = leaves.join(',');
  if (cache.has(key)) return cache.get(key);
  let result: string | undefined;
  const strings = new Set(leaves.filter((i) => isStringColumn(footer, i)).map((i) => footer.leafColumns[i]!.name));
  if (strings.size > 0) {
    try {
      const inferred = inferArrowSchema(fileMetaData);
      if (inferred.fields.length === leaves.length && inferred.fields.every((f, k) => f.name === footer.leafColumns[leaves[k]!]!.name)) {
        const fields = inferred.fields.map((f) => strings.has(f.name) && DataType.isUtf8(f.type)
          ? new Field(f.name, new Dictionary(new Utf8(), new Int32()), f.nullable, f.metadata)
          : f);
        // no schema-level metadata: parquet-rs adds the file's key-value metadata itself
        result = encodeArrowSchema(new Schema(fields));
      }
    } catch {
      result = undefined;
    }
  }
  cache.set(key, result);
  return result;
}

/** BYTE_ARRAY annotated STRING (or legacy UTF8); not ENUM, JSON, BSON or unannotated binary. */
function isStringColumn(footer: ParquetFooter, leaf: number): boolean {
  const c = footer.leafColumns[leaf]!;
  return c.physicalType === 'BYTE_ARRAY' && c.logicalType?.type === 'STRING';
}
