/**
 * The s3:// reader against a real S3-compatible server (s3rver), through a counting proxy that can
 * inject errors: explicit byte ranges only, coalescing, the in-flight bound, retries, the ETag check,
 * and error messages that name the object.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openInput } from '../src/io/openInput.js';
import { MAX_REQUESTS_IN_FLIGHT } from '../src/io/requestSlots.js';
import { takeTransferCounts } from '../src/io/transferCounters.js';
import type { RangeRequest } from '../src/parquet/byteReader.js';
import { startFaultProxy, type FaultProxy } from './helpers/faultProxy.js';
import { rng } from './helpers/rng.js';
import { forgetMachineAws, isolatedAwsEnv, startS3Server, type S3Server } from './helpers/s3Server.js';

const URL = 's3://rd/obj.bin';
const SIZE = 3 * 1024 * 1024 + 17;
const next = rng(5);
const bytes = Uint8Array.from({ length: SIZE }, () => Math.floor(next() * 256));

let s3: S3Server;
let proxy: FaultProxy;

beforeAll(async () => {
  forgetMachineAws();
  s3 = await startS3Server(['rd']);
  await s3.client.send(new PutObjectCommand({ Bucket: 'rd', Key: 'obj.bin', Body: bytes }));
  proxy = await startFaultProxy(s3.endpoint);
  // the reader's client is made once per thread, from the environment: this test's process
  Object.assign(process.env, isolatedAwsEnv(proxy.endpoint));
});

afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
});

beforeEach(() => {
  proxy.reset();
  takeTransferCounts();
});

const request = (position: number, length: number): RangeRequest => ({ buffer: new Uint8Array(length), offset: 0, length, position });
const expectBytes = (requests: RangeRequest[]) => {
  for (const r of requests) expect(Buffer.from(r.buffer).equals(Buffer.from(bytes.subarray(r.position, r.position + r.length)))).toBe(true);
};
const gets = () => proxy.requests.filter((r) => r.method === 'GET');

describe('s3:// reader', () => {
  it('opens with a HEAD (size, LastModified, ETag), reads with explicit ranges only, and counts what it fetched', async () => {
    const fh = await openInput(URL, { subsystem: 'scan' });
    const stat = await fh.stat();
    expect(stat.size).toBe(SIZE);
    expect(stat.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(stat.mtimeMs).toBeGreaterThan(Date.parse('2020-01-01'));
    const tail = new Uint8Array(100);
    expect(await fh.read(tail, 0, 100, SIZE - 60)).toEqual({ bytesRead: 60 }); // short at the end, like a file
    expect(Buffer.from(tail.subarray(0, 60)).equals(Buffer.from(bytes.subarray(SIZE - 60)))).toBe(true);
    expect(await fh.read(tail, 0, 10, SIZE)).toEqual({ bytesRead: 0 });
    expect(proxy.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(gets().map((r) => r.range)).toEqual([`bytes=${SIZE - 60}-${SIZE - 1}`]);
    expect(takeTransferCounts()).toEqual({ bytesFetched: 60, requests: 2 });
    await fh.close();
  });

  it('with the size and ETag already known, makes no request before the first read', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE, mtimeMs: 1, etag: (await headEtag()) } });
    proxy.reset();
    expect((await fh.stat()).size).toBe(SIZE);
    expect(proxy.requests).toEqual([]);
  });

  it('coalesces near ranges of one batch into one request and keeps far ones apart', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    const near = [request(1000, 500), request(1600, 100), request(0, 900), request(2_000_000, 10)];
    await fh.readRanges!(near);
    expectBytes(near);
    expect(gets().map((r) => r.range).sort()).toEqual(['bytes=0-1699', 'bytes=2000000-2000009']);
    expect(takeTransferCounts()).toEqual({ bytesFetched: proxy.rangedBytes, requests: 2 });
    expect(proxy.rangedBytes).toBe(1700 + 10);
  });

  it(`keeps at most ${MAX_REQUESTS_IN_FLIGHT} requests in flight`, async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    proxy.delayMs = 30;
    const scattered = Array.from({ length: 30 }, (_, i) => request(i * 100_000, 1000));
    await fh.readRanges!(scattered);
    expectBytes(scattered);
    expect(gets()).toHaveLength(30);
    expect(proxy.maxInFlight).toBe(MAX_REQUESTS_IN_FLIGHT);
  });

  it('retries throttling and 5xx answers with backoff, and counts every attempt', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    proxy.fault = (r, i) => (r.method === 'GET' && i < 2 ? { status: 503, code: 'SlowDown' } : undefined);
    const one = [request(5000, 4000)];
    await fh.readRanges!(one);
    expectBytes(one);
    expect(gets().map((r) => r.range)).toEqual(Array(3).fill('bytes=5000-8999'));
    expect(takeTransferCounts()).toEqual({ bytesFetched: 4000, requests: 3 });
  });

  it('fetches a body cut off half-way again', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    proxy.fault = (_r, i) => (i === 0 ? 'cut' : undefined);
    const big = [request(100, 1_000_000)];
    await fh.readRanges!(big);
    expectBytes(big);
    expect(gets()).toHaveLength(2);
  });

  it('gives up after the retries with one line naming the object', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    proxy.fault = () => ({ status: 500, code: 'InternalError' });
    await expect(fh.readRanges!([request(0, 10)])).rejects.toThrow(/^scan: s3:\/\/rd\/obj\.bin: request failed \(500 InternalError.*\) after 3 attempts$/);
  });

  it('fails at once on 403, naming the object', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    proxy.fault = () => ({ status: 403, code: 'AccessDenied' });
    await expect(fh.readRanges!([request(0, 10)])).rejects.toThrow('scan: s3://rd/obj.bin: access denied (403 AccessDenied)');
    expect(proxy.requests).toHaveLength(1);
  });

  it('names a missing object or bucket (404)', async () => {
    await expect(openInput('s3://rd/missing.bin', { subsystem: 'plan' })).rejects.toThrow('plan: s3://rd/missing.bin: no such object (404');
    const gone = await openInput('s3://nob/obj.bin', { subsystem: 'scan', known: { size: SIZE } });
    await expect(gone.read(new Uint8Array(4), 0, 4, 0)).rejects.toThrow('scan: s3://nob/obj.bin: no such bucket (404 NoSuchBucket)');
  });

  it('refuses bytes of an object replaced since it was listed or planned (ETag)', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'rd', Key: 'changing.bin', Body: bytes.subarray(0, 1000) }));
    const fh = await openInput('s3://rd/changing.bin', { subsystem: 'scan' });
    const planned = await fh.stat();
    await s3.client.send(new PutObjectCommand({ Bucket: 'rd', Key: 'changing.bin', Body: bytes.subarray(1, 1001) })); // same size
    const later = await openInput('s3://rd/changing.bin', { subsystem: 'scan', known: planned });
    await expect(later.read(new Uint8Array(10), 0, 10, 0)).rejects.toThrow(/^scan: s3:\/\/rd\/changing\.bin changed while the run was reading it \(ETag "[0-9a-f]+", planned "[0-9a-f]+"\); run again$/);
  });

  it('says a read past the planned size is a truncated file', async () => {
    const fh = await openInput(URL, { subsystem: 'scan', known: { size: SIZE } });
    await expect(fh.readRanges!([request(SIZE - 5, 10)])).rejects.toThrow(`parquet: ${URL} is truncated`);
    expect(proxy.requests).toEqual([]);
  });
});

async function headEtag(): Promise<string> {
  const fh = await openInput(URL, { subsystem: 'plan' });
  return (await fh.stat()).etag!;
}
