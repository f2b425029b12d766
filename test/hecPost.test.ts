import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFinding } from '../src/evaluate/finding.js';
import { hecEndpointOf } from '../src/output/hecEndpoint.js';
import { hecEvent } from '../src/output/hecEvents.js';
import { batchEvents, postToHec, type HecPostOptions } from '../src/output/hecPost.js';
import { REPLIES, startHecServer, type HecServer } from './helpers/hecServer.js';

const TOKEN = '11111111-2222-3333-4444-555555555555';
const T = Date.UTC(2026, 0, 31, 12);

function lines(n: number): string[] {
  return Array.from({ length: n }, (_, i) => hecEvent(makeFinding(T, `c${i % 3}`, `w${i}`, 'p', 6 + i, [`m${i}`.padEnd(200, 'x')]), { source: 's', sourcetype: 't' }));
}

let server: HecServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sleeps are recorded, not waited: the backoff is checked without slowing the test. */
function fast(extra: HecPostOptions = {}): HecPostOptions & { slept: number[]; notes: string[] } {
  const slept: number[] = [];
  const notes: string[] = [];
  return { sleep: async (ms) => { slept.push(ms); }, random: () => 0.5, onNote: (m) => notes.push(m), slept, notes, ...extra };
}

async function post(events: string[], opts: HecPostOptions, ack = false, token = TOKEN) {
  return postToHec(events, { endpoint: hecEndpointOf(server!.url), token, ack }, opts);
}

/** Each accepted event once, in order: nothing lost, nothing twice. */
function expectAcceptedOnce(events: string[]): void {
  expect(server!.accepted.map((e) => JSON.stringify(e))).toEqual(events.map((l) => JSON.stringify(JSON.parse(l))));
}

describe('batchEvents', () => {
  it('bounds the bytes per batch, keeps order, and sends an oversized event alone', () => {
    const ev = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(200), 'd'.repeat(10), 'e'.repeat(10)];
    const batches = batchEvents(ev, 100);
    expect(batches).toEqual([[ev[0], ev[1]], [ev[2]], [ev[3], ev[4]]]);
    for (const b of batches) if (b.length > 1) expect(b.reduce((n, l) => n + l.length + 1, 0)).toBeLessThanOrEqual(100);
    expect(batchEvents([], 100)).toEqual([]);
  });
});

describe('postToHec', () => {
  it('posts gzip batches with the token header to /services/collector/event', async () => {
    server = await startHecServer({ token: TOKEN });
    const events = lines(30);
    const r = await post(events, fast({ maxBatchBytes: 2048 }));
    expect(r).toMatchObject({ events: 30, retries: 0 });
    expect(server.requests.length).toBeGreaterThan(3);
    expect(r.requests).toBe(server.requests.length);
    for (const q of server.requests) {
      expect(q.method).toBe('POST');
      expect(q.path).toBe('/services/collector/event');
      expect(q.headers.authorization).toBe(`Splunk ${TOKEN}`);
      expect(q.headers['content-encoding']).toBe('gzip');
      expect(q.headers['content-type']).toBe('application/json');
      expect(q.headers['x-splunk-request-channel']).toBeUndefined();
      expect(q.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(gunzipSync(q.raw).toString()).toBe(q.body);
      expect(Buffer.byteLength(q.body)).toBeLessThanOrEqual(2048);
    }
    expectAcceptedOnce(events);
  });

  it('retries 503, 429 and dropped connections with growing, jittered delays; nothing lost or sent twice', async () => {
    server = await startHecServer({ token: TOKEN });
    server.script = [REPLIES.busy, REPLIES.busy, REPLIES.success, 'drop', { ...REPLIES.tooMany, headers: { 'Retry-After': '3' } }];
    const events = lines(12);
    const o = fast({ maxBatchBytes: 1500, baseDelayMs: 100 });
    const r = await post(events, o);
    expect(r.retries).toBe(4);
    expect(o.slept).toEqual([50, 100, 50, 3000]); // random 0.5 of 100, 200; then 100; then Retry-After
    expect(o.notes[0]).toMatch(/^hec: http:\/\/127\.0\.0\.1:\d+\/services\/collector\/event answered 503 Server is busy \(code 9\); retrying in 0\.1 s \(attempt 2 of 6\)$/);
    expect(o.notes[2]).toMatch(/cannot be reached: /);
    expectAcceptedOnce(events);
  });

  it('gives up after the bounded attempts, saying how many events got in', async () => {
    server = await startHecServer({ token: TOKEN });
    server.script = [REPLIES.success, ...new Array(10).fill(REPLIES.busy)];
    const events = lines(6);
    const o = fast({ maxBatchBytes: 800, maxAttempts: 3 });
    await expect(post(events, o)).rejects.toThrow(/^hec: http:\/\/127\.0\.0\.1:\d+\/services\/collector\/event answered 503 Server is busy \(code 9\); gave up after 3 attempts \(\d+ of 6 events were accepted before\)$/);
    expect(server.requests).toHaveLength(4);
    expect(o.slept).toHaveLength(2);
  });

  it('fails at once on 401, 400 and 403 with Splunk\'s reason, and never shows the token', async () => {
    server = await startHecServer({ token: TOKEN });
    const events = lines(2);
    const wrong = 'zzzz-secret-token-zzzz';
    const e401 = await post(events, fast(), false, wrong).catch((e: Error) => e);
    expect((e401 as Error).message).toMatch(/^hec: http:\/\/127\.0\.0\.1:\d+\/services\/collector\/event refused the events: 401 Invalid token \(code 4\)$/);
    expect(String((e401 as Error).stack)).not.toContain(wrong);
    server.script = [REPLIES.invalidFormat];
    await expect(post(events, fast())).rejects.toThrow(/refused the events: 400 Invalid data format \(code 6\)$/);
    server.script = [REPLIES.tokenDisabled];
    await expect(post(events, fast())).rejects.toThrow(/refused the events: 403 Token disabled \(code 1\)$/);
    expect(server.requests).toHaveLength(3);
    expect(server.accepted).toEqual([]);
  });

  it('names the cause when nothing listens', async () => {
    server = await startHecServer({ token: TOKEN });
    const url = server.url;
    await server.close();
    server = undefined;
    const o = fast({ maxAttempts: 2 });
    await expect(postToHec(lines(1), { endpoint: hecEndpointOf(url), token: TOKEN, ack: false }, o))
      .rejects.toThrow(/^hec: http:\/\/127\.0\.0\.1:\d+\/services\/collector\/event cannot be reached: ECONNREFUSED; gave up after 2 attempts$/);
  });

  it('with ack: sends a channel, then polls /services/collector/ack until every ackId is true', async () => {
    server = await startHecServer({ token: TOKEN, ackEnabled: true });
    server.ackPending = 2;
    server.script = [REPLIES.success, REPLIES.busy];
    const events = lines(10);
    const o = fast({ maxBatchBytes: 1500 });
    const r = await post(events, o, true);
    expect(r.acknowledged).toBe(true);
    const sent = server.requests.filter((q) => q.path === '/services/collector/event');
    const acks = server.requests.filter((q) => q.path === '/services/collector/ack');
    const channel = sent[0].headers['x-splunk-request-channel'];
    expect(channel).toMatch(/^[0-9a-f-]{36}$/);
    for (const q of server.requests) expect(q.headers['x-splunk-request-channel']).toBe(channel);
    const batches = sent.length - 1; // one 503
    expect(acks).toHaveLength(3);
    expect((JSON.parse(acks[0].body) as { acks: number[] }).acks).toEqual([...Array(batches).keys()]);
    expect(acks[0].headers.authorization).toBe(`Splunk ${TOKEN}`);
    expectAcceptedOnce(events);
  });

  it('with ack: fails after the bounded polls when the indexer never confirms', async () => {
    server = await startHecServer({ token: TOKEN, ackEnabled: true });
    server.ackPending = 1000;
    await expect(post(lines(2), fast({ maxAckPolls: 4 }), true))
      .rejects.toThrow(/^hec: http:\/\/127\.0\.0\.1:\d+\/services\/collector\/ack: 1 of 1 requests not acknowledged as indexed after 4 queries \(ackIds 0\)$/);
    expect(server.requests.filter((q) => q.path === '/services/collector/ack')).toHaveLength(4);
  });

  it('with ack on a token without it: accepted, says so, no polling', async () => {
    server = await startHecServer({ token: TOKEN });
    const o = fast();
    const r = await post(lines(3), o, true);
    expect(r.acknowledged).toBe(false);
    expect(o.notes.join('\n')).toMatch(/indexer acknowledgement is off/);
    expect(server.requests.every((q) => q.path === '/services/collector/event')).toBe(true);
  });

  it('without ack on a token that needs it: says to pass --hec-ack', async () => {
    server = await startHecServer({ token: TOKEN, ackEnabled: true });
    await expect(post(lines(1), fast())).rejects.toThrow(/refused the events: 400 Data channel is missing \(code 10\); the token uses indexer acknowledgement: pass --hec-ack$/);
  });
});
