/**
 * --partials s3://bucket/prefix/, as the Kubernetes manifests use it, through a real S3-compatible
 * server: shards put their files there and merge reads them back to one machine's bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, runCliOk, runCliOkAsync } from './helpers/cli.js';
import { forgetMachineAws, startS3Server, uploadDir, type S3Server } from './helpers/s3Server.js';

const END = '2026-01-31T00:00:00Z';
const DETECT = ['--at', END, '--min-count', '2', '--workers', '1', '--quiet'];
const PARTS = 's3://parts/hunt-2026/';
let tmp: string;
let data: string;
let s3: S3Server;

beforeAll(async () => {
  forgetMachineAws();
  tmp = mkdtempSync(join(tmpdir(), 'egress-s3-parts-'));
  data = join(tmp, 'data');
  [s3] = await Promise.all([
    startS3Server(['parts', 'metrics']),
    runCliOkAsync(['export', '--out', data, '--days', '2', '--workloads', '6', '--clusters', '2', '--seed', '4', '--end', END, '--quiet']),
  ]);
});

beforeAll(async () => {
  await uploadDir(s3.client, data, 'metrics', 'npm/');
});

afterAll(async () => {
  await s3?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

it('shards put their partials under an s3:// prefix and merge reads them back to one machine\'s bytes', async () => {
  const one = runCliOk(['detect', '--data', data, ...DETECT, '--format', 'ndjson']);
  expect(one.stdout.length).toBeGreaterThan(0);
  await Promise.all([0, 1].map((i) => runCliOkAsync(['detect', '--data', data, ...DETECT, '--shard', `${i}/2`, '--partials', PARTS], { env: s3.env })));
  const merged = runCli(['merge', '--partials', PARTS, '--format', 'ndjson', '--quiet'], { env: s3.env });
  expect(merged.stderr).toBe('');
  expect(merged.status).toBe(0);
  expect(merged.stdout).toBe(one.stdout);

  // a prefix with one shard of two: exit 1, naming the missing object
  runCliOk(['detect', '--data', data, ...DETECT, '--shard', '1/2', '--partials', 's3://parts/half/'], { env: s3.env });
  const half = runCli(['merge', '--partials', 's3://parts/half/'], { env: s3.env });
  expect(half.status).toBe(1);
  expect(half.stderr).toMatch(/missing 1 of 2 shards in s3:\/\/parts\/half\/: shard-0000-of-0002-[0-9a-f]{12}\.arrow/);
});

it('the whole flow: a sharded hunt over metrics in object storage, partials in object storage, merged to one machine\'s bytes', async () => {
  const hunt = ['hunt', '--from', '2026-01-30T22:00:00Z', '--to', END, '--min-count', '2', '--workers', '1', '--quiet'];
  const one = runCliOk([...hunt, '--data', data, '--format', 'ndjson']);
  expect(one.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  const parts = 's3://parts/flow/';
  // as an Indexed Job runs them: --shards N, the index from JOB_COMPLETION_INDEX
  await Promise.all([0, 1, 2].map((i) => runCliOkAsync([...hunt, '--data', 's3://metrics/npm/', '--shards', '3', '--partials', parts],
    { env: { ...s3.env, JOB_COMPLETION_INDEX: String(i) } })));
  const merged = runCli(['merge', '--partials', parts, '--format', 'ndjson', '--quiet'], { env: s3.env });
  expect(merged.stderr).toBe('');
  expect(merged.status).toBe(0);
  expect(merged.stdout).toBe(one.stdout);
});
