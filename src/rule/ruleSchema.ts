import { DURATION_PATTERN, durationMs } from './ruleDuration.js';
import type { RuleKind } from './ruleDefinition.js';

/**
 * The fields of a rule file, as one table: ruleFile.ts validates against it and ruleJsonSchema()
 * derives rules/rule.schema.json from it, so the two cannot drift apart (a test pins the file).
 */
export const RULE_KINDS: readonly RuleKind[] = ['zscore', 'new-entity'];

export interface ValueType {
  /** what a valid value is, for messages: `must be ${what}` */
  what: string;
  schema: Record<string, unknown>;
  ok(v: unknown): boolean;
}

export interface ListType {
  list: ValueType;
  minItems: number;
  unique: boolean;
}

export interface FieldSpec {
  name: string;
  type: ValueType | ListType | FieldSpec[];
  describe: string;
  /** true, false, or required for that kind only */
  required: boolean | RuleKind;
  /** allowed for that kind only */
  only?: RuleKind;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const matching = (pattern: string, what: string): ValueType => {
  const re = new RegExp(pattern);
  return { what, schema: { type: 'string', pattern }, ok: (v) => isString(v) && re.test(v) };
};
const oneOf = (values: readonly string[]): ValueType => ({
  what: `one of ${values.join(', ')}`, schema: { type: 'string', enum: [...values] }, ok: (v) => isString(v) && values.includes(v),
});
const integer = (min: number, max?: number): ValueType => ({
  what: max === undefined ? `a whole number of ${min} or more` : `a whole number from ${min} to ${max}`,
  schema: { type: 'integer', minimum: min, ...(max === undefined ? {} : { maximum: max }) },
  ok: (v) => Number.isSafeInteger(v) && (v as number) >= min && (max === undefined || (v as number) <= max),
});
const list = (item: ValueType, minItems: number, unique = true): ListType => ({ list: item, minItems, unique });

const text: ValueType = { what: 'a non-empty string', schema: { type: 'string', pattern: '\\S' }, ok: (v) => isString(v) && /\S/.test(v) };
const column = matching('^[^*?,\\s]+$', 'a column name (no spaces, commas or glob characters)');
const glob = matching('^[^,\\s]+$', 'a column glob such as tcp.* (no spaces or commas)');
const duration: ValueType = {
  what: 'a duration of whole milliseconds such as 10s, 1h or 30d', schema: { type: 'string', pattern: DURATION_PATTERN },
  ok: (v) => isString(v) && durationMs(v) !== undefined,
};
const positiveNumber: ValueType = {
  what: 'a positive number', schema: { type: 'number', exclusiveMinimum: 0 },
  ok: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
};

export const RULE_FIELDS: FieldSpec[] = [
  { name: 'id', type: matching('^[A-Za-z0-9][A-Za-z0-9._-]*$', 'an id of letters, digits, ".", "_" and "-"'), required: true, describe: 'unique id, carried by findings as rule_id; the built-ins keep the published detection id' },
  { name: 'name', type: text, required: true, describe: 'unique name; --rule matches the id or the name, case-insensitively' },
  { name: 'version', type: integer(1), required: true, describe: 'version of the rule; for the built-ins, the published version that was ported' },
  { name: 'kind', type: oneOf(RULE_KINDS), required: true, describe: 'zscore: buckets above avg + sigma * stdev of the baseline, reported above min_count; new-entity: a key with data in the window and none in the baseline' },
  { name: 'key', type: list(column, 1), required: true, describe: 'the key columns (the published searches join them as key=a + ":" + b)' },
  { name: 'group_by', type: column, required: true, describe: 'the recent window is grouped by this column too and it is renamed to host in findings; the baseline is pooled across it' },
  { name: 'metrics', type: list(glob, 1), required: true, describe: 'metric column globs, with mstats wildcard semantics' },
  { name: 'window', type: duration, required: true, describe: 'the recent window before T (earliest=-1h)' },
  { name: 'span', type: duration, required: 'zscore', only: 'zscore', describe: 'bucket width in the recent window (span=10s)' },
  { name: 'baseline', type: duration, required: true, describe: 'baseline length before T, the window excluded (earliest=-30d latest=-1h)' },
  { name: 'sigma', type: positiveNumber, required: 'zscore', only: 'zscore', describe: 'a bucket is anomalous when value > avg + sigma * stdev' },
  { name: 'min_count', type: integer(0), required: 'zscore', only: 'zscore', describe: 'report a key with more than this many anomalous (bucket, metric) pairs' },
  { name: 'risk_score', type: integer(0, 100), required: true, describe: 'risk score of the risk events' },
  {
    name: 'risk_object', required: true, describe: 'the risk object: a field of the finding and its ES type',
    type: [
      { name: 'field', type: text, required: true, describe: 'a field findings carry, such as host' },
      { name: 'type', type: oneOf(['system', 'user', 'other']), required: true, describe: 'the ES risk object type' },
    ],
  },
  { name: 'message', type: text, required: true, describe: 'risk message template; $field$ placeholders as Splunk writes them, filled by substitution only' },
  { name: 'mitre_attack_id', type: list(matching('^T[0-9]{4}(\\.[0-9]{3})?$', 'a MITRE ATT&CK technique id such as T1204 or T1059.001'), 0), required: false, describe: 'MITRE ATT&CK technique ids' },
  {
    name: 'parity', required: false, only: 'zscore', describe: 'quirks of the published search that --splunk-parity reproduces',
    type: [
      { name: 'stdev_is_mean', type: list(matching('^[^*?,\\s]+\\*$', 'a prefix glob such as udp.*'), 0), required: true, describe: 'metrics whose "stdev" is the baseline mean (the published avg(udp.*) as stdev_udp.*)' },
    ],
  },
  {
    name: 'source', required: false, describe: 'where the published detection was read',
    type: [
      { name: 'repository', type: text, required: true, describe: 'repository, such as splunk/security_content' },
      { name: 'path', type: text, required: true, describe: 'path of the detection in it' },
      { name: 'date', type: matching('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', 'a date such as 2026-01-14'), required: true, describe: 'the date of the version read' },
    ],
  },
  { name: 'search', type: text, required: false, describe: 'the published SPL, quoted for review' },
  { name: 'notes', type: text, required: false, describe: 'how the port maps the search, and its quirks' },
];

export function isList(t: FieldSpec['type']): t is ListType {
  return !Array.isArray(t) && 'list' in t;
}

export function isRequired(f: FieldSpec, kind: RuleKind | undefined): boolean {
  return f.required === true || (kind !== undefined && f.required === kind);
}

function fieldSchema(f: FieldSpec): Record<string, unknown> {
  const t = f.type;
  if (Array.isArray(t)) return { description: f.describe, ...objectSchema(t) };
  if (isList(t)) return { description: f.describe, type: 'array', items: t.list.schema, minItems: t.minItems, ...(t.unique ? { uniqueItems: true } : {}) };
  return { description: f.describe, ...t.schema };
}

function objectSchema(fields: FieldSpec[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: fields.filter((f) => f.required === true).map((f) => f.name),
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])),
  };
}

/** rules/rule.schema.json (JSON Schema 2020-12), for editors and other tools. */
export function ruleJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'egress-anomaly rule',
    description: 'One detection rule for egress-anomaly, in YAML or JSON. Generated by `egress-anomaly rules --schema`.',
    ...objectSchema(RULE_FIELDS),
    allOf: RULE_KINDS.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: {
        required: RULE_FIELDS.filter((f) => f.required === kind).map((f) => f.name),
        properties: Object.fromEntries(RULE_FIELDS.filter((f) => f.only !== undefined && f.only !== kind).map((f) => [f.name, false])),
      },
    })),
  };
}
