import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;
export const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

export function startsWith(b: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (b.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (b[at + i] !== magic[i]) return false;
  return true;
}

async function* gunzip(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  const z = createGunzip();
  const feed = async () => {
    try {
      if (!z.write(first)) await new Promise((r) => z.once('drain', r));
      for (let r = await rest.next(); !r.done; r = await rest.next()) {
        if (!z.write(r.value)) await new Promise((res) => z.once('drain', res));
      }
      z.end();
    } catch (err) {
      z.destroy(err as Error);
    }
  };
  void feed();
  try {
    for await (const chunk of z) yield chunk as Buffer;
  } finally {
    z.destroy();
  }
}

async function* unzstd(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const d = new Decompress((data) => { out.push(data); });
  let next = await rest.next();
  d.push(first, next.done === true);
  while (true) {
    while (out.length > 0) yield out.shift()!;
    if (next.done) break;
    const chunk = next.value;
    next = await rest.next();
    d.push(chunk, next.done === true);
  }
}

/**
 * A file's bytes, in chunks, decompressed when the whole file is one gzip or zstd stream (told by
 * its magic bytes, not its name). fzstd streams with a bounded window, so memory stays small.
 */
export async function* readBytes(path: string): AsyncGenerator<Uint8Array> {
  const it = createReadStream(path, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await it.next();
  if (head.done) return;
  const first = head.value;
  if (startsWith(first, GZIP_MAGIC)) yield* gunzip(first, it);
  else if (startsWith(first, ZSTD_MAGIC)) yield* unzstd(first, it);
  else {
    yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
}
