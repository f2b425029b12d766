/** `ENOSPC (no space left on device)` from a Node system error; the message alone otherwise. */
export function describeErrno(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (!e?.code) return String(e?.message ?? err);
  const what = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message ?? '')?.[1] ?? e.message;
  return what && what !== e.code ? `${e.code} (${what})` : e.code;
}
