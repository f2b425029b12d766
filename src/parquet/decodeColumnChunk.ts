/**
 * Decodes one flat column chunk straight from its bytes into an Arrow `Data`, without parquet-wasm
 * and without a slice file: DOUBLE, FLOAT, INT32, INT64 (timestamps included) and STRING columns,
 * PLAIN or dictionary-encoded (numbers also BYTE_STREAM_SPLIT, integers DELTA_BINARY_PACKED), data
 * pages v1 and v2, the codecs of decompressPage.ts. Strings come out as Dictionary<Utf8, Int32>: per-row indices and
 * one dictionary per chunk, no string per row.
 * Anything else throws UnsupportedChunkError (decode it with parquet-wasm); corrupt bytes throw an
 * Error naming the file, row group and column. ZSTD needs `await prepareDecoders()` once per thread.
 */
import {
  Dictionary, Int32, makeData, Utf8, Vector, type Data, type DataType,
} from 'apache-arrow';
import type { ColumnChunk } from './parquetFooter.js';
import { chunkOutputType, type OutputType } from './chunkOutputType.js';
import { unsupportedReason } from './chunkSupported.js';
import { ColumnBuffers } from './columnBuffers.js';
import { ByteDictionary } from './byteDictionary.js';
import { decompressPage } from './decompressPage.js';
import { decodeDeltaBinary } from './decodeDeltaBinary.js';
import { decodeHybridIndices, decodeHybridLevels, type LevelRuns } from './decodeHybrid.js';
import { DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, INDEX_PAGE, readPageHeader, type PageHeader } from './pageHeader.js';
import { gatherF64, gatherWords, indexScratch, plainFixed, plainStrings, setValidity, spreadIndices } from './pageValues.js';
import { encodingName } from './parquetEncodings.js';
import { wasmByteStreamSplit } from './wasmCodecs.js';
import { corruptChunk, UnsupportedChunkError, type ChunkWhere } from './unsupportedChunkError.js';

export type { ChunkWhere } from './unsupportedChunkError.js';

const PLAIN = 0;
const PLAIN_DICTIONARY = 2;
const RLE = 3;
const DELTA_BINARY_PACKED = 5;
const RLE_DICTIONARY = 8;
const BYTE_STREAM_SPLIT = 9;

/** raised inside the page loop, turned into UnsupportedChunkError with the chunk's place */
class Unsupported extends Error {}

let dictF64 = new Float64Array(256);
let dictWords = new Int32Array(256);

/**
 * `bytes` is exactly the chunk's bytes (chunkByteRange; readColumnChunks reads them) and
 * `numRows` the row group's row count. Without `buffers` the returned Data owns fresh arrays; with
 * them, it lives in `buffers` until the next call given the same ColumnBuffers (see there). The
 * values array is the caller's to overwrite (marking nulls in place, say); null rows hold 0.
 */
export function decodeColumnChunk(bytes: Uint8Array, chunk: ColumnChunk, numRows: number, where: ChunkWhere, buffers?: ColumnBuffers): Data {
  const name = chunk.column.name;
  const reason = unsupportedReason(chunk);
  if (reason !== undefined) throw new UnsupportedChunkError(where, name, reason);
  try {
    return new ChunkDecoding(bytes, chunk, numRows, chunkOutputType(chunk.column) as OutputType, buffers ?? new ColumnBuffers()).run();
  } catch (e) {
    if (e instanceof Unsupported) throw new UnsupportedChunkError(where, name, e.message);
    throw corruptChunk(where, name, (e as Error).message, e);
  }
}

class ChunkDecoding {
  private readonly optional: boolean;
  private readonly width: number;
  private readonly values: ArrayBuffer;
  private readonly f64: Float64Array;
  private readonly words: Int32Array;
  private readonly bitmap: Uint8Array;
  private readonly strings: ByteDictionary;
  private nullCount = 0;
  private row = 0;
  /** entries of the current dictionary page; -1 before the first */
  private dictSize = -1;
  /** string dictionary page entry -> index in `strings`, when not the identity */
  private remap: Int32Array | null = null;

  constructor(private readonly bytes: Uint8Array, private readonly chunk: ColumnChunk, private readonly numRows: number,
    private readonly out: OutputType, buffers: ColumnBuffers) {
    this.optional = chunk.column.repetition === 'optional';
    this.width = out.kind === 'f64' || out.kind === 'w64' ? 8 : 4;
    this.values = buffers.valueBytes(numRows * this.width);
    this.f64 = out.kind === 'f64' ? new Float64Array(this.values, 0, numRows) : new Float64Array(0);
    this.words = out.kind === 'f64' ? new Int32Array(0) : new Int32Array(this.values, 0, (numRows * this.width) / 4);
    this.bitmap = this.optional ? buffers.validity((numRows + 7) >>> 3) : new Uint8Array(0);
    this.strings = buffers.dictionary;
    if (out.kind === 'str') this.strings.reset();
  }

  run(): Data {
    const { bytes } = this;
    let pos = 0;
    while (pos < bytes.length) {
      const h = readPageHeader(bytes, pos);
      const end = h.bodyStart + h.compressedSize;
      if (end > bytes.length) {
        throw new Error(`page at offset ${pos} runs past the end of the chunk (${h.compressedSize} bytes from ${h.bodyStart}, chunk is ${bytes.length})`);
      }
      if (h.type === DICTIONARY_PAGE) this.dictionaryPage(h, end);
      else if (h.type === DATA_PAGE || h.type === DATA_PAGE_V2) this.dataPage(h, end);
      else if (h.type !== INDEX_PAGE) throw new Unsupported(`page type ${h.type}`);
      pos = end;
    }
    if (this.row !== this.numRows) throw new Error(`chunk holds ${this.row} values, the row group has ${this.numRows} rows`);
    return this.finish();
  }

  private decompress(body: Uint8Array, size: number): Uint8Array {
    return decompressPage(this.chunk.codec, body, size);
  }

  private dictionaryPage(h: PageHeader, end: number): void {
    if (h.encoding !== PLAIN && h.encoding !== PLAIN_DICTIONARY) throw new Unsupported(`${encodingName(h.encoding)} dictionary page`);
    const body = this.decompress(this.bytes.subarray(h.bodyStart, end), h.uncompressedSize);
    const n = h.numValues;
    const { kind } = this.out;
    if (kind === 'str') {
      const fresh = this.strings.size === 0;
      const remap = fresh ? null : new Int32Array(n);
      let identity = true;
      let p = 0;
      for (let j = 0; j < n; j++) {
        if (p + 4 > body.length) throw new Error(`dictionary page ends after ${j} of ${n} entries`);
        const len = (body[p]! | (body[p + 1]! << 8) | (body[p + 2]! << 16) | (body[p + 3]! << 24)) >>> 0;
        p += 4;
        if (p + len > body.length) throw new Error(`dictionary entry ${j} of ${len} bytes runs past the page`);
        const idx = fresh ? this.strings.append(body, p, p + len) : this.strings.intern(body, p, p + len);
        if (remap) remap[j] = idx;
        if (idx !== j) identity = false;
        p += len;
      }
      this.remap = identity ? null : remap;
    } else {
      const bytesNeeded = n * this.width;
      if (bytesNeeded > body.length) throw new Error(`dictionary page holds ${body.length} bytes, ${n} entries need ${bytesNeeded}`);
      if (kind === 'f64') {
        if (dictF64.length < n) dictF64 = new Float64Array(Math.max(n, dictF64.length * 2));
        new Uint8Array(dictF64.buffer, 0, bytesNeeded).set(body.subarray(0, bytesNeeded));
      } else {
        if (dictWords.length * 4 < bytesNeeded) dictWords = new Int32Array(Math.max(bytesNeeded / 4, dictWords.length * 2));
        new Uint8Array(dictWords.buffer, 0, bytesNeeded).set(body.subarray(0, bytesNeeded));
      }
    }
    this.dictSize = n;
  }

  private dataPage(h: PageHeader, end: number): void {
    const n = h.numValues;
    if (this.row + n > this.numRows) throw new Error(`pages hold more than the row group's ${this.numRows} rows`);
    let runs: LevelRuns | null = null;
    let body: Uint8Array;
    let at = 0;
    if (h.type === DATA_PAGE) {
      body = this.decompress(this.bytes.subarray(h.bodyStart, end), h.uncompressedSize);
      if (this.optional) {
        if (h.defEncoding !== RLE) throw new Unsupported(`${encodingName(h.defEncoding)} definition levels`);
        if (body.length < 4) throw new Error('data page too short for its definition levels');
        const len = (body[0]! | (body[1]! << 8) | (body[2]! << 16) | (body[3]! << 24)) >>> 0;
        if (4 + len > body.length) throw new Error(`definition levels (${len} bytes) run past the page`);
        runs = decodeHybridLevels(body, 4, 4 + len, n);
        at = 4 + len;
      }
    } else {
      const levelsAt = h.bodyStart + h.repLength;
      const valuesAt = levelsAt + h.defLength;
      if (this.optional) {
        runs = decodeHybridLevels(this.bytes, levelsAt, valuesAt, n);
        if (h.numNulls !== n - runs.valid) throw new Error(`data page v2 says ${h.numNulls} nulls, its definition levels ${n - runs.valid}`);
      }
      const size = h.uncompressedSize - h.repLength - h.defLength;
      const raw = this.bytes.subarray(valuesAt, end);
      if (h.isCompressed) body = this.decompress(raw, size);
      else if (raw.length !== size) throw new Error(`uncompressed data page v2 holds ${raw.length} value bytes, its header says ${size}`);
      else body = raw;
    }
    const nonNull = runs === null ? n : runs.valid;
    if (runs !== null && nonNull === n) runs = null;
    if (nonNull > 0) this.pageValues(h, body, at, runs, n, nonNull);
    else this.nullPage(n);
    if (this.optional) setValidity(this.bitmap, runs, n, this.row);
    this.nullCount += n - nonNull;
    this.row += n;
  }

  private pageValues(h: PageHeader, body: Uint8Array, at: number, runs: LevelRuns | null, n: number, nonNull: number): void {
    const { kind } = this.out;
    const row = this.row;
    if (h.encoding === PLAIN) {
      if (kind === 'str') {
        plainStrings(body, at, body.length, this.strings, runs, n, this.words, row);
        return;
      }
      const need = nonNull * this.width;
      if (at + need > body.length) throw new Error(`PLAIN page holds ${body.length - at} value bytes, ${nonNull} values need ${need}`);
      plainFixed(body, at, this.width, runs, n, nonNull, this.values, row);
      return;
    }
    if (h.encoding === BYTE_STREAM_SPLIT) {
      if (kind === 'str') throw new Unsupported('BYTE_STREAM_SPLIT encoding of a string column');
      plainFixed(wasmByteStreamSplit(body, at, nonNull, this.width), 0, this.width, runs, n, nonNull, this.values, row);
      return;
    }
    if (h.encoding === DELTA_BINARY_PACKED) {
      const type = this.chunk.column.physicalType;
      if (type !== 'INT32' && type !== 'INT64') throw new Unsupported(`DELTA_BINARY_PACKED encoding of a ${type} column`);
      plainFixed(decodeDeltaBinary(body, at, body.length, nonNull, this.width), 0, this.width, runs, n, nonNull, this.values, row);
      return;
    }
    if (h.encoding !== PLAIN_DICTIONARY && h.encoding !== RLE_DICTIONARY) throw new Unsupported(`${encodingName(h.encoding)} encoding`);
    if (this.dictSize < 0) throw new Error('dictionary-encoded page before any dictionary page');
    if (at >= body.length) throw new Error('dictionary-encoded page lacks its index bit width');
    const bitWidth = body[at]!;
    // without nulls or remapping, indices land straight in the output
    const direct = kind === 'str' && runs === null && this.remap === null;
    const idx = direct ? this.words : indexScratch(nonNull);
    const max = decodeHybridIndices(body, at + 1, body.length, bitWidth, nonNull, idx, direct ? row : 0);
    if (max >= this.dictSize) throw new Error(`dictionary index ${max} out of range (the dictionary has ${this.dictSize} entries)`);
    if (kind === 'f64') gatherF64(idx, dictF64, runs, n, this.f64, row);
    else if (kind === 'w32') gatherWords(idx, dictWords, 1, runs, n, this.words, row);
    else if (kind === 'w64') gatherWords(idx, dictWords, 2, runs, n, this.words, row);
    else if (!direct) spreadIndices(idx, this.remap, runs, n, this.words, row);
  }

  private nullPage(n: number): void {
    new Uint8Array(this.values, this.row * this.width, n * this.width).fill(0);
  }

  private finish(): Data {
    const { out, numRows } = this;
    const nullCount = this.nullCount;
    const nullBitmap = nullCount > 0 ? this.bitmap : undefined;
    const base = { length: numRows, nullCount, nullBitmap };
    if (out.kind === 'str') {
      const dictionary = new Vector([this.strings.toData()]) as Vector<Utf8>;
      const type = new Dictionary(new Utf8(), new Int32(), this.chunk.column.index);
      return makeData({ type, ...base, data: this.words, dictionary });
    }
    return makeData({ type: out.type as DataType, ...base, data: presentValues(out, this.values, numRows) } as never);
  }
}

function presentValues(out: OutputType, values: ArrayBuffer, n: number): ArrayBufferView {
  switch (out.view) {
    case 'float64': return new Float64Array(values, 0, n);
    case 'float32': return new Float32Array(values, 0, n);
    case 'int32': return new Int32Array(values, 0, n);
    case 'uint32': return new Uint32Array(values, 0, n);
    case 'int64': return new BigInt64Array(values, 0, n);
    case 'uint64': return new BigUint64Array(values, 0, n);
    case 'int16': return Int16Array.from(new Int32Array(values, 0, n));
    case 'uint16': return Uint16Array.from(new Int32Array(values, 0, n));
    case 'int8': return Int8Array.from(new Int32Array(values, 0, n));
    case 'uint8': return Uint8Array.from(new Int32Array(values, 0, n));
    default: throw new Error(`no view ${out.view}`);
  }
}
