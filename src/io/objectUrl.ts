/**
 * `--data` names a local path, an S3 location (`s3://bucket/key` or `s3://bucket/prefix/`) or one
 * object over HTTP (`https://...`, `http://...` for servers on a trusted network). Keys are taken
 * as written, as the AWS CLI takes them: no percent-decoding.
 */
export function isS3Url(location: string): boolean {
  return location.startsWith('s3://');
}

export function isHttpUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export function isObjectUrl(location: string): boolean {
  return isS3Url(location) || isHttpUrl(location);
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** Why `location` cannot be read as an input, or undefined; a local path is never refused here. */
export function locationProblem(location: string): string | undefined {
  if (isS3Url(location)) {
    const { bucket } = parseS3Url(location);
    if (bucket === '') return 'names no bucket (expected s3://bucket/prefix/ or s3://bucket/key.parquet)';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bucket)) return `has an invalid bucket name "${bucket}"`;
    return undefined;
  }
  if (isHttpUrl(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return 'is not a valid URL';
    }
    if (url.pathname.endsWith('/')) return 'names a folder; over HTTP only a single Parquet file can be read (list folders with s3://)';
    return undefined;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(location);
  if (scheme) return `has the unsupported scheme ${scheme[1]}:// (local paths, s3:// and https:// are read)`;
  return undefined;
}
