/**
 * Parquet footer (FileMetaData) reader for flat schemas: column types, row groups, column
 * chunk byte ranges and min/max statistics, which parquet-wasm does not expose.
 */
import type { FileHandle } from 'node:fs/promises';
import { decodeStruct, type TStruct } from './thriftCompact.js';
import { MAGIC } from './magic.js';

export type PhysicalType =
  | 'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';
const PHYSICAL_TYPES: PhysicalType[] =
  ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'];

const CONVERTED_TYPES = [
  'UTF8', 'MAP', 'MAP_KEY_VALUE', 'LIST', 'ENUM', 'DECIMAL', 'DATE', 'TIME_MILLIS', 'TIME_MICROS',
  'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64',
  'INT_8', 'INT_16', 'INT_32', 'INT_64', 'JSON', 'BSON', 'INTERVAL',
];
const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

export type TimeUnit = 'MILLIS' | 'MICROS' | 'NANOS';
const TIME_UNITS: TimeUnit[] = ['MILLIS', 'MICROS', 'NANOS'];

/** Parquet LogicalType, also derived from the legacy ConvertedType when only that is present. */
export type LogicalType =
  | { type: 'STRING' | 'ENUM' | 'JSON' | 'BSON' | 'UUID' | 'DATE' | 'FLOAT16' | 'UNKNOWN' }
  | { type: 'TIMESTAMP' | 'TIME'; unit: TimeUnit; isAdjustedToUTC: boolean }
  | { type: 'INTEGER'; bitWidth: number; isSigned: boolean }
  | { type: 'DECIMAL'; scale: number; precision: number }
  | { type: 'OTHER'; id: number };

export interface ParquetColumn {
  /** index among the leaf columns, which is also the index in each row group's chunk list */
  index: number;
  name: string;
  physicalType: PhysicalType;
  /** FIXED_LEN_BYTE_ARRAY width */
  typeLength?: number;
  repetition: 'required' | 'optional';
  convertedType?: string;
  logicalType?: LogicalType;
}

export interface ColumnChunk {
  column: ParquetColumn;
  physicalType: PhysicalType;
  codec: string;
  numValues: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
  totalCompressedSize: number;
  totalUncompressedSize: number;
  /** raw statistics bytes (plain encoding of the physical type) */
  min?: Uint8Array;
  max?: Uint8Array;
  nullCount?: number;
}

export interface RowGroup {
  index: number;
  numRows: number;
  /** one chunk per leaf column, in schema order */
  columns: ColumnChunk[];
}

export interface ParquetFooter {
  path: string;
  fileSize: number;
  numRows: number;
  createdBy?: string;
  keyValueMetadata: Map<string, string>;
  columns: ParquetColumn[];
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
export async function readFooterFromFd(fh: FileHandle, size: number, path: string): Promise<ParquetFooter> {
  const tailLen = Math.min(size, 64 * 1024);
  const head = new Uint8Array(4);
  const tail = new Uint8Array(tailLen);
  await Promise.all([readExactly(fh, head, 0, Math.min(4, size), path), readExactly(fh, tail, size - tailLen, tailLen, path)]);
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

/** Fills buf[0, length) from the file at `position`. */
export async function readExactly(fh: FileHandle, buf: Uint8Array, position: number, length: number, path: string, bufOffset = 0): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, bufOffset + done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`parquet: ${path} is truncated (unexpected end of file at ${position + done})`);
    done += bytesRead;
  }
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
    const columns = parseSchema(raw.structs(2) ?? []);
    const keyValueMetadata = new Map<string, string>();
    for (const kv of raw.structs(5) ?? []) keyValueMetadata.set(kv.str(1) ?? '', kv.str(2) ?? '');
    const rowGroups = (raw.structs(4) ?? []).map((rg, index) => parseRowGroup(rg, index, columns));
    return {
      path, fileSize, numRows: req(raw.int(3), 'num_rows'), createdBy: raw.str(6),
      keyValueMetadata, columns, rowGroups, raw,
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

function parseSchema(schema: TStruct[]): ParquetColumn[] {
  const root = req(schema[0], 'schema');
  const leaves = schema.slice(1);
  for (const el of leaves) {
    if (el.int(1) === undefined || el.int(3) === 2 || (el.int(5) ?? 0) > 0) {
      throw new Error(`column "${el.str(4)}" is nested (only flat schemas are supported)`);
    }
  }
  if (root.int(5) !== leaves.length) throw new Error(`schema root has ${root.int(5)} children, expected ${leaves.length}`);
  return leaves.map((el, index) => {
    const convertedType = el.int(6) === undefined ? undefined : CONVERTED_TYPES[el.int(6)!] ?? `CONVERTED_${el.int(6)}`;
    const logical = el.struct(10);
    return {
      index,
      name: req(el.str(4), 'column name'),
      physicalType: PHYSICAL_TYPES[el.int(1)!] ?? fail(`unknown physical type ${el.int(1)}`),
      typeLength: el.int(2),
      repetition: el.int(3) === 0 ? 'required' : 'optional',
      convertedType,
      logicalType: logical && logical.fields.length ? parseLogicalType(logical) : fromConvertedType(convertedType, el),
    };
  });
}

function fail(msg: string): never {
  throw new Error(msg);
}

function parseLogicalType(lt: TStruct): LogicalType {
  const { id, value } = lt.fields[0]!;
  const s = value as TStruct;
  switch (id) {
    case 1: return { type: 'STRING' };
    case 4: return { type: 'ENUM' };
    case 5: return { type: 'DECIMAL', scale: s.int(1) ?? 0, precision: s.int(2) ?? 0 };
    case 6: return { type: 'DATE' };
    case 7:
    case 8: {
      const unit = TIME_UNITS[(s.struct(2)?.fields[0]?.id ?? 0) - 1] ?? fail('unknown time unit');
      return { type: id === 7 ? 'TIME' : 'TIMESTAMP', unit, isAdjustedToUTC: s.bool(1) ?? false };
    }
    case 10: return { type: 'INTEGER', bitWidth: s.int(1) ?? 64, isSigned: s.bool(2) ?? true };
    case 11: return { type: 'UNKNOWN' };
    case 12: return { type: 'JSON' };
    case 13: return { type: 'BSON' };
    case 14: return { type: 'UUID' };
    case 15: return { type: 'FLOAT16' };
    default: return { type: 'OTHER', id };
  }
}

function fromConvertedType(ct: string | undefined, el: TStruct): LogicalType | undefined {
  switch (ct) {
    case 'UTF8': return { type: 'STRING' };
    case 'ENUM': case 'JSON': case 'BSON': case 'DATE': return { type: ct };
    case 'DECIMAL': return { type: 'DECIMAL', scale: el.int(7) ?? 0, precision: el.int(8) ?? 0 };
    case 'TIME_MILLIS': return { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: true };
    case 'TIME_MICROS': return { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: true };
    case 'TIMESTAMP_MILLIS': return { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true };
    case 'TIMESTAMP_MICROS': return { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true };
  }
  const m = ct && /^(U?)INT_(\d+)$/.exec(ct);
  return m ? { type: 'INTEGER', bitWidth: Number(m[2]), isSigned: m[1] === '' } : undefined;
}

/** Legacy min/max (fields 1/2) were written with signed comparison; only trust them where that is the real order. */
function legacyStatsUsable(col: ParquetColumn): boolean {
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
      const pathInSchema = (md.list(3) ?? []).map((p) => utf8.decode(p as Uint8Array)).join('.');
      if (pathInSchema !== column.name) throw new Error(`row group ${index} chunk ${j} is "${pathInSchema}", expected "${column.name}"`);
      const st = md.struct(12);
      const useNew = st !== undefined && (st.has(5) || st.has(6));
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
