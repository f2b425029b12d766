/**
 * `--data https://...` (here plain http on 127.0.0.1): one Parquet file read with Range requests
 * from a tiny local server, against the same file on disk.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openInput } from '../src/io/openInput.js';
import { takeTransferCounts } from '../src/io/transferCounters.js';
import { parseNdjson, runCliAsync, runCliOkAsync } from './helpers/cli.js';

const END = '2026-01-04T00:00:00Z';
let tmp: string;
let file: string;
let bytes: Buffer;
let server: Server;
let base: string;
const seen: { method: string; url: string; range?: string }[] = [];
/** how the server misbehaves: answers ranged GETs with the whole file, or 503 to the next N requests */
const mode = { ignoreRange: false, unavailable: 0 };
const SMALL = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-http-'));
  await runCliOkAsync(['export', '--out', join(tmp, 'data'), '--days', '2', '--seed', '9', '--clusters', '2', '--workloads', '3', '--end', END, '--workers', '2', '--quiet']);
  file = join(tmp, 'data', 'day=2026-01-03', 'part-0.parquet');
  bytes = readFileSync(file);
  const etag = '"v1-' + bytes.length + '"';
  const lastModified = statSync(file).mtime.toUTCString();
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (mode.unavailable > 0) {
      mode.unavailable--;
      res.writeHead(503, { 'retry-after': '0' }).end();
      return;
    }
    if (req.url === '/small.bin') {
      // a server without Range support: the whole body, always
      res.writeHead(200, { 'content-length': SMALL.length }).end(req.method === 'HEAD' ? undefined : SMALL);
      return;
    }
    if (req.url !== '/metrics/part-0.parquet') {
      res.writeHead(404).end('not found');
      return;
    }
    const headers = { etag, 'last-modified': lastModified, 'accept-ranges': 'bytes' };
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m || mode.ignoreRange) {
      res.writeHead(200, { ...headers, 'content-length': bytes.length });
      res.end(req.method === 'HEAD' ? undefined : bytes);
      return;
    }
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), bytes.length - 1);
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${bytes.length}` });
    res.end(bytes.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  mode.ignoreRange = false;
  mode.unavailable = 0;
});

const detectArgs = (data: string) => ['detect', '--data', data, '--at', END, '--format', 'ndjson', '--workers', '2'];

describe('--data https:// (one file over HTTP)', () => {
  it('gives byte-identical findings to the same file on disk, with explicit ranges only', async () => {
    const [local, remote] = await Promise.all([runCliOkAsync(detectArgs(file)), runCliOkAsync(detectArgs(`${base}/metrics/part-0.parquet`))]);
    expect(parseNdjson(local.stdout).length).toBeGreaterThan(0);
    expect(remote.stdoutBytes.equals(local.stdoutBytes)).toBe(true);
    expect(seen[0]).toEqual({ method: 'HEAD', url: '/metrics/part-0.parquet' });
    const gets = seen.filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(2);
    expect(gets.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? ''))).toBe(true);
    expect(remote.stderr).toMatch(new RegExp(`fetched [\\d.]+ MiB of [\\d.]+ MiB stored \\([\\d.]+%\\) in ${seen.length} requests`));
  });

  it('retries 503 answers', async () => {
    mode.unavailable = 2;
    const fh = await openInput(`${base}/metrics/part-0.parquet`, { subsystem: 'plan' });
    const buf = new Uint8Array(100);
    await fh.readRanges!([{ buffer: buf, offset: 0, length: 100, position: 1000 }]);
    expect(Buffer.from(buf).equals(bytes.subarray(1000, 1100))).toBe(true);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'HEAD', 'GET']);
    expect(takeTransferCounts()).toEqual({ bytesFetched: 100, requests: 4 });
  });

  it('refuses a server that ignores Range, and a missing file, naming the URL', async () => {
    mode.ignoreRange = true;
    const ignored = await runCliAsync(detectArgs(`${base}/metrics/part-0.parquet`));
    expect(ignored.status).toBe(1);
    expect(ignored.stderr.trim()).toBe(`egress-anomaly: plan: ${base}/metrics/part-0.parquet: the server ignores Range requests (it answered a ranged GET with the whole file), so the file cannot be read in parts`);
    mode.ignoreRange = false;
    const missing = await runCliAsync(detectArgs(`${base}/metrics/gone.parquet`));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toMatch(new RegExp(`^egress-anomaly: plan: ${base}/metrics/gone\\.parquet: no such object \\(404`));
  });

  it('takes a whole-file answer where the range asked for is the whole file, and only there', async () => {
    const fh = await openInput(`${base}/small.bin`, { subsystem: 'scan' });
    const all = new Uint8Array(100);
    await fh.readRanges!([{ buffer: all, offset: 0, length: 60, position: 0 }, { buffer: all, offset: 60, length: 40, position: 60 }]);
    expect(Buffer.from(all).equals(SMALL)).toBe(true);
    await expect(fh.read(new Uint8Array(10), 0, 10, 5)).rejects.toThrow(`scan: ${base}/small.bin: the server ignores Range requests`);
  });

  it('refuses a folder URL as a usage error before reading anything', async () => {
    const r = await runCliAsync(detectArgs(`${base}/metrics/`));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--data ${base}/metrics/ names a folder`);
    expect(seen).toEqual([]);
  });
});
