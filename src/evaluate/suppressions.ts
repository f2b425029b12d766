import { readFile } from 'node:fs/promises';
import { globToRegExp } from '../plan/globMatch.js';

/**
 * The rule's `_filter` macro: site suppressions as data, never code. A file holds either a JSON
 * array of {host?, workload?, process?, reason?} or lines `host=GLOB workload=GLOB process=GLOB`
 * (any subset; `#` starts a comment). A finding is dropped when every field a rule names matches.
 */
export interface SuppressionRule {
  host?: string;
  workload?: string;
  process?: string;
  reason?: string;
}

const FIELDS = ['host', 'workload', 'process'] as const;

export class Suppressions {
  readonly matched = new Map<number, number>();
  private readonly compiled: { host?: RegExp; workload?: RegExp; process?: RegExp }[];

  constructor(readonly rules: SuppressionRule[]) {
    this.compiled = rules.map((r) => ({
      host: r.host === undefined ? undefined : globToRegExp(r.host),
      workload: r.workload === undefined ? undefined : globToRegExp(r.workload),
      process: r.process === undefined ? undefined : globToRegExp(r.process),
    }));
  }

  matches(host: string, workload: string, process: string): boolean {
    for (let i = 0; i < this.compiled.length; i++) {
      const c = this.compiled[i];
      if ((!c.host || c.host.test(host)) && (!c.workload || c.workload.test(workload)) && (!c.process || c.process.test(process))) {
        this.matched.set(i, (this.matched.get(i) ?? 0) + 1);
        return true;
      }
    }
    return false;
  }
}

export function parseSuppressions(text: string, path: string): Suppressions {
  const trimmed = text.trim();
  const rules: SuppressionRule[] = [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (cause) {
      throw new Error(`suppress: ${path} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
    (parsed as unknown[]).forEach((r, i) => rules.push(checkRule(r, `${path} entry ${i + 1}`)));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      const body = line.replace(/#.*$/, '').trim();
      if (!body) return;
      const rule: Record<string, string> = {};
      for (const part of body.split(/\s+/)) {
        const eq = part.indexOf('=');
        if (eq <= 0) throw new Error(`suppress: ${path} line ${i + 1}: expected field=glob, got "${part}"`);
        rule[part.slice(0, eq)] = part.slice(eq + 1);
      }
      rules.push(checkRule(rule, `${path} line ${i + 1}`));
    });
  }
  return new Suppressions(rules);
}

function checkRule(r: unknown, where: string): SuppressionRule {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error(`suppress: ${where}: expected an object`);
  const rule = r as Record<string, unknown>;
  for (const [k, v] of Object.entries(rule)) {
    if (k !== 'reason' && !(FIELDS as readonly string[]).includes(k)) {
      throw new Error(`suppress: ${where}: unknown field "${k}" (expected host, workload, process, reason)`);
    }
    if (typeof v !== 'string') throw new Error(`suppress: ${where}: field "${k}" must be a string`);
  }
  if (!FIELDS.some((f) => rule[f] !== undefined)) throw new Error(`suppress: ${where}: a rule must name host, workload or process`);
  return rule as SuppressionRule;
}

export async function loadSuppressions(path: string): Promise<Suppressions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`suppress: cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  return parseSuppressions(text, path);
}
