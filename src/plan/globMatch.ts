const cache = new Map<string, RegExp>();

/** Glob with `*` (any run) and `?` (one character); everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    cache.set(glob, re);
  }
  return re;
}

export function matchesAny(name: string, globs: string[]): boolean {
  for (const g of globs) if (globToRegExp(g).test(name)) return true;
  return false;
}
