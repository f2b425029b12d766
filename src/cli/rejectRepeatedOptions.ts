import { UsageError } from './parseOptions.js';

const MAX_SHOWN = 40;

function shown(v: unknown): string {
  const s = String(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

/**
 * yargs turns a repeated option into an array; for an option that takes one value that is a typo
 * or a script bug (which --out wins?), so it is refused rather than guessed. Options declared with
 * `array: true` (`--in`, say) take many.
 */
export function rejectRepeatedOptions(argv: Record<string, unknown>, y?: unknown): void {
  // yargs passes itself as the second argument; its typings omit it and getOptions
  const o = (y as { getOptions(): { key: Record<string, unknown>; array: string[] } } | undefined)?.getOptions();
  if (!o) return;
  const many = new Set<string>(o.array);
  for (const key of Object.keys(o.key)) {
    const v = argv[key];
    if (many.has(key) || !Array.isArray(v)) continue;
    throw new UsageError(`--${key}: given ${v.length} times (${v.map(shown).join(', ')}); give it once`);
  }
}
