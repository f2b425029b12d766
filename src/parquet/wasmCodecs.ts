/**
 * LZ4_RAW and SNAPPY page decompression in WebAssembly (src/parquet/assembly/codecs.ts, compiled
 * into codecsWasm.generated.ts by the build): a page of doubles is a sequence every few bytes,
 * whose bookkeeping JavaScript does at about a third of the speed. One instance per thread,
 * compiled on first use (a few kilobytes); its memory holds one page in and one page out. Also
 * BYTE_STREAM_SPLIT values, interleaved 16 at a time with SIMD shuffles.
 */
import { CODECS_WASM } from './codecsWasm.generated.js';

interface CodecExports {
  memory: WebAssembly.Memory;
  lz4(src: number, srcLen: number, dst: number, dstLen: number): number;
  snappy(src: number, srcLen: number, dst: number, dstLen: number): number;
  byteStreamSplit(src: number, count: number, width: number, dst: number): void;
  hybridIndices(src: number, len: number, width: number, count: number, dst: number): number;
  maxIndex: WebAssembly.Global;
  errorAt: WebAssembly.Global;
}

/** the copies may run this far past a sequence's end (see codecs.ts) */
const SLACK = 16;
const PAGE = 65536;

function errorText(code: number, at: number, size: number): string {
  switch (code) {
    case -1: return `truncated sequence length at output position ${at}`;
    case -2: return `literals at output position ${at} run past the input`;
    case -3: return `output exceeds ${size} bytes at output position ${at}`;
    case -4: return `truncated match offset at output position ${at}`;
    case -5: return `match reaches back before the output's start, at output position ${at}`;
    case -6: return `block ends after ${at} of ${size} bytes`;
    case -7: return at < 0 ? 'bad length preamble' : `block holds ${at} bytes, expected ${size}`;
    default: return `error ${code}`;
  }
}

let module: WebAssembly.Module | undefined;
let codecs: CodecExports | undefined;
let indices: CodecExports | undefined;

function newInstance(): CodecExports {
  module ??= new WebAssembly.Module(Buffer.from(CODECS_WASM, 'base64'));
  return new WebAssembly.Instance(module, {}).exports as unknown as CodecExports;
}

function instance(): CodecExports {
  codecs ??= newInstance();
  return codecs;
}

function ensureMemory(c: CodecExports, need: number): void {
  const have = c.memory.buffer.byteLength;
  if (need > have) c.memory.grow(Math.ceil((need - have) / PAGE));
}

/**
 * `input` decompressed by `codec` into exactly `size` bytes: a view of wasm memory, valid until
 * the next call on this thread. Corrupt input throws an Error saying what is wrong.
 */
export function wasmUncompress(codec: 'lz4' | 'snappy', input: Uint8Array, size: number): Uint8Array {
  const c = instance();
  const dst = (input.length + SLACK + 7) & ~7;
  ensureMemory(c, dst + size + SLACK);
  new Uint8Array(c.memory.buffer, 0, input.length).set(input);
  const got = c[codec](0, input.length, dst, size);
  if (got < 0) throw new Error(`${codec}: ${errorText(got, c.errorAt.value as number, size)}`);
  return new Uint8Array(c.memory.buffer, dst, size);
}

/**
 * `count` BYTE_STREAM_SPLIT values of `width` (4 or 8) bytes at src[at] (stream b of count bytes
 * holds byte b of every value) as whole values: a view of wasm memory, valid until the next call
 * on this thread. A page that wasmUncompress gave is read where it lies.
 */
export function wasmByteStreamSplit(src: Uint8Array, at: number, count: number, width: number): Uint8Array {
  const c = instance();
  const bytes = count * width;
  if (at + bytes > src.length) throw new Error(`BYTE_STREAM_SPLIT page holds ${src.length - at} value bytes, ${count} values need ${bytes}`);
  const inPlace = src.buffer === c.memory.buffer;
  const from = inPlace ? src.byteOffset + at : 0;
  const dst = (from + bytes + SLACK + 15) & ~15;
  ensureMemory(c, dst + bytes);
  if (!inPlace) new Uint8Array(c.memory.buffer, 0, bytes).set(src.subarray(at, at + bytes));
  c.byteStreamSplit(from, count, width, dst);
  return new Uint8Array(c.memory.buffer, dst, bytes);
}

/**
 * RLE / bit-packed hybrid dictionary indices of width `bitWidth` (1 to 32) from buf[pos, end)
 * into out[outPos, outPos + count); returns the largest (as unsigned). A second instance of the
 * module does this, so that growing its memory never detaches the page views the decoder is
 * reading from the first one's.
 */
export function wasmHybridIndices(buf: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array, outPos: number): number {
  if (count <= 0) return 0;
  indices ??= newInstance();
  const c = indices;
  const len = Math.max(0, end - pos);
  const dst = (len + SLACK + 15) & ~15;
  ensureMemory(c, dst + count * 4);
  new Uint8Array(c.memory.buffer, 0, len).set(buf.subarray(pos, end));
  const got = c.hybridIndices(0, len, bitWidth, count, dst);
  if (got < 0) throw new Error('run header varint too long');
  if (got < count) throw new Error(`dictionary indices end after ${got} of ${count} values`);
  out.set(new Int32Array(c.memory.buffer, dst, count), outPos);
  return (c.maxIndex.value as number) >>> 0;
}
