import { attemptsOf, objectError } from './objectError.js';
import { parseS3Url } from './objectUrl.js';
import type { InputStat } from './openInput.js';
import { s3Access } from './s3Client.js';
import { headS3Object } from './s3ObjectReader.js';
import { countTransfer } from './transferCounters.js';

export interface ListedObject {
  path: string;
  stat: InputStat;
}

const byPath = (a: ListedObject, b: ListedObject) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Hidden and temporary entries (`.staging/`, `_temporary/`, `_SUCCESS`) are skipped, as in a local folder. */
function wanted(relative: string): boolean {
  const parts = relative.split('/');
  return parts.every((p) => !p.startsWith('.') && !p.startsWith('_')) && relative.endsWith('.parquet');
}

/**
 * The Parquet objects `--data s3://...` names, with size, LastModified and ETag (so opening them
 * needs no HEAD): `s3://bucket/key` that is an object is that object whatever its name; otherwise
 * the key is a prefix (a folder: `prefix/` is meant whether or not the slash is written), listed
 * with ListObjectsV2 page by page, with the filters and the code-unit order of a local folder.
 */
export async function listS3Parquet(url: string, pageSize = 1000): Promise<ListedObject[]> {
  const { bucket, key } = parseS3Url(url);
  if (bucket === '') throw new Error(`plan: --data ${url} names no bucket`);
  let missing: Error | undefined;
  if (key !== '' && !key.endsWith('/')) {
    const single = await headS3Object(url, 'plan').catch((e: Error) => {
      if (!/: no such object \(/.test(e.message)) throw e;
      missing = e;
      return undefined;
    });
    if (single) return [{ path: url, stat: single }];
  }
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const { sdk, client } = await s3Access();
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageSize, ContinuationToken: token }));
    } catch (cause) {
      countTransfer(0, attemptsOf(cause));
      throw objectError('plan', url, cause);
    }
    countTransfer(0, page.$metadata.attempts ?? 1);
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined || !wanted(o.Key.slice(prefix.length))) continue;
      out.push({
        path: `s3://${bucket}/${o.Key}`,
        stat: { size: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() ?? 0, ...(o.ETag ? { etag: o.ETag } : {}) },
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  // s3://b/k.parquet that is neither an object nor a folder: say the object is missing
  if (out.length === 0) throw missing ?? new Error(`plan: no Parquet files found under ${url}`);
  return out.sort(byPath);
}
