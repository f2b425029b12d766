/**
 * Page body decompression by the chunk's codec, checked against the size the page header gives.
 * SNAPPY and LZ4_RAW go through our own WebAssembly (wasmCodecs.ts); ZSTD through zstddec
 * (WebAssembly), which must be initialised once per thread: `await prepareDecoders()` before the
 * first decode.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ZSTDDecoder } from 'zstddec';
import { wasmUncompress } from './wasmCodecs.js';

/** Codecs decompressPage handles. LZ4 (Hadoop-framed, deprecated) and LZO are not among them. */
export const SUPPORTED_CODECS: ReadonlySet<string> = new Set(['UNCOMPRESSED', 'SNAPPY', 'LZ4_RAW', 'ZSTD', 'GZIP', 'BROTLI']);

/** no page of ours is near this; a corrupt header asking for more fails before allocating */
const MAX_PAGE_BYTES = 1 << 30;

interface ZstdExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
}

/**
 * zstddec's own decode() mallocs, copies the result out of wasm memory and frees, every call;
 * catching its instance (through _init, which its types declare) lets pages reuse two wasm
 * buffers and be read in place.
 */
let zstdExports: ZstdExports | undefined;
let zstdFallback: ZSTDDecoder | undefined;
let zstdInit: Promise<void> | undefined;
const zstdBuf = { inPtr: 0, inCap: 0, outPtr: 0, outCap: 0 };

class CapturingDecoder extends ZSTDDecoder {
  override _init(result: WebAssembly.WebAssemblyInstantiatedSource): void {
    super._init(result);
    zstdExports = result.instance.exports as unknown as ZstdExports;
  }
}

/** Loads the WebAssembly decoders (ZSTD). Await once per thread before decoding; later calls are free. */
export function prepareDecoders(): Promise<void> {
  if (!zstdInit) {
    const d = new CapturingDecoder();
    zstdInit = initWithoutFetch(d).then(() => {
      // zstddec instantiates once per thread: if another user got there first, use its decode()
      if (!zstdExports) zstdFallback = d;
    }, (e: unknown) => {
      zstdInit = undefined;
      throw new Error(`parquet: cannot load the ZSTD decoder: ${(e as Error).message}`, { cause: e });
    });
  }
  return zstdInit;
}

/**
 * zstddec's init() fetches its module from a data: URL wherever fetch exists, and the first fetch
 * in a thread loads Node's whole fetch implementation (about 50 ms); without fetch it instantiates
 * the same bytes directly. So fetch is hidden for the (synchronous) start of init().
 */
function initWithoutFetch(d: ZSTDDecoder): Promise<void> {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!own?.configurable) return d.init();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return d.init();
  } finally {
    Object.defineProperty(globalThis, 'fetch', own);
  }
}

function wasmAlloc(z: ZstdExports, ptr: number, cap: number, need: number): [number, number] {
  if (cap >= need) return [ptr, cap];
  if (ptr) z.free(ptr);
  const size = Math.max(need, cap * 2, 1 << 16);
  const p = z.malloc(size);
  if (!p) throw new Error(`the ZSTD decoder cannot allocate ${size} bytes`);
  return [p, size];
}

/** The page in wasm memory: valid until the next call. */
function zstdDecompress(input: Uint8Array, size: number): Uint8Array {
  const z = zstdExports;
  if (!z) {
    if (!zstdFallback) throw new Error('ZSTD pages need `await prepareDecoders()` first');
    return zstdFallback.decode(input, size);
  }
  const b = zstdBuf;
  [b.inPtr, b.inCap] = wasmAlloc(z, b.inPtr, b.inCap, input.length);
  [b.outPtr, b.outCap] = wasmAlloc(z, b.outPtr, b.outCap, size);
  new Uint8Array(z.memory.buffer, b.inPtr, input.length).set(input);
  const got = z.ZSTD_decompress(b.outPtr, size, b.inPtr, input.length);
  // a size_t error code comes back as a negative i32
  if (got < 0) throw new Error(`ZSTD page does not decompress (zstd error ${-got})`);
  return new Uint8Array(z.memory.buffer, b.outPtr, got);
}

/**
 * The decompressed body, exactly `size` bytes, or an Error saying what is wrong (the caller names
 * the file, row group and column). The result is `input` itself for UNCOMPRESSED, a fresh array
 * for GZIP and BROTLI, and, for SNAPPY, LZ4_RAW and ZSTD, a view of wasm memory that the next
 * call overwrites (SNAPPY and LZ4_RAW share one memory, ZSTD has its own): copy out what must
 * outlive the page.
 */
export function decompressPage(codec: string, input: Uint8Array, size: number): Uint8Array {
  if (!(size >= 0 && size <= MAX_PAGE_BYTES)) throw new Error(`page header gives an uncompressed size of ${size} bytes`);
  let out: Uint8Array;
  switch (codec) {
    case 'UNCOMPRESSED':
      out = input;
      break;
    case 'SNAPPY':
      out = wasmUncompress('snappy', input, size);
      break;
    case 'LZ4_RAW':
      out = wasmUncompress('lz4', input, size);
      break;
    case 'ZSTD':
      // (zstddec would take a size of 0 to mean "read it from the frame"; its decode() reports a
      // failed frame as a short result, caught by the size check)
      out = size === 0 ? new Uint8Array(0) : zstdDecompress(input, size);
      break;
    case 'GZIP':
      out = gunzipSync(input, { maxOutputLength: Math.max(size, 1) });
      break;
    case 'BROTLI':
      out = brotliDecompressSync(input, { maxOutputLength: Math.max(size, 1) });
      break;
    default:
      throw new Error(`codec ${codec} is not supported`);
  }
  if (out.length !== size) throw new Error(`${codec} page decompresses to ${out.length} bytes, its header says ${size}`);
  return out;
}
