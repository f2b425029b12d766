/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1 at a free port, over a temporary
 * folder, in a child process (its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3
 * has only with the legacy provider). The CLI under test reaches it through AWS_ENDPOINT_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { ROOT } from './cli.js';

/** s3rver's only account. */
export const S3_KEY = 'S3RVER';

export interface S3Server {
  endpoint: string;
  /** the environment a process needs to reach it, isolated from any AWS setup of the machine */
  env: NodeJS.ProcessEnv;
  client: S3Client;
  stop(): Promise<void>;
}

/** Drops the machine's own AWS settings from this test process (and so from the CLI it runs). */
export function forgetMachineAws(): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
}

/** Environment for a process that should use `endpoint` and nothing of the machine's AWS setup (call forgetMachineAws first). */
export function isolatedAwsEnv(endpoint: string, accessKeyId = S3_KEY): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_KEY,
    AWS_CONFIG_FILE: join(tmpdir(), 'egress-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'egress-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

const SERVER = `
import S3rver from 's3rver';
const [directory, buckets] = [process.argv[1], JSON.parse(process.argv[2])];
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\\n');
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;

export async function startS3Server(buckets: string[]): Promise<S3Server> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'; // the helper's own client, on Node 20
  const dir = mkdtempSync(join(tmpdir(), 'egress-s3rver-'));
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '--input-type=module', '-e', SERVER, dir, JSON.stringify(buckets)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('exit', (code) => reject(new Error(`s3rver exited ${code} before it listened`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    endpoint, env: isolatedAwsEnv(endpoint), client,
    stop: async () => {
      client.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Uploads every file under `dir` to s3://bucket/prefix..., keys as the relative paths; returns their count. */
export async function uploadDir(client: S3Client, dir: string, bucket: string, prefix: string): Promise<number> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  for (const e of files) {
    const path = join(e.parentPath, e.name);
    const key = prefix + relative(dir, path).split(sep).join('/');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(path) }));
  }
  return files.length;
}
