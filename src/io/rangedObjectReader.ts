import type { RangeRequest } from '../parquet/byteReader.js';
import { coalesceRanges, deliver, type RangeGroup } from './coalesceRanges.js';
import { changedError, ObjectError, type Subsystem } from './objectError.js';
import type { InputReader, InputStat } from './openInput.js';
import { withRequestSlot } from './requestSlots.js';
import { countTransfer } from './transferCounters.js';

/** A body cut off mid-way is fetched again this many times in all; the SDK retries only up to the headers. */
const BODY_ATTEMPTS = 4;
const BODY_RETRY_BASE_MS = 100;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: attempt 1 waits up to base, attempt 2 up to 2 base, ... */
export function backoffMs(attempt: number, baseMs: number, capMs = 20_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** (attempt - 1));
}

/** `bytes a-b/total` of a 206 answer; undefined when absent or malformed. */
export function parseContentRange(value: string | undefined | null): { start: number; end: number; total?: number } | undefined {
  const m = value ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim()) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]) + 1, ...(m[3] === '*' ? {} : { total: Number(m[3]) }) };
}

/** One ranged response: its headers, checked before its body is read, and the body. */
export interface RangeResponse {
  contentRange?: string | null;
  etag?: string | null;
  body: AsyncIterable<Uint8Array>;
  /** frees the connection of a body that is not read */
  cancel(): void;
}

/**
 * A random-access reader over an object fetched with ranged GETs of explicit `bytes=a-b` ranges
 * (never suffix ranges): each batch of reads is coalesced (coalesceRanges), at most
 * MAX_REQUESTS_IN_FLIGHT requests per thread run at once, and every answer must come from the object
 * as listed or planned (same size, same ETag), or the read fails as "changed".
 */
export abstract class RangedObjectReader implements InputReader {
  constructor(
    readonly location: string,
    protected readonly subsystem: Subsystem,
    protected readonly info: InputStat,
  ) {}

  /** Sends one ranged GET of [start, end) (after the protocol's own retries), or throws an ObjectError. */
  protected abstract get(start: number, end: number): Promise<RangeResponse>;

  async stat(): Promise<InputStat> {
    return { ...this.info };
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    const n = Math.max(0, Math.min(length, this.info.size - position));
    if (n > 0) await this.readRanges([{ buffer, offset, length: n, position }]);
    return { bytesRead: n };
  }

  async readRanges(requests: readonly RangeRequest[]): Promise<void> {
    for (const r of requests) {
      if (r.position + r.length > this.info.size) {
        throw new Error(`parquet: ${this.location} is truncated (unexpected end of file at ${this.info.size})`);
      }
    }
    await Promise.all(coalesceRanges(requests).map((g) => withRequestSlot(() => this.fetchGroup(g))));
  }

  async close(): Promise<void> {}

  private async fetchGroup(g: RangeGroup): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let at = g.start;
      try {
        const res = await this.get(g.start, g.end);
        try {
          this.checkAnswer(res, g);
        } catch (e) {
          res.cancel();
          throw e;
        }
        for await (const chunk of res.body) {
          if (at + chunk.length > g.end) throw changedError(this.subsystem, this.location, `answered more than bytes ${g.start}-${g.end - 1}`);
          deliver(g.parts, at, chunk);
          countTransfer(chunk.length, 0);
          at += chunk.length;
        }
        if (at < g.end) throw Object.assign(new Error('the answer ended early'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
        return;
      } catch (cause) {
        if (cause instanceof ObjectError) throw cause;
        if (attempt >= BODY_ATTEMPTS) {
          const why = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
          throw new ObjectError(`${this.subsystem}: ${this.location}: connection lost while reading bytes ${g.start}-${g.end - 1} (${why}) after ${attempt} attempts`, { cause });
        }
        await sleep(backoffMs(attempt, BODY_RETRY_BASE_MS));
      }
    }
  }

  private checkAnswer(res: RangeResponse, g: RangeGroup): void {
    // some servers answer a range that covers the whole object with the plain object
    const whole = g.start === 0 && g.end === this.info.size;
    const range = parseContentRange(res.contentRange) ?? (whole && !res.contentRange ? { start: 0, end: g.end } : undefined);
    if (!range || range.start !== g.start || range.end !== g.end) {
      throw changedError(this.subsystem, this.location, `asked for bytes ${g.start}-${g.end - 1}, got ${res.contentRange ?? 'no Content-Range'}`);
    }
    if (range.total !== undefined && range.total !== this.info.size) {
      throw changedError(this.subsystem, this.location, `size ${range.total}, planned ${this.info.size}`);
    }
    if (this.info.etag && res.etag && res.etag !== this.info.etag) {
      throw changedError(this.subsystem, this.location, `ETag ${res.etag}, planned ${this.info.etag}`);
    }
  }
}
