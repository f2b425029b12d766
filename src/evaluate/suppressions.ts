import { readFile } from 'node:fs/promises';
import { globMatch } from '../plan/globMatch.js';

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
const KEYS: readonly string[] = [...FIELDS, 'reason'];
const SHOWN = 80;

/** A value as an error message quotes it: a 10 MB line must not become a 10 MB message. */
function shorten(v: string): string {
  return v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v;
}

export class Suppressions {
  readonly matched = new Map<number, number>();

  constructor(readonly rules: SuppressionRule[]) {}

  matches(host: string, workload: string, process: string): boolean {
    for (let i = 0; i < this.rules.length; i++) {
      const c = this.rules[i];
      if ((c.host === undefined || globMatch(c.host, host)) && (c.workload === undefined || globMatch(c.workload, workload))
        && (c.process === undefined || globMatch(c.process, process))) {
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
      throw new Error(`suppress: ${path} is not valid JSON: ${shorten((cause as Error).message)}`, { cause });
    }
    if (!Array.isArray(parsed)) throw new Error(`suppress: ${path}: expected a JSON array of rules`);
    parsed.forEach((r, i) => rules.push(checkRule(r, `${path} entry ${i + 1}`)));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      const body = line.replace(/#.*$/, '').trim();
      if (!body) return;
      // no prototype: `__proto__=x` is a field name like any other, and so an unknown one
      const rule = Object.create(null) as Record<string, string>;
      for (const part of body.split(/\s+/)) {
        const eq = part.indexOf('=');
        if (eq <= 0) throw new Error(`suppress: ${path} line ${i + 1}: expected field=glob, got "${shorten(part)}"`);
        const key = part.slice(0, eq);
        if (Object.hasOwn(rule, key)) throw new Error(`suppress: ${path} line ${i + 1}: field "${shorten(key)}" given twice`);
        rule[key] = part.slice(eq + 1);
      }
      rules.push(checkRule(rule, `${path} line ${i + 1}`));
    });
  }
  return new Suppressions(rules);
}

function checkRule(r: unknown, where: string): SuppressionRule {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error(`suppress: ${where}: expected an object`);
  const rule = r as Record<string, unknown>;
  const out: SuppressionRule = {};
  for (const [k, v] of Object.entries(rule)) {
    if (!KEYS.includes(k)) throw new Error(`suppress: ${where}: unknown field "${shorten(k)}" (expected host, workload, process, reason)`);
    if (typeof v !== 'string') throw new Error(`suppress: ${where}: field "${k}" must be a string`);
    out[k as keyof SuppressionRule] = v;
  }
  if (!FIELDS.some((f) => out[f] !== undefined)) throw new Error(`suppress: ${where}: a rule must name host, workload or process`);
  return out;
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
