/** Listing `--data s3://...` against a real S3-compatible server (s3rver): the filters and order of a local folder. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findInputs } from '../src/io/findInputs.js';
import { findParquetFiles } from '../src/io/findParquetFiles.js';
import { listS3Parquet } from '../src/io/listS3Objects.js';
import { startFaultProxy, type FaultProxy } from './helpers/faultProxy.js';
import { forgetMachineAws, isolatedAwsEnv, startS3Server, uploadDir, type S3Server } from './helpers/s3Server.js';

const KEYS = [
  'day=2026-01-02/part-1.parquet',
  'day=2026-01-02/part-0.parquet',
  'day=2026-01-01/part-0.parquet',
  'B.parquet',
  'a.parquet',
  'deep/er/still/x.parquet',
  '.hidden.parquet',
  '_tmp.parquet',
  '.staging/x.parquet',
  '_temporary/0/part.parquet',
  '_SUCCESS',
  'sub/.x.parquet.crc',
  'notes.txt',
  'ü/é.parquet',
];

let s3: S3Server;
let proxy: FaultProxy;
let local: string;

beforeAll(async () => {
  forgetMachineAws();
  s3 = await startS3Server(['lst', 'empty']);
  local = mkdtempSync(join(tmpdir(), 'egress-list-'));
  for (const k of KEYS) {
    mkdirSync(join(local, k, '..'), { recursive: true });
    writeFileSync(join(local, k), k);
  }
  await uploadDir(s3.client, local, 'lst', 'metrics/');
  await s3.client.send(new PutObjectCommand({ Bucket: 'lst', Key: 'metrics2/other.parquet', Body: 'x' }));
  proxy = await startFaultProxy(s3.endpoint);
  Object.assign(process.env, isolatedAwsEnv(proxy.endpoint));
});

afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

beforeEach(() => proxy.reset());

describe('listS3Parquet', () => {
  it('lists a prefix as findParquetFiles lists a folder: same files, same filters, same order', async () => {
    const listed = await listS3Parquet('s3://lst/metrics/');
    const files = (await findParquetFiles(local)).map((p) => p.slice(local.length + 1));
    expect(listed.map((o) => o.path)).toEqual(files.map((f) => `s3://lst/metrics/${f}`));
    expect(files).toHaveLength(7);
  });

  it('keeps each object\'s size, LastModified and ETag, so opening it needs no HEAD', async () => {
    const [a] = await listS3Parquet('s3://lst/metrics/a.parquet');
    expect(a.stat).toEqual({ size: 'a.parquet'.length, mtimeMs: expect.any(Number), etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
    expect(a.stat.mtimeMs).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('follows continuation tokens page by page', async () => {
    const all = await listS3Parquet('s3://lst/metrics/');
    proxy.reset();
    expect(await listS3Parquet('s3://lst/metrics/', 2)).toEqual(all);
    expect(proxy.requests.filter((r) => r.url.includes('list-type=2'))).toHaveLength(Math.ceil(KEYS.length / 2));
  });

  it('takes s3://bucket/key as that object, and s3://bucket/prefix without its slash as the folder', async () => {
    expect((await listS3Parquet('s3://lst/metrics/_tmp.parquet')).map((o) => o.path)).toEqual(['s3://lst/metrics/_tmp.parquet']);
    const folder = await listS3Parquet('s3://lst/metrics');
    expect(folder.map((o) => o.path)).toEqual((await listS3Parquet('s3://lst/metrics/')).map((o) => o.path));
    expect(folder.some((o) => o.path.includes('metrics2'))).toBe(false);
    expect((await listS3Parquet('s3://lst/')).map((o) => o.path)).toContain('s3://lst/metrics2/other.parquet');
  });

  it('names the location when nothing is there, the bucket is missing or access is denied', async () => {
    await expect(listS3Parquet('s3://empty/')).rejects.toThrow('plan: no Parquet files found under s3://empty/');
    await expect(listS3Parquet('s3://lst/nothing/')).rejects.toThrow('plan: no Parquet files found under s3://lst/nothing/');
    await expect(listS3Parquet('s3://nob/prefix/')).rejects.toThrow('plan: s3://nob/prefix/: no such bucket (404 NoSuchBucket)');
    proxy.fault = () => ({ status: 403, code: 'AccessDenied' });
    await expect(listS3Parquet('s3://lst/metrics/')).rejects.toThrow('plan: s3://lst/metrics/: access denied (403 AccessDenied)');
  });
});

describe('findInputs', () => {
  it('takes an https URL as one file and refuses malformed locations naming them', async () => {
    expect(await findInputs('https://example.test/a/b.parquet')).toEqual([{ path: 'https://example.test/a/b.parquet' }]);
    await expect(findInputs('s3:///x')).rejects.toThrow('plan: --data s3:///x names no bucket');
    expect((await findInputs(local)).map((e) => e.path)).toEqual(await findParquetFiles(local));
    expect(proxy.requests).toEqual([]);
  });
});
