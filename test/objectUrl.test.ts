import { describe, expect, it } from 'vitest';
import { isObjectUrl, locationProblem, parseS3Url } from '../src/io/objectUrl.js';
import { forcePathStyle } from '../src/io/s3Client.js';

describe('object URLs', () => {
  it('splits s3:// URLs into bucket and key, taking the key as written', () => {
    expect(parseS3Url('s3://b/day=2026-01-01/part 0%20.parquet')).toEqual({ bucket: 'b', key: 'day=2026-01-01/part 0%20.parquet' });
    expect(parseS3Url('s3://b/')).toEqual({ bucket: 'b', key: '' });
    expect(parseS3Url('s3://b')).toEqual({ bucket: 'b', key: '' });
  });

  it('tells object URLs from local paths', () => {
    expect(['s3://b/k', 'https://h/f.parquet', 'HTTP://h/f.parquet'].map(isObjectUrl)).toEqual([true, true, true]);
    expect(['data/metrics', '/abs/s3:/x', './https'].map(isObjectUrl)).toEqual([false, false, false]);
  });

  it('names what is wrong with a location before anything is read', () => {
    expect(locationProblem('s3:///prefix/')).toMatch(/names no bucket/);
    expect(locationProblem('s3://bad bucket/x')).toMatch(/invalid bucket name "bad bucket"/);
    expect(locationProblem('https://h/folder/')).toMatch(/names a folder/);
    expect(locationProblem('https://')).toMatch(/not a valid URL/);
    expect(locationProblem('gs://b/x')).toMatch(/unsupported scheme gs:\/\//);
    expect([locationProblem('s3://b/p/'), locationProblem('https://h:8443/f.parquet?sig=1'), locationProblem('data/x')]).toEqual([undefined, undefined, undefined]);
  });

  it('addresses buckets by path when an endpoint is configured, or when told to', () => {
    expect(forcePathStyle({})).toBe(false);
    expect(forcePathStyle({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toBe(true);
    expect(forcePathStyle({ AWS_ENDPOINT_URL_S3: 'http://minio:9000' })).toBe(true);
    expect(forcePathStyle({ AWS_ENDPOINT_URL: 'http://x', AWS_S3_FORCE_PATH_STYLE: 'false' })).toBe(false);
    expect(forcePathStyle({ AWS_S3_FORCE_PATH_STYLE: 'true' })).toBe(true);
  });
});
