import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

type Sdk = typeof import('@aws-sdk/client-s3');

/** The SDK module and this thread's client. */
export interface S3Access {
  sdk: Sdk;
  client: S3Client;
}

let access: Promise<S3Access> | undefined;

/**
 * S3-compatible servers (MinIO, Ceph, s3rver) address buckets by path, not by host name: on when
 * an endpoint is configured through the environment, unless AWS_S3_FORCE_PATH_STYLE says otherwise
 * (it also turns it on for an endpoint set in the AWS config file).
 */
export function forcePathStyle(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.AWS_S3_FORCE_PATH_STYLE?.trim().toLowerCase();
  if (v) return v === 'true' || v === '1' || v === 'yes';
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/**
 * One client per thread (each scan worker makes its own on its first s3:// task), from the SDK's
 * default chains: credentials (environment, AWS_PROFILE and the shared files, SSO, web identity,
 * container and instance metadata), region, endpoint (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
 * `endpoint_url` in the config file) and retries (standard mode: 3 attempts with exponential
 * backoff and jitter on 5xx, throttling and network errors; AWS_MAX_ATTEMPTS, AWS_RETRY_MODE).
 */
export function s3Access(): Promise<S3Access> {
  access ??= createAccess();
  return access;
}

async function createAccess(): Promise<S3Access> {
  // the SDK warns on stderr of Node 20 about its releases after January 2027; stderr is ours
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-s3');
  const config: S3ClientConfig = {
    forcePathStyle: forcePathStyle(),
    followRegionRedirects: true,
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
  };
  let client = new sdk.S3Client(config);
  try {
    await client.config.region();
  } catch {
    // no region anywhere in the chain: fine for an S3-compatible server, and AWS redirects
    client.destroy();
    client = new sdk.S3Client({ ...config, region: 'us-east-1' });
  }
  return { sdk, client };
}
