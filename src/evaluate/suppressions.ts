import { readFile } from 'node:fs/promises';
import { globMatch } from '../plan/globMatch.js';
import { keyValue, type Finding } from './finding.js';

/**
 * The rules' `_filter` macros: site suppressions as data, never code. A file holds either a JSON
 * array of {host?, workload?, process?, rule?, <key column>?, reason?} or lines
 * `host=GLOB workload=GLOB process=GLOB` (any subset; `#` starts a comment). A finding is dropped
 * when every field a suppression names matches: `rule` its rule id, a key column name such as
 * `dest.workload.name` that key field (a finding without that field does not match), and
 * `workload` and `process` the outbound rule's source.workload.name and source.process.name.
 */
export interface SuppressionRule {
  host?: string;
  workload?: string;
  process?: string;
  rule?: string;
  reason?: string;
  [keyColumn: string]: string | undefined;
}

const ALIASES: Readonly<Record<string, string>> = { workload: 'source.workload.name', process: 'source.process.name' };
/** a key column is named as the data names it: dotted, as the family's are */
const KEY_COLUMN = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)+$/;
const SHOWN = 80;

/** A value as an error message quotes it: a 10 MB line must not become a 10 MB message. */
function shorten(v: string): string {
  return v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v;
}

export class Suppressions {
  readonly matched = new Map<number, number>();

  constructor(readonly rules: SuppressionRule[]) {}

  matches(f: Finding): boolean {
    for (let i = 0; i < this.rules.length; i++) {
      if (!ruleMatches(this.rules[i], f)) continue;
      this.matched.set(i, (this.matched.get(i) ?? 0) + 1);
      return true;
    }
    return false;
  }
}

function ruleMatches(c: SuppressionRule, f: Finding): boolean {
  for (const [field, glob] of Object.entries(c)) {
    if (glob === undefined || field === 'reason') continue;
    if (field === 'host' || field === 'rule') {
      if (!globMatch(glob, field === 'host' ? f.host : f.rule_id)) return false;
      continue;
    }
    const v = keyValue(f, ALIASES[field] ?? field);
    if (v === undefined || !globMatch(glob, v)) return false;
  }
  return true;
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
  const out = Object.create(null) as SuppressionRule;
  for (const [k, v] of Object.entries(rule)) {
    if (!['host', 'rule', 'reason'].includes(k) && !Object.hasOwn(ALIASES, k) && !KEY_COLUMN.test(k)) {
      throw new Error(`suppress: ${where}: unknown field "${shorten(k)}" (expected host, workload, process, rule, reason or a key column such as dest.workload.name)`);
    }
    if (typeof v !== 'string') throw new Error(`suppress: ${where}: field "${k}" must be a string`);
    out[k] = v;
  }
  if (!Object.keys(out).some((k) => k !== 'reason' && k !== 'rule')) {
    throw new Error(`suppress: ${where}: a rule must name host, workload, process or a key column`);
  }
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
