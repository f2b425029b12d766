import { objectError } from './objectError.js';
import { parseS3Url } from './objectUrl.js';
import type { PartialsStore } from './partialsStore.js';
import { s3Access } from './s3Client.js';

/**
 * Partials under `s3://bucket/prefix/`: one object per shard. A PUT is atomic (readers see the old
 * object or the new one, never part of one), so a shard's file is gathered in memory and put once;
 * merge gets one object at a time.
 */
export function s3PartialsStore(location: string): PartialsStore {
  const { bucket, key } = parseS3Url(location);
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const urlOf = (name: string) => `s3://${bucket}/${prefix}${name}`;
  return {
    location,
    describe: urlOf,
    async list() {
      const { sdk, client } = await s3Access();
      const names: string[] = [];
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
        } catch (cause) {
          throw objectError('plan', location, cause);
        }
        for (const o of page.Contents ?? []) if (o.Key !== undefined) names.push(o.Key.slice(prefix.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names.sort();
    },
    async open(name) {
      const { sdk, client } = await s3Access();
      try {
        const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: `${prefix}${name}` }));
        const bytes = await out.Body!.transformToByteArray();
        return { source: bytes, close: async () => undefined };
      } catch (cause) {
        throw objectError('plan', urlOf(name), cause);
      }
    },
    async create(name) {
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      return {
        get bytes() {
          return bytes;
        },
        async write(chunk: Uint8Array) {
          chunks.push(chunk.slice());
          bytes += chunk.length;
        },
        async commit() {
          const { sdk, client } = await s3Access();
          try {
            await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: Buffer.concat(chunks), ContentType: 'application/vnd.apache.arrow.file' }));
          } catch (cause) {
            throw objectError('plan', urlOf(name), cause);
          }
        },
        async abort() {
          chunks.length = 0;
        },
      };
    },
  };
}
