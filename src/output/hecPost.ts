import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { displayUrl, type HecEndpoint } from './hecEndpoint.js';

export interface HecTarget {
  endpoint: HecEndpoint;
  /** from SPLUNK_HEC_TOKEN; never printed */
  token: string;
  /** use indexer acknowledgement: a channel on every request, then poll the ack endpoint */
  ack: boolean;
}

export interface HecPostOptions {
  /** uncompressed bytes per request; an event larger than this goes alone */
  maxBatchBytes?: number;
  /** tries per request, the first included, on 429, 503 and network errors */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  /** first wait before an ack query; it grows by half each time, up to 10 s */
  ackIntervalMs?: number;
  maxAckPolls?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onNote?: (message: string) => void;
}

export interface HecPostResult {
  events: number;
  requests: number;
  retries: number;
  /** true: every batch indexed; false: --hec-ack but the token has no acknowledgement; undefined: not asked */
  acknowledged?: boolean;
}

interface Answer {
  status: number;
  text?: string;
  code?: number;
  body: Record<string, unknown> | undefined;
  retryAfterMs?: number;
}

const DEFAULTS = {
  maxBatchBytes: 512 * 1024, maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, requestTimeoutMs: 30_000,
  ackIntervalMs: 1000, maxAckPolls: 40,
};

const RETRYABLE = new Set([429, 503]);
/** so that the bounded ack polls end within minutes */
const MAX_ACK_WAIT_MS = 10_000;

/** Splits newline-free event lines into bodies of at most maxBytes (one oversized event alone). */
export function batchEvents(lines: readonly string[], maxBytes: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const n = Buffer.byteLength(line) + 1;
    if (current.length > 0 && size + n > maxBytes) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function describeAnswer(a: Answer): string {
  return a.text !== undefined ? `${a.status} ${a.text}${a.code !== undefined ? ` (code ${a.code})` : ''}` : `HTTP ${a.status}`;
}

function networkProblem(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'no answer in time';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/**
 * Posts HEC event lines (see hecEvent) in gzip batches, one request at a time, so a failure says
 * how many events got in before it. Retries only what HEC says is transient (429 and 503) and
 * network errors, with capped exponential backoff and full jitter; refusals fail at once with
 * Splunk's reason.
 */
export async function postToHec(lines: readonly string[], target: HecTarget, options: HecPostOptions = {}): Promise<HecPostResult> {
  const o = { ...DEFAULTS, ...options };
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  const where = displayUrl(target.endpoint.event);
  const channel = target.ack ? randomUUID() : undefined;
  const headers = (extra: Record<string, string>): Record<string, string> => ({
    Authorization: `Splunk ${target.token}`,
    'Content-Type': 'application/json',
    ...(channel ? { 'X-Splunk-Request-Channel': channel } : {}),
    ...extra,
  });
  const result: HecPostResult = { events: 0, requests: 0, retries: 0 };
  const backoff = (attempt: number, answer?: Answer) => {
    const exp = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.round(random() * exp);
    return Math.min(o.maxDelayMs, Math.max(jittered, answer?.retryAfterMs ?? 0));
  };

  /** One request with its retries; returns the 200 answer or throws. */
  const request = async (url: URL, body: Buffer, extra: Record<string, string>, what: string): Promise<Answer> => {
    for (let attempt = 1; ; attempt++) {
      let answer: Answer | undefined;
      let problem: string;
      let cause: unknown;
      try {
        result.requests++;
        answer = await send(url, body, headers(extra), o.requestTimeoutMs);
        if (answer.status >= 200 && answer.status < 300) return answer;
        if (!RETRYABLE.has(answer.status)) throw refusal(answer, url, what);
        problem = `answered ${describeAnswer(answer)}`;
      } catch (e) {
        if (e instanceof HecRefusal) throw e;
        problem = `cannot be reached: ${networkProblem(e)}`;
        cause = e;
      }
      if (attempt >= o.maxAttempts) {
        throw new Error(`hec: ${displayUrl(url)} ${problem}; gave up after ${attempt} attempts${sentSoFar()}`, { cause });
      }
      const delay = backoff(attempt, answer);
      o.onNote?.(`hec: ${displayUrl(url)} ${problem}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${o.maxAttempts})`);
      result.retries++;
      await sleep(delay);
    }
  };
  const sentSoFar = () => (result.events > 0 ? ` (${result.events} of ${lines.length} events were accepted before)` : '');
  const refusal = (a: Answer, url: URL, what: string) => {
    const hint = a.code === 10 ? '; the token uses indexer acknowledgement: pass --hec-ack' : '';
    return new HecRefusal(`hec: ${displayUrl(url)} refused the ${what}: ${describeAnswer(a)}${hint}${sentSoFar()}`);
  };

  const ackIds: number[] = [];
  let missingAck = false;
  for (const batch of batchEvents(lines, o.maxBatchBytes)) {
    const body = gzipSync(Buffer.from(`${batch.join('\n')}\n`));
    const answer = await request(target.endpoint.event, body, { 'Content-Encoding': 'gzip' }, 'events');
    result.events += batch.length;
    if (!target.ack) continue;
    const id = answer.body?.ackId;
    if (typeof id === 'number') ackIds.push(id);
    else missingAck = true;
  }
  if (!target.ack) return result;
  if (missingAck) {
    o.onNote?.(`hec: ${where} gave no ackId: indexer acknowledgement is off for this token, so the events are accepted but not confirmed indexed`);
    result.acknowledged = false;
    if (ackIds.length === 0) return result;
  }
  await awaitAcks(ackIds, o, sleep, (body) => request(target.endpoint.ack, body, {}, 'acknowledgement query'), displayUrl(target.endpoint.ack));
  result.acknowledged ??= true;
  return result;
}

class HecRefusal extends Error {}

/** Polls until every ackId reads true, a bounded number of times. */
async function awaitAcks(
  ids: number[], o: typeof DEFAULTS, sleep: (ms: number) => Promise<void>,
  query: (body: Buffer) => Promise<Answer>, where: string,
): Promise<void> {
  const pending = new Set(ids);
  let wait = o.ackIntervalMs;
  for (let poll = 1; pending.size > 0; poll++) {
    if (poll > o.maxAckPolls) {
      throw new Error(`hec: ${where}: ${pending.size} of ${ids.length} requests not acknowledged as indexed after ${o.maxAckPolls} queries (ackIds ${[...pending].slice(0, 10).join(', ')})`);
    }
    await sleep(wait);
    wait = Math.min(MAX_ACK_WAIT_MS, Math.round(wait * 1.5));
    const answer = await query(Buffer.from(JSON.stringify({ acks: [...pending] })));
    const acks = answer.body?.acks;
    if (acks === null || typeof acks !== 'object') throw new Error(`hec: ${where} answered an acknowledgement query without "acks"`);
    for (const [id, done] of Object.entries(acks as Record<string, unknown>)) if (done === true) pending.delete(Number(id));
  }
}

async function send(url: URL, body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers, body: new Uint8Array(body), signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const raw = await res.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    const v: unknown = JSON.parse(raw);
    if (v !== null && typeof v === 'object') parsed = v as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return {
    status: res.status,
    text: typeof parsed?.text === 'string' ? parsed.text.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, ' ') : undefined,
    code: typeof parsed?.code === 'number' ? parsed.code : undefined,
    body: parsed,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  };
}
