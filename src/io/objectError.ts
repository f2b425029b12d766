/** Who reads an object: the planner (listing, footers) or a scan worker; errors start with it. */
export type Subsystem = 'plan' | 'scan';

/** An object-storage failure already worded for the user: never retried, never reworded. */
export class ObjectError extends Error {}

/** The object differs from the one that was listed or planned (size, ETag): never decoded with the wrong plan. */
export function changedError(subsystem: Subsystem, location: string, what: string): ObjectError {
  return new ObjectError(`${subsystem}: ${location} changed while the run was reading it (${what}); run again`);
}

interface SdkErrorLike {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AllAccessDisabled']);

/** Requests an SDK call made before it failed (its retries included). */
export function attemptsOf(cause: unknown): number {
  return (cause as SdkErrorLike)?.$metadata?.attempts ?? 1;
}

/**
 * One line naming the object and what went wrong, from an AWS SDK error or an HTTP status:
 * `scan: s3://b/k.parquet: access denied (403 InvalidAccessKeyId)`.
 */
export function objectError(subsystem: Subsystem, location: string, cause: unknown, status?: number): ObjectError {
  if (cause instanceof ObjectError) return cause;
  const e = (cause ?? {}) as SdkErrorLike;
  const code = e.Code ?? (e.name && e.name !== 'Error' && e.name !== 'UnknownError' && e.name !== 'Unknown' ? e.name : undefined);
  const http = status ?? e.$metadata?.httpStatusCode;
  const tag = [http, code && code !== String(http) ? code : undefined].filter((x) => x !== undefined).join(' ');
  const attempts = (e.$metadata?.attempts ?? 1) > 1 ? ` after ${e.$metadata!.attempts} attempts` : '';
  let what: string;
  if (code === 'NoSuchBucket') what = `no such bucket (${tag})`;
  else if (code === 'NoSuchKey' || http === 404) what = `no such object (${tag || 404})`;
  else if (http === 401 || http === 403 || (code && DENIED.has(code))) what = `access denied (${tag})`;
  else if (code === 'CredentialsProviderError') what = `no AWS credentials found (${e.message}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or another source of the AWS credential chain`;
  else if (http !== undefined) what = `request failed (${tag}${e.message && e.message !== code ? `: ${e.message}` : ''})${attempts}`;
  else what = `cannot reach the server (${e.code ?? code ?? e.message ?? String(cause)})${attempts}`;
  return new ObjectError(`${subsystem}: ${location}: ${what}`, { cause });
}
