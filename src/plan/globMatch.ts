const STAR = 42; // '*'
const ANY = 63; // '?'

/**
 * Whether `name` matches `glob` whole: `*` is any run of characters (none included), `?` exactly
 * one UTF-16 code unit, everything else itself. No regular expression is built, so a glob of any
 * length or content is data: on a mismatch only the last `*` is retried, one position further,
 * which bounds the work by glob length times name length.
 */
export function globMatch(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const c = g < glob.length ? glob.charCodeAt(g) : -1;
    if (c === STAR) {
      star = g++;
      resume = n;
    } else if (c !== -1 && (c === ANY || c === name.charCodeAt(n))) {
      g++;
      n++;
    } else if (star >= 0) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob.charCodeAt(g) === STAR) g++;
  return g === glob.length;
}

export function matchesAny(name: string, globs: string[]): boolean {
  for (const g of globs) if (globMatch(g, name)) return true;
  return false;
}
