/**
 * Parquet footer (FileMetaData) reader: column types, row groups, column chunk byte ranges and
 * min/max statistics, which parquet-wasm does not expose. Nested top-level fields are listed apart
 * (see parquetSchema.ts): their chunks are known, but only flat columns can be selected.
 */
import { readAll, readExactly, type ByteReader } from './byteReader.js';
import { decodeStruct, type TStruct } from './thriftCompact.js';
import { MAGIC } from './magic.js';
import { encodingName } from './parquetEncodings.js';
import { PHYSICAL_TYPES, parseSchema, type NestedColumn, type ParquetColumn, type PhysicalType } from './parquetSchema.js';

export { readExactly } from './byteReader.js';
export type { ByteReader, RangeRequest } from './byteReader.js';
export type { LogicalType, NestedColumn, ParquetColumn, PhysicalType, TimeUnit } from './parquetSchema.js';

const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

export interface ColumnChunk {
  column: ParquetColumn;
  physicalType: PhysicalType;
  codec: string;
  numValues: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
  totalCompressedSize: number;
  totalUncompressedSize: number;
  /** the chunk's encodings as the footer lists them (PLAIN, RLE_DICTIONARY, ...): a hint, pages may differ */
  encodings: string[];
  /** raw statistics bytes (plain encoding of the physical type) */
  min?: Uint8Array;
  max?: Uint8Array;
  nullCount?: number;
}

export interface RowGroup {
  index: number;
  numRows: number;
  /** one chunk per leaf column (nested leaves included), in schema order: indexed by ParquetColumn.index */
  columns: ColumnChunk[];
}

export interface ParquetFooter {
  path: string;
  fileSize: number;
  numRows: number;
  createdBy?: string;
  keyValueMetadata: Map<string, string>;
  /** flat top-level columns, in schema order */
  columns: ParquetColumn[];
  /** nested top-level fields (STRUCT, LIST, MAP), which are never read */
  nestedColumns: NestedColumn[];
  /** every leaf column, in chunk order */
  leafColumns: ParquetColumn[];
  /** number of top-level fields, flat and nested */
  fieldCount: number;
  rowGroups: RowGroup[];
  /** the decoded FileMetaData, for re-encoding (see sliceRowGroup) */
  raw: TStruct;
}

const utf8 = new TextDecoder();
const hasMagic = (b: Uint8Array, at: number) => MAGIC.every((m, i) => b[at + i] === m);
const isEncryptedMagic = (b: Uint8Array, at: number) =>
  b[at] === 0x50 && b[at + 1] === 0x41 && b[at + 2] === 0x52 && b[at + 3] === 0x45; // PARE

/** Validates the trailing 8 bytes (footer length + magic); returns the footer length. */
function footerLength(tail8: Uint8Array, headOk: boolean, size: number, path: string): number {
  if (size < 12 || !hasMagic(tail8, 4)) {
    if (size >= 4 && isEncryptedMagic(tail8, 4)) throw new Error(`parquet: ${path} is encrypted (not supported)`);
    throw new Error(headOk
      ? `parquet: ${path} is truncated (no footer magic at the end)`
      : `parquet: ${path} is not a Parquet file (bad magic)`);
  }
  if (!headOk) throw new Error(`parquet: ${path} is not a Parquet file (bad magic)`);
  const len = new DataView(tail8.buffer, tail8.byteOffset, 8).getUint32(0, true);
  if (len + 12 > size) throw new Error(`parquet: ${path} is truncated (footer length ${len} exceeds file size ${size})`);
  return len;
}

export function readFooter(file: Uint8Array, path: string): ParquetFooter {
  const size = file.length;
  const tail8 = new Uint8Array(8);
  tail8.set(file.subarray(Math.max(0, size - 8)), 8 - Math.min(8, size));
  const len = footerLength(tail8, hasMagic(file, 0), size, path);
  // copy, so the footer does not keep the whole file alive through subarray views
  return parseFileMetaData(file.slice(size - 8 - len, size - 8), path, size);
}

/** Reads and parses only the end of the file: one read of the last 64 KiB, more if the footer is larger. */
export async function readFooterFromFd(fh: ByteReader, size: number, path: string): Promise<ParquetFooter> {
  const tailLen = Math.min(size, 64 * 1024);
  const head = new Uint8Array(4);
  const tail = new Uint8Array(tailLen);
  await readAll(fh, [
    { buffer: head, offset: 0, length: Math.min(4, size), position: 0 },
    { buffer: tail, offset: 0, length: tailLen, position: size - tailLen },
  ], path);
  const tail8 = new Uint8Array(8);
  tail8.set(tail.subarray(Math.max(0, tailLen - 8)), 8 - Math.min(8, tailLen));
  const len = footerLength(tail8, hasMagic(head, 0), size, path);
  let meta: Uint8Array;
  if (len + 8 <= tailLen) meta = tail.slice(tailLen - 8 - len, tailLen - 8);
  else {
    meta = new Uint8Array(len);
    await readExactly(fh, meta, size - 8 - len, len, path);
  }
  return parseFileMetaData(meta, path, size);
}

function parseFileMetaData(bytes: Uint8Array, path: string, fileSize: number): ParquetFooter {
  let raw: TStruct;
  try {
    raw = decodeStruct(bytes).value;
  } catch (e) {
    throw new Error(`parquet: ${path} has a corrupt footer (${(e as Error).message})`);
  }
  try {
    if (raw.has(8)) throw new Error('encrypted files are not supported');
    const schema = parseSchema(raw.structs(2) ?? []);
    const keyValueMetadata = new Map<string, string>();
    for (const kv of raw.structs(5) ?? []) keyValueMetadata.set(kv.str(1) ?? '', kv.str(2) ?? '');
    const rowGroups = (raw.structs(4) ?? []).map((rg, index) => parseRowGroup(rg, index, schema.leafColumns));
    return {
      path, fileSize, numRows: req(raw.int(3), 'num_rows'), createdBy: raw.str(6),
      keyValueMetadata, ...schema, rowGroups, raw,
    };
  } catch (e) {
    const msg = (e as Error).message.replace(/^parquet: /, '');
    throw new Error(`parquet: ${path}: ${msg}`);
  }
}

function req<V>(v: V | undefined, what: string): V {
  if (v === undefined) throw new Error(`footer lacks ${what}`);
  return v;
}

function fail(msg: string): never {
  throw new Error(msg);
}

/** Legacy min/max (fields 1/2) were written with signed comparison; only trust them where that is the real order. */
function legacyStatsUsable(col: ParquetColumn): boolean {
  // (INT96 is not in the list: its order is undefined, so its statistics are never used)
  if (!['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(col.physicalType)) return false;
  return !(col.logicalType?.type === 'INTEGER' && !col.logicalType.isSigned);
}

function parseRowGroup(rg: TStruct, index: number, columns: ParquetColumn[]): RowGroup {
  const chunks = req(rg.structs(1), 'row group columns');
  if (chunks.length !== columns.length) throw new Error(`row group ${index} has ${chunks.length} column chunks, expected ${columns.length}`);
  return {
    index,
    numRows: req(rg.int(3), 'row group num_rows'),
    columns: chunks.map((cc, j) => {
      const column = columns[j]!;
      if (cc.has(1)) throw new Error(`row group ${index} column "${column.name}" lives in another file (not supported)`);
      const md = req(cc.struct(3), `metadata of column "${column.name}" in row group ${index}`);
      const pathInSchema = (md.list(3) ?? []).map((p) => utf8.decode(p as Uint8Array));
      if (pathInSchema.length !== column.path.length || pathInSchema.some((p, k) => p !== column.path[k])) {
        throw new Error(`row group ${index} chunk ${j} is "${pathInSchema.join('.')}", expected "${column.path.join('.')}"`);
      }
      const st = md.struct(12);
      const useNew = st !== undefined && (st.has(5) || st.has(6)) && column.physicalType !== 'INT96';
      const useLegacy = st !== undefined && !useNew && legacyStatsUsable(column);
      return {
        column,
        physicalType: PHYSICAL_TYPES[req(md.int(1), 'column type')] ?? fail(`unknown physical type ${md.int(1)}`),
        codec: CODECS[req(md.int(4), 'codec')] ?? `CODEC_${md.int(4)}`,
        numValues: req(md.int(5), 'num_values'),
        totalUncompressedSize: req(md.int(6), 'total_uncompressed_size'),
        totalCompressedSize: req(md.int(7), 'total_compressed_size'),
        dataPageOffset: req(md.int(9), 'data_page_offset'),
        dictionaryPageOffset: md.int(11),
        encodings: (md.list(2) ?? []).map((e) => encodingName(Number(e))),
        min: useNew ? st.bin(6) : useLegacy ? st.bin(2) : undefined,
        max: useNew ? st.bin(5) : useLegacy ? st.bin(1) : undefined,
        nullCount: st?.int(3),
      };
    }),
  };
}

/** [start, end) of a column chunk's pages in the file. */
export function chunkByteRange(chunk: ColumnChunk): [number, number] {
  const dict = chunk.dictionaryPageOffset;
  const start = dict !== undefined && dict > 0 && dict < chunk.dataPageOffset ? dict : chunk.dataPageOffset;
  return [start, start + chunk.totalCompressedSize];
}

/** Decodes INT64/INT32 min/max statistics; undefined when absent or for other types. */
export function statInt64Range(chunk: ColumnChunk): { min: bigint; max: bigint } | undefined {
  const { min, max, physicalType } = chunk;
  const width = physicalType === 'INT64' ? 8 : physicalType === 'INT32' ? 4 : 0;
  if (!width || min?.length !== width || max?.length !== width) return undefined;
  const lt = chunk.column.logicalType;
  const unsigned = lt?.type === 'INTEGER' && !lt.isSigned;
  const decode = (b: Uint8Array) => {
    const v = new DataView(b.buffer, b.byteOffset, width);
    if (width === 8) return unsigned ? v.getBigUint64(0, true) : v.getBigInt64(0, true);
    return BigInt(unsigned ? v.getUint32(0, true) : v.getInt32(0, true));
  };
  return { min: decode(min), max: decode(max) };
}
