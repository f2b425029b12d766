import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { GZIP_MAGIC, ZSTD_MAGIC, startsWith } from '../readBytes.js';

/**
 * One OTLP export request as it sits in an archive, with where it is (for messages about it).
 * The Collector's file exporter writes JSON Lines, or, for `format: proto` and for any
 * `compression`, each message behind a 4-byte big-endian length (fileexporter's
 * exportMessageAsBuffer), each compressed on its own; with its native-compression feature gate the
 * whole file is one compressed stream of lines or of length-prefixed messages. The S3 exporter
 * writes one bare message per object.
 */
export type OtlpMessage =
  | { kind: 'json'; text: string; where: string }
  | { kind: 'proto'; bytes: Uint8Array; where: string }
  | { kind: 'bad'; where: string; problem: string };

/** A frame longer than this is taken as a damaged length, not a message. */
const MAX_FRAME = 1 << 30;
const LF = 0x0a;

function isJsonStart(b: number): boolean {
  return b === 0x7b || b === 0x5b || b === 0x20 || b === 0x09 || b === 0x0d || b === 0xef;
}

class ByteQueue {
  private parts: Uint8Array[] = [];
  length = 0;

  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }

  /** Removes and returns the first n bytes (n <= length). */
  take(n: number): Uint8Array {
    const head = this.parts[0];
    if (head.length >= n) {
      this.parts[0] = head.subarray(n);
      if (this.parts[0].length === 0) this.parts.shift();
      this.length -= n;
      return head.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const p = this.parts[0];
      const k = Math.min(p.length, n - o);
      out.set(p.subarray(0, k), o);
      o += k;
      if (k === p.length) this.parts.shift();
      else this.parts[0] = p.subarray(k);
    }
    this.length -= n;
    return out;
  }

  peek(i: number): number {
    for (const p of this.parts) {
      if (i < p.length) return p[i];
      i -= p.length;
    }
    return -1;
  }
}

async function* jsonLines(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<OtlpMessage> {
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let line = 0;
  const emit = (parts: Uint8Array[]): OtlpMessage | undefined => {
    line++;
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const text = decoder.decode(bytes).trim();
    return text.length === 0 ? undefined : { kind: 'json', text, where: `line ${line}` };
  };
  let chunk: Uint8Array | undefined = first;
  while (chunk !== undefined) {
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl >= 0; nl = chunk.indexOf(LF, start)) {
      pending.push(chunk.subarray(start, nl));
      const m = emit(pending);
      pending = [];
      if (m) yield m;
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    const r = await rest.next();
    chunk = r.done ? undefined : r.value;
  }
  if (pending.length > 0) {
    const m = emit(pending);
    if (m) yield m;
  }
}

function unframe(payload: Uint8Array, where: string): OtlpMessage {
  let bytes = payload;
  try {
    if (startsWith(bytes, ZSTD_MAGIC)) bytes = zstdDecompress(bytes);
    else if (startsWith(bytes, GZIP_MAGIC)) bytes = gunzipSync(bytes);
  } catch (cause) {
    return { kind: 'bad', where, problem: `does not decompress (${(cause as Error).message})` };
  }
  if (bytes.length > 0 && bytes[0] === 0x7b) return { kind: 'json', text: new TextDecoder().decode(bytes), where };
  return { kind: 'proto', bytes, where };
}

async function* lengthPrefixed(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<OtlpMessage> {
  const q = new ByteQueue();
  q.push(first);
  let offset = 0;
  let done = false;
  while (true) {
    while (!done && q.length < 4) {
      const r = await rest.next();
      if (r.done) done = true;
      else q.push(r.value);
    }
    if (q.length === 0) return;
    if (q.length < 4) {
      yield { kind: 'bad', where: `byte offset ${offset}`, problem: `ends inside a length prefix (${q.length} of 4 bytes)` };
      return;
    }
    const len = ((q.peek(0) << 24) | (q.peek(1) << 16) | (q.peek(2) << 8) | q.peek(3)) >>> 0;
    if (len > MAX_FRAME) {
      yield { kind: 'bad', where: `byte offset ${offset}`, problem: `has a frame length of ${len} bytes; the rest of the file cannot be framed` };
      return;
    }
    while (!done && q.length < 4 + len) {
      const r = await rest.next();
      if (r.done) done = true;
      else q.push(r.value);
    }
    if (q.length < 4 + len) {
      yield { kind: 'bad', where: `byte offset ${offset}`, problem: `is a truncated frame (${q.length - 4} of ${len} bytes)` };
      return;
    }
    q.take(4);
    yield unframe(q.take(len), `byte offset ${offset}`);
    offset += 4 + len;
  }
}

async function* wholeMessage(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<OtlpMessage> {
  const parts = [first];
  for (let r = await rest.next(); !r.done; r = await rest.next()) parts.push(r.value);
  yield { kind: 'proto', bytes: parts.length === 1 ? first : Buffer.concat(parts), where: 'byte offset 0' };
}

/**
 * The messages of a (decompressed) archive. JSON starts with `{`; a bare protobuf request starts
 * with its field-1 tag 0x0a; anything else is taken as length-prefixed frames, whose first byte
 * is 0 for any frame under 16 MiB.
 */
export async function* otlpMessages(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<OtlpMessage> {
  const it = bytes[Symbol.asyncIterator]();
  let head = await it.next();
  while (!head.done && head.value.length === 0) head = await it.next();
  if (head.done) return;
  const first = head.value;
  if (isJsonStart(first[0])) yield* jsonLines(first, it);
  else if (first[0] === LF) yield* wholeMessage(first, it);
  else yield* lengthPrefixed(first, it);
}
