import { changedError, objectError, ObjectError, type Subsystem } from './objectError.js';
import { knownStat, type InputReader, type InputStat, type OpenOptions } from './openInput.js';
import { backoffMs, RangedObjectReader, sleep, type RangeResponse } from './rangedObjectReader.js';
import { withRequestSlot } from './requestSlots.js';
import { countTransfer } from './transferCounters.js';

/** 5xx, 429 and lost connections are tried this many times in all, with exponential backoff. */
const HTTP_ATTEMPTS = 4;
const HTTP_RETRY_BASE_MS = 200;
const REQUEST_TIMEOUT_MS = 60_000;

const retryable = (status: number) => status === 429 || status >= 500;

/** One request, retried on 5xx, 429 (after its Retry-After when that is short) and network errors. */
async function request(url: string, init: RequestInit, subsystem: Subsystem): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined;
    let failure: unknown;
    try {
      res = await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (cause) {
      failure = cause;
    }
    countTransfer(0, 1);
    if (res && !retryable(res.status)) return res;
    if (attempt >= HTTP_ATTEMPTS) {
      if (res) return res;
      const c = failure as Error & { cause?: NodeJS.ErrnoException };
      throw new ObjectError(`${subsystem}: ${url}: cannot reach the server (${c.cause?.code ?? c.name ?? String(failure)}) after ${attempt} attempts`, { cause: failure });
    }
    const after = Number(res?.headers.get('retry-after'));
    await res?.body?.cancel();
    await sleep(Number.isFinite(after) && after > 0 && after <= 30 ? after * 1000 : backoffMs(attempt, HTTP_RETRY_BASE_MS));
  }
}

function statusError(subsystem: Subsystem, url: string, res: Response): ObjectError {
  return objectError(subsystem, url, { name: res.statusText || 'Error', message: res.statusText }, res.status);
}

/** HEAD: size from Content-Length, Last-Modified, ETag. */
async function headHttpObject(url: string, subsystem: Subsystem): Promise<InputStat> {
  const res = await withRequestSlot(() => request(url, { method: 'HEAD' }, subsystem));
  if (!res.ok) throw statusError(subsystem, url, res);
  const size = Number(res.headers.get('content-length'));
  if (!Number.isSafeInteger(size)) throw new ObjectError(`${subsystem}: ${url}: the server tells no Content-Length, so the file cannot be read in ranges`);
  const mtime = Date.parse(res.headers.get('last-modified') ?? '');
  const etag = res.headers.get('etag');
  return { size, mtimeMs: Number.isFinite(mtime) ? mtime : 0, ...(etag ? { etag } : {}) };
}

/** One Parquet file over HTTP(S), read with Range requests. */
export async function openHttpObject(url: string, o: OpenOptions): Promise<InputReader> {
  return new HttpObjectReader(url, o.subsystem, knownStat(o.known) ?? await headHttpObject(url, o.subsystem));
}

class HttpObjectReader extends RangedObjectReader {
  protected async get(start: number, end: number): Promise<RangeResponse> {
    const headers: Record<string, string> = { range: `bytes=${start}-${end - 1}` };
    // If-Match compares strongly, so a weak ETag would fail every time; the answer's ETag is checked either way
    if (this.info.etag && !this.info.etag.startsWith('W/')) headers['if-match'] = this.info.etag;
    const res = await request(this.location, { headers }, this.subsystem);
    const fail = async (e: ObjectError) => {
      await res.body?.cancel();
      return e;
    };
    if (res.status === 412) throw await fail(changedError(this.subsystem, this.location, 'its ETag is no longer the planned one'));
    if (res.status === 416) throw await fail(changedError(this.subsystem, this.location, `it is now shorter than the planned ${this.info.size} bytes`));
    const whole = start === 0 && end === this.info.size;
    if (res.status === 200 && !whole) throw await fail(new ObjectError(`${this.subsystem}: ${this.location}: the server ignores Range requests (it answered a ranged GET with the whole file), so the file cannot be read in parts`));
    if (res.status !== 206 && !(res.status === 200 && whole)) throw await fail(statusError(this.subsystem, this.location, res));
    const body = res.body;
    return {
      contentRange: res.headers.get('content-range'),
      etag: res.headers.get('etag'),
      body: body ?? (async function* () {})(),
      cancel: () => void body?.cancel().catch(() => undefined),
    };
  }
}
