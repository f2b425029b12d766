/**
 * What the DuckDB reference finds for a golden fixture (test/fixtures/golden/<name>/: data/,
 * args.json): its expected.json. The fixture's CLI arguments are read as reference options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceDetect, type Finding, type ReferenceOptions } from './duckdbRule.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(s: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(s);
  if (!m) throw new Error(`golden: cannot read the duration ${s}`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function goldenArgs(dir: string): string[] {
  return JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[];
}

export async function goldenExpected(dir: string): Promise<{ at: number; findings: Finding[] }> {
  const args = goldenArgs(dir);
  const opts: ReferenceOptions = {};
  let at: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const [name, value] = [args[i]!, args[i + 1] ?? ''];
    if (name === '--splunk-parity') { opts.splunkParity = true; continue; }
    i++;
    if (name === '--at') at = Date.parse(value);
    else if (name === '--min-count') opts.minCount = Number(value);
    else if (name === '--sigma') opts.sigma = Number(value);
    else if (name === '--window') opts.windowMs = durationMs(value);
    else if (name === '--span') opts.spanMs = durationMs(value);
    else if (name === '--baseline') opts.baselineMs = durationMs(value);
    else throw new Error(`golden: ${dir}/args.json: the reference does not take ${name}`);
  }
  if (at === undefined || Number.isNaN(at)) throw new Error(`golden: ${dir}/args.json needs --at`);
  return { at, findings: await referenceDetect(join(dir, 'data'), at, opts) };
}
