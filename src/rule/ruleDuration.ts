const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The pattern a rule file's window, span and baseline follow (the CLI's --window syntax). */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w)$';

/** Whole milliseconds of a duration such as 10s, 1h or 30d; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const m = new RegExp(DURATION_PATTERN).exec(text);
  const ms = m ? Number(text.slice(0, text.length - m[2].length)) * UNITS[m[2]] : NaN;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}
