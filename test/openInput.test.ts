/**
 * `--data s3://bucket/prefix/` end to end: an exported dataset uploaded to a real S3-compatible
 * server (s3rver on 127.0.0.1), read by the CLI through a counting proxy, against the same files on
 * disk: the same findings byte for byte, only the needed column chunks fetched, and one-line
 * errors that name the object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COALESCE_GAP } from '../src/io/coalesceRanges.js';
import { inspectAll } from '../src/pipeline/inspectAll.js';
import { chunkByteRange } from '../src/parquet/parquetFooter.js';
import type { FileInfo } from '../src/plan/inspectFile.js';
import { COLUMNS, DEFAULT_PARAMS } from '../src/rule/rule.js';
import { detect as detectLibrary } from '../src/pipeline/detect.js';
import { createPool } from '../src/pool/createPool.js';
import { parseNdjson, runCliAsync, runCliOkAsync } from './helpers/cli.js';
import { startFaultProxy, type FaultProxy } from './helpers/faultProxy.js';
import { forgetMachineAws, isolatedAwsEnv, startS3Server, uploadDir, type S3Server } from './helpers/s3Server.js';

const END = '2026-01-04T00:00:00Z';
const S3 = 's3://data/metrics/';
let tmp: string;
let dir: string;
let s3: S3Server;
let proxy: FaultProxy;
let env: NodeJS.ProcessEnv;
let files: FileInfo[];

beforeAll(async () => {
  forgetMachineAws();
  tmp = mkdtempSync(join(tmpdir(), 'egress-s3-'));
  dir = join(tmp, 'metrics');
  const [server] = await Promise.all([
    startS3Server(['data']),
    runCliOkAsync(['export', '--out', dir, '--days', '3', '--seed', '3', '--clusters', '2', '--workloads', '3', '--end', END, '--workers', '2', '--quiet']),
  ]);
  s3 = server;
  await uploadDir(s3.client, dir, 'data', 'metrics/');
  proxy = await startFaultProxy(s3.endpoint);
  env = isolatedAwsEnv(proxy.endpoint);
  Object.assign(process.env, env); // for the library test below: this process and its worker threads
  files = await inspectAll(dir, ['tcp.*', 'udp.*']);
});

afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => proxy.reset());

const detect = (data: string, ...more: string[]) => ['detect', '--data', data, '--format', 'ndjson', ...more];

/** "fetched 2.11 MiB of 4.02 MiB stored (52.6%) in 19 requests" from the summary line. */
function transfers(stderr: string): { fetchedMiB: number; storedMiB: number; requests: number } {
  const m = /fetched ([\d.]+) MiB of ([\d.]+) MiB stored \([\d.]+%\) in (\d+) requests?/.exec(stderr);
  if (!m) throw new Error(`no transfer note in: ${stderr}`);
  return { fetchedMiB: Number(m[1]), storedMiB: Number(m[2]), requests: Number(m[3]) };
}

describe('--data s3://bucket/prefix/', () => {
  it.for([1, 2])('gives byte-identical findings to the same files on disk (%i workers)', async (workers) => {
    const args = ['--at', END, '--workers', String(workers)];
    const [local, remote] = await Promise.all([runCliOkAsync(detect(dir, ...args)), runCliOkAsync(detect(S3, ...args), { env })]);
    expect(parseNdjson(local.stdout).length).toBeGreaterThan(0);
    expect(remote.stdoutBytes.equals(local.stdoutBytes)).toBe(true);
    expect(proxy.requests.filter((r) => r.range).every((r) => /^bytes=\d+-\d+$/.test(r.range!))).toBe(true);
  });

  it('finds the same default T, and hunt the same findings', async () => {
    const hunt = (data: string) => ['hunt', '--data', data, '--from', '2026-01-03T22:00:00Z', '--to', END, '--format', 'ndjson', '--workers', '2'];
    const [local, remote, huntLocal, huntRemote] = await Promise.all([
      runCliOkAsync(detect(dir, '--workers', '2')), runCliOkAsync(detect(S3, '--workers', '2'), { env }),
      runCliOkAsync(hunt(dir)), runCliOkAsync(hunt(S3), { env }),
    ]);
    expect(remote.stdoutBytes.equals(local.stdoutBytes)).toBe(true);
    expect(parseNdjson(huntLocal.stdout).length).toBeGreaterThan(0);
    expect(huntRemote.stdoutBytes.equals(huntLocal.stdoutBytes)).toBe(true);
    expect(huntRemote.stderr).toMatch(/^hunt: .* fetched [\d.]+ MiB of [\d.]+ MiB stored/m);
  });

  it('fetches only the column chunks a detect needs, and counts bytes and requests as the server saw them', async () => {
    // tcp.bytes only: the scan reads its chunks, and the chunks of timestamp and keys whose CRC it
    // checks before it trusts the exporter's layout for them; everything else stays unread
    const r = await runCliOkAsync(detect(S3, '--at', END, '--workers', '1', '--metrics', 'tcp.bytes'), { env });
    const stored = files.reduce((s, f) => s + f.size, 0);
    const footerRead = (f: FileInfo) => 4 + Math.min(f.size, 64 * 1024);
    let metric = 0;
    let needed = 0;
    for (const f of files) {
      for (const rg of f.footer.rowGroups) {
        const wanted = rg.columns.filter((c) => [COLUMNS.timestamp, COLUMNS.cluster, COLUMNS.workload, COLUMNS.process, 'tcp.bytes'].includes(c.column.name));
        const ranges = wanted.map(chunkByteRange).sort((x, y) => x[0] - y[0]);
        for (const [k, [start, end]] of ranges.entries()) {
          needed += end - start;
          const gap = k > 0 ? start - ranges[k - 1]![1] : Infinity;
          if (gap <= COALESCE_GAP) needed += gap; // a small gap is fetched rather than paid a request for
        }
        metric += wanted.filter((c) => c.column.name === 'tcp.bytes').reduce((n, c) => n + c.totalCompressedSize, 0);
      }
      needed += 2 * footerRead(f); // the planner's read and the one worker's
    }
    expect(proxy.rangedBytes).toBeGreaterThanOrEqual(metric);
    expect(proxy.rangedBytes).toBeLessThanOrEqual(needed);
    expect(proxy.rangedBytes / stored).toBeLessThan(0.7); // measured: 62.0% with 3 files (52.6% before the metrics were byte-stream-split, so smaller)
    const t = transfers(r.stderr);
    expect(t.requests).toBe(proxy.requests.length);
    expect(Math.abs(t.fetchedMiB - proxy.rangedBytes / 2 ** 20)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(t.storedMiB - stored / 2 ** 20)).toBeLessThanOrEqual(0.005);
    // one listing; per file a footer read by the planner and by the worker (head and tail each);
    // per row group one request for the checked chunks and one for the metric
    const rowGroups = files.reduce((s, f) => s + f.rowGroups.length, 0);
    expect(t.requests).toBeLessThanOrEqual(1 + 4 * files.length + 2 * rowGroups);
  });

  it('survives throttling: each range answered 503 SlowDown once, the same findings', async () => {
    const throttled = new Set<string>();
    proxy.fault = (req) => {
      const id = `${req.url} ${req.range}`;
      if (!req.range || throttled.has(id)) return undefined;
      throttled.add(id);
      return { status: 503, code: 'SlowDown' };
    };
    const args = ['--at', END, '--workers', '2'];
    const [local, remote] = await Promise.all([runCliOkAsync(detect(dir, ...args)), runCliOkAsync(detect(S3, ...args), { env })]);
    expect(throttled.size).toBeGreaterThan(5);
    expect(remote.stdoutBytes.equals(local.stdoutBytes)).toBe(true);
  });

  it('names the bucket, object or prefix on 404 and 403, exits 1, and leaves stdout empty', async () => {
    const [bucket, key, denied] = await Promise.all([
      runCliAsync(detect('s3://nob/metrics/'), { env }),
      runCliAsync(detect('s3://data/metrics/day=2026-01-09/part-0.parquet'), { env }),
      runCliAsync(detect(S3), { env: isolatedAwsEnv(proxy.endpoint, 'NOT-A-KEY') }),
    ]);
    expect([bucket.status, key.status, denied.status]).toEqual([1, 1, 1]);
    expect(bucket.stderr).toBe('egress-anomaly: plan: s3://nob/metrics/: no such bucket (404 NoSuchBucket)\n');
    expect(key.stderr).toBe('egress-anomaly: plan: s3://data/metrics/day=2026-01-09/part-0.parquet: no such object (404 NotFound)\n');
    expect(denied.stderr).toBe(`egress-anomaly: plan: ${S3}: access denied (403 InvalidAccessKeyId)\n`);
    expect(bucket.stdout + key.stdout + denied.stdout).toBe('');
  });

  it('names the object a scan worker was refused (403), exits 1', async () => {
    // the planner's requests pass (one listing, then a head and a tail per file); the scan's are refused
    proxy.fault = (_req, i) => (i >= 1 + 2 * files.length ? { status: 403, code: 'AccessDenied' } : undefined);
    const r = await runCliAsync(detect(S3, '--at', END, '--workers', '1'), { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^egress-anomaly: scan: s3:\/\/data\/metrics\/day=2026-01-0\d\/part-0\.parquet: access denied \(403 AccessDenied\)\n$/);
  });

  it('hands what the scan fetched back in the merged stats (library)', async () => {
    const remote = await inspectAll(S3, DEFAULT_PARAMS.metricPatterns);
    expect(remote.map((f) => f.path)).toEqual(files.map((f) => `${S3}${f.path.slice(dir.length + 1)}`));
    expect(remote.every((f) => /^"[0-9a-f]{32}"$/.test(f.etag ?? ''))).toBe(true);
    const [planned, plannedBytes] = [proxy.requests.length, proxy.rangedBytes];
    const pool = createPool('scan', 1);
    try {
      const r = await detectLibrary({ files: remote, params: DEFAULT_PARAMS, atMs: Date.parse(END), pool });
      expect(r.state.stats.requests).toBe(proxy.requests.length - planned);
      expect(r.state.stats.bytesFetched).toBe(proxy.rangedBytes - plannedBytes);
      expect(r.state.stats.bytesFetched).toBeGreaterThan(0);
    } finally {
      await pool.destroy();
    }
  });

  it('refuses an s3:// location without a bucket as a usage error (exit 2), before any request', async () => {
    const r = await runCliAsync(detect('s3:///metrics/'), { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--data s3:///metrics/ names no bucket');
    expect(proxy.requests).toEqual([]);
  });
});
