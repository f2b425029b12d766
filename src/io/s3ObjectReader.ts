import type { Readable } from 'node:stream';
import { attemptsOf, changedError, objectError, type Subsystem } from './objectError.js';
import { parseS3Url } from './objectUrl.js';
import { knownStat, type InputReader, type InputStat, type OpenOptions } from './openInput.js';
import { RangedObjectReader, type RangeResponse } from './rangedObjectReader.js';
import { s3Access, type S3Access } from './s3Client.js';
import { countTransfer } from './transferCounters.js';
import { withRequestSlot } from './requestSlots.js';

/** HEAD of one object: its size, LastModified and ETag. */
export async function headS3Object(url: string, subsystem: Subsystem): Promise<InputStat> {
  const { bucket, key } = parseS3Url(url);
  const { sdk, client } = await s3Access();
  try {
    const h = await withRequestSlot(() => client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key })));
    countTransfer(0, h.$metadata.attempts ?? 1);
    return { size: h.ContentLength ?? 0, mtimeMs: h.LastModified?.getTime() ?? 0, ...(h.ETag ? { etag: h.ETag } : {}) };
  } catch (cause) {
    countTransfer(0, attemptsOf(cause));
    throw objectError(subsystem, url, cause);
  }
}

/** `s3://bucket/key` as a reader; with `known` (listed or planned) no request is made before the first read. */
export async function openS3Object(url: string, o: OpenOptions): Promise<InputReader> {
  const { bucket, key } = parseS3Url(url);
  if (bucket === '' || key === '' || key.endsWith('/')) throw new Error(`${o.subsystem}: ${url} names no object (expected s3://bucket/key)`);
  const access = await s3Access();
  return new S3ObjectReader(url, o.subsystem, knownStat(o.known) ?? await headS3Object(url, o.subsystem), access, bucket, key);
}

class S3ObjectReader extends RangedObjectReader {
  constructor(location: string, subsystem: Subsystem, info: InputStat, private readonly access: S3Access, private readonly bucket: string, private readonly key: string) {
    super(location, subsystem, info);
  }

  protected async get(start: number, end: number): Promise<RangeResponse> {
    const { sdk, client } = this.access;
    let out;
    try {
      out = await client.send(new sdk.GetObjectCommand({
        Bucket: this.bucket, Key: this.key, Range: `bytes=${start}-${end - 1}`,
        // AWS answers 412 once the object is replaced; servers that ignore it are caught by the ETag check
        ...(this.info.etag ? { IfMatch: this.info.etag } : {}),
      }));
    } catch (cause) {
      countTransfer(0, attemptsOf(cause));
      const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412) throw changedError(this.subsystem, this.location, 'its ETag is no longer the planned one');
      if (status === 416) throw changedError(this.subsystem, this.location, `it is now shorter than the planned ${this.info.size} bytes`);
      throw objectError(this.subsystem, this.location, cause);
    }
    countTransfer(0, out.$metadata.attempts ?? 1);
    const body = out.Body as Readable | undefined;
    return {
      contentRange: out.ContentRange,
      etag: out.ETag,
      body: body ?? (async function* () {})(),
      cancel: () => body?.destroy(),
    };
  }
}
