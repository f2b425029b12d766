import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { durationMs } from './ruleDuration.js';
import { resultFields, type RuleDefinition, type RuleKind } from './ruleDefinition.js';
import { RULE_FIELDS, isList, isRequired, type FieldSpec, type ValueType } from './ruleSchema.js';
import { TemplateError, templateFields } from './fillTemplate.js';

/** A rule file that cannot be used; the message names the file, the line and the field. */
export class RuleFileError extends Error {}

// The YAML parser costs tens of milliseconds to load: only a process that reads a rule file pays,
// never a worker thread that merely imports the rule's column names.
const requireCjs = createRequire(import.meta.url);
let yamlModule: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlModule ??= requireCjs('yaml') as typeof Yaml);

type Raw = Record<string, unknown>;

function shown(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'a list' : 'a mapping';
}

class Reader {
  private readonly Y = yaml();
  private readonly lines = new this.Y.LineCounter();
  /** the offset of each field's value (dotted names), for errors found after the walk */
  readonly at = new Map<string, number>();
  readonly doc: Yaml.Document.Parsed;

  constructor(text: string, private readonly file: string) {
    this.doc = this.Y.parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  lineOf(offset: number | undefined): number {
    return offset === undefined ? 1 : this.lines.linePos(offset).line;
  }

  fail(offset: number | undefined, message: string): never {
    throw new RuleFileError(`rules: ${this.file} line ${this.lineOf(offset)}: ${message}`);
  }

  private start(node: unknown, fallback?: number): number | undefined {
    return this.Y.isNode(node) && node.range ? node.range[0] : fallback;
  }

  private describe(node: unknown): string {
    if (this.Y.isSeq(node)) return 'a list';
    if (this.Y.isMap(node)) return 'a mapping';
    if (this.Y.isAlias(node)) return 'an alias';
    return shown(this.Y.isScalar(node) ? node.value : node);
  }

  private scalar(node: unknown, type: ValueType, what: string, fallback: number | undefined): unknown {
    const value = this.Y.isScalar(node) ? node.value : null;
    if ((node != null && !this.Y.isScalar(node)) || !type.ok(value)) this.fail(this.start(node, fallback), `${what} must be ${type.what}, got ${this.describe(node)}`);
    return value;
  }

  private value(node: unknown, f: FieldSpec, path: string, kind: RuleKind | undefined, fallback: number | undefined): unknown {
    this.at.set(path, this.start(node, fallback) ?? 0);
    const t = f.type;
    if (Array.isArray(t)) return this.object(node, t, path, kind, fallback);
    if (!isList(t)) return this.scalar(node, t, `field "${path}"`, fallback);
    if (!this.Y.isSeq(node)) this.fail(this.start(node, fallback), `field "${path}" must be a list, got ${this.describe(node)}`);
    const items = node.items.map((item, i) => this.scalar(item, t.list, `field "${path}" item ${i + 1}`, this.start(node)));
    if (items.length < t.minItems) this.fail(this.start(node), `field "${path}" must list at least ${t.minItems}, got none`);
    const dup = items.findIndex((v, i) => items.indexOf(v) !== i);
    if (t.unique && dup >= 0) this.fail(this.start(node.items[dup]), `field "${path}" lists ${shown(items[dup])} twice`);
    return items;
  }

  object(node: unknown, fields: FieldSpec[], path: string, kind: RuleKind | undefined, fallback?: number): Raw {
    const where = path ? `field "${path}"` : 'a rule file';
    if (!this.Y.isMap(node)) this.fail(this.start(node, fallback), `${where} must be a mapping of fields, got ${node == null ? 'nothing' : this.describe(node)}`);
    const out: Raw = {};
    const known = fields.map((f) => f.name);
    for (const pair of node.items) {
      const key = this.Y.isScalar(pair.key) ? pair.key.value : undefined;
      const keyAt = this.start(pair.key, this.start(node));
      if (typeof key !== 'string') this.fail(keyAt, `field names must be strings, got ${this.describe(pair.key)}`);
      const name = path ? `${path}.${key}` : key;
      const f = fields.find((s) => s.name === key);
      if (!f) this.fail(keyAt, `unknown field "${name}" (${path ? `"${path}" has` : 'a rule has'} ${known.join(', ')})`);
      if (f.only !== undefined && kind !== undefined && f.only !== kind) this.fail(keyAt, `field "${name}" is not used by kind "${kind}"`);
      out[key] = this.value(pair.value, f, name, kind, keyAt);
    }
    for (const f of fields) {
      if (isRequired(f, kind) && !(f.name in out)) {
        this.fail(this.start(node), `missing required field "${path ? `${path}.${f.name}` : f.name}"${f.required === true ? '' : ` (kind "${kind}")`}`);
      }
    }
    return out;
  }

  kindOf(): RuleKind | undefined {
    const root = this.doc.contents;
    if (!this.Y.isMap(root)) return undefined;
    const pair = root.items.find((p) => this.Y.isScalar(p.key) && p.key.value === 'kind');
    if (!pair) return undefined;
    return this.scalar(pair.value, RULE_FIELDS.find((f) => f.name === 'kind')!.type as ValueType, 'field "kind"', this.start(pair.key)) as RuleKind;
  }
}

function definitionOf(raw: Raw, r: Reader, file: string, builtin: boolean): RuleDefinition {
  const risk = raw.risk_object as { field: string; type: string };
  const src = raw.source as RuleDefinition['source'];
  const base = {
    id: raw.id as string, name: raw.name as string, version: raw.version as number,
    key: raw.key as string[], groupBy: raw.group_by as string, metrics: raw.metrics as string[],
    window: raw.window as string, windowMs: durationMs(raw.window as string)!,
    baseline: raw.baseline as string, baselineMs: durationMs(raw.baseline as string)!,
    riskScore: raw.risk_score as number, riskObject: { field: risk.field, type: risk.type },
    message: raw.message as string, mitreAttackIds: (raw.mitre_attack_id as string[] | undefined) ?? [],
    ...(src ? { source: { repository: src.repository, path: src.path, date: src.date } } : {}),
    ...(raw.search === undefined ? {} : { search: raw.search as string }),
    ...(raw.notes === undefined ? {} : { notes: raw.notes as string }),
    file, builtin, lines: { id: r.lineOf(r.at.get('id')), name: r.lineOf(r.at.get('name')) },
  };
  if (base.key.includes(base.groupBy)) r.fail(r.at.get('group_by'), `field "group_by" (${base.groupBy}) is also in "key"`);
  if (base.baselineMs <= base.windowMs) r.fail(r.at.get('baseline'), `field "baseline" (${base.baseline}) must be longer than "window" (${base.window})`);
  if (raw.kind === 'new-entity') return { ...base, kind: 'new-entity' };
  const span = raw.span as string;
  const spanMs = durationMs(span)!;
  if (spanMs > base.windowMs) r.fail(r.at.get('span'), `field "span" (${span}) must not be longer than "window" (${base.window})`);
  const parity = raw.parity as { stdev_is_mean: string[] } | undefined;
  return {
    ...base, kind: 'zscore', span, spanMs, sigma: raw.sigma as number, minCount: raw.min_count as number,
    parityStdevIsMean: (parity?.stdev_is_mean ?? []).map((g) => g.slice(0, -1)),
  };
}

function checkFields(rule: RuleDefinition, r: Reader): void {
  const fields = resultFields(rule);
  const has = `findings of this rule have ${fields.map((f) => `$${f}$`).join(', ')}`;
  let named: string[] = [];
  try {
    named = templateFields(rule.message);
  } catch (e) {
    if (e instanceof TemplateError) r.fail(r.at.get('message'), `field "message" ${e.message}`);
    throw e;
  }
  const unknown = named.find((n) => !fields.includes(n));
  if (unknown !== undefined) r.fail(r.at.get('message'), `field "message" names $${unknown}$, which is not a field of its findings (${has})`);
  if (!fields.includes(rule.riskObject.field)) r.fail(r.at.get('risk_object.field'), `field "risk_object.field" names "${rule.riskObject.field}", which is not a field of its findings (${has})`);
}

/** Parses and validates one rule file's text (YAML, or JSON, which is YAML too); `file` names it in errors. */
export function parseRuleFile(text: string, file: string, builtin = false): RuleDefinition {
  const r = new Reader(text, file);
  const problem = r.doc.errors[0] ?? r.doc.warnings[0];
  if (problem) r.fail(problem.pos[0], `not valid YAML: ${problem.message.split('\n')[0]}`);
  const kind = r.kindOf();
  const raw = r.object(r.doc.contents, RULE_FIELDS, '', kind);
  const rule = definitionOf(raw, r, file, builtin);
  checkFields(rule, r);
  return rule;
}

export function readRuleFile(path: string, shownAs = path, builtin = false): RuleDefinition {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new RuleFileError(`rules: cannot read ${shownAs}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  return parseRuleFile(text, shownAs, builtin);
}
