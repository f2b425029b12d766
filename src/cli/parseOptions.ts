/** A problem with the command line: exit code 2, message names the option. */
export class UsageError extends Error {}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(option: string, raw: unknown): number {
  const s = String(raw).trim();
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(s);
  const ms = m ? Number(m[1]) * UNITS[m[2]] : NaN;
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new UsageError(`--${option}: expected a positive duration like 500ms, 10s, 15m, 1h or 30d, got "${s}"`);
  }
  return ms;
}

/** ISO 8601 (UTC unless it names a zone) or epoch milliseconds. */
export function parseTime(option: string, raw: unknown): number {
  const s = String(raw).trim();
  let ms: number;
  if (/^-?\d+$/.test(s)) ms = Number(s);
  else {
    const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(s) || /^\d{4}-\d\d-\d\d$/.test(s) ? s : `${s}Z`;
    const ymd = /^(\d{4})-(\d\d)-(\d\d)/.exec(s);
    ms = ymd ? Date.parse(zoned) : NaN;
    // V8 rolls impossible days over (2026-02-30 -> March 2); refuse them instead.
    if (ymd && Number(ymd[3]) > new Date(Date.UTC(Number(ymd[1]), Number(ymd[2]), 0)).getUTCDate()) ms = NaN;
  }
  if (!Number.isSafeInteger(ms)) {
    throw new UsageError(`--${option}: expected an ISO 8601 time such as 2026-01-31T12:00:00Z or epoch milliseconds, got "${s}"`);
  }
  return ms;
}

export function parseCount(option: string, raw: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max || String(raw).trim() === '') {
    throw new UsageError(`--${option}: expected an integer from ${min} to ${max}, got "${String(raw)}"`);
  }
  return n;
}

export function parsePositiveNumber(option: string, raw: unknown): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || String(raw).trim() === '') {
    throw new UsageError(`--${option}: expected a non-negative number, got "${String(raw)}"`);
  }
  return n;
}

export function parseList(option: string, raw: unknown): string[] {
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${option}: expected a comma-separated list, got "${String(raw)}"`);
  return items;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
