import type { FindingKey, LabelKey } from './matchLabel.js';
import { OUTBOUND_RULE_ID, builtinRules } from '../rule/builtinRules.js';

/** A label as score reads it: the generator's labels.json entries, or a user's in that shape. */
export interface ScoredLabel extends LabelKey {
  scenario: string;
  expectedFinding: boolean;
}

export class ScoreInputError extends Error {}

const OUTBOUND_KEY = ['source.workload.name', 'source.process.name'] as const;
/** a label's fields beyond cluster, workload and process: which rule it is about, and its destination */
const LABEL_OPTIONAL = ['rule', 'dest.workload.name', 'dest.process.name'] as const;

/**
 * A finding record's key fields: its rule's key (a built-in's, by rule_id); else, for a site's
 * rule, the two fields between host and count, where detect writes them; else the outbound rule's.
 */
function keyFieldsOf(o: Record<string, unknown>): readonly [string, string] {
  const rule = typeof o.rule_id === 'string' ? builtinRules().find((r) => r.id === o.rule_id) : undefined;
  if (rule && rule.key.length === 2) return [rule.key[0], rule.key[1]];
  const names = Object.keys(o);
  const host = names.indexOf('host');
  if (host >= 0 && names[host + 3] === 'count') return [names[host + 1], names[host + 2]];
  return OUTBOUND_KEY;
}

function findingOf(v: unknown, where: string): FindingKey {
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const keyFields = o ? keyFieldsOf(o) : OUTBOUND_KEY;
  const fields = ['host', ...keyFields];
  const missing = o ? fields.find((k) => typeof o[k] !== 'string') : 'host';
  if (missing !== undefined) {
    throw new ScoreInputError(`score: ${where}: a finding needs the string fields ${fields.join(', ')}, its rule's key that the labels name; ` +
      `${o ? `"${missing}" is ${o[missing] === undefined ? 'missing' : `not a string`}` : 'got no object'}`);
  }
  const at = o!.detection_time;
  const atMs = typeof at === 'string' ? Date.parse(at) : NaN;
  if (at !== undefined && !Number.isFinite(atMs)) throw new ScoreInputError(`score: ${where}: field "detection_time" must be an ISO 8601 time, got ${JSON.stringify(at)}`);
  return {
    host: o!.host as string, keyFields, key: [o![keyFields[0]] as string, o![keyFields[1]] as string],
    rule_id: typeof o!.rule_id === 'string' ? o!.rule_id : OUTBOUND_RULE_ID,
    ...(at === undefined ? {} : { atMs }),
  };
}

/** A label's optional span: both of from and to, ISO 8601, from before to; or neither. */
function spanOf(o: Record<string, unknown>, where: string): { fromMs?: number; toMs?: number } {
  if (o.from === undefined && o.to === undefined) return {};
  const ms = (k: 'from' | 'to') => {
    const t = typeof o[k] === 'string' ? Date.parse(o[k] as string) : NaN;
    if (!Number.isFinite(t)) throw new ScoreInputError(`${where}: field "${k}" must be an ISO 8601 time (with "${k === 'from' ? 'to' : 'from'}"), got ${JSON.stringify(o[k]) ?? 'nothing'}`);
    return t;
  };
  const fromMs = ms('from');
  const toMs = ms('to');
  if (toMs <= fromMs) throw new ScoreInputError(`${where}: field "to" (${o.to as string}) must be after "from" (${o.from as string})`);
  return { fromMs, toMs };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ScoreInputError(`score: ${where}: not valid JSON: ${(e as Error).message}`);
  }
}

/** detect's or hunt's findings as NDJSON (one per line) or JSON (one array): their key fields. */
export function parseFindings(text: string, file: string): FindingKey[] {
  if (text.trimStart().startsWith('[')) {
    const all = parseJson(text, file);
    if (!Array.isArray(all)) throw new ScoreInputError(`score: ${file}: expected an array of findings`);
    return all.map((v, i) => findingOf(v, `${file} finding ${i + 1}`));
  }
  const out: FindingKey[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out.push(findingOf(parseJson(line, `${file} line ${i + 1}`), `${file} line ${i + 1}`));
  });
  return out;
}

/** labels.json: an array of { scenario, cluster, workload, process, expectedFinding, ... }. */
export function parseLabels(text: string, file: string): ScoredLabel[] {
  const all = parseJson(text, file);
  if (!Array.isArray(all)) throw new ScoreInputError(`score: ${file}: expected an array of labels, as export writes to labels.json`);
  return all.map((v, i) => {
    const where = `score: ${file} label ${i + 1}`;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ScoreInputError(`${where}: expected an object`);
    const o = v as Record<string, unknown>;
    for (const k of ['scenario', 'cluster', 'workload', 'process']) {
      if (typeof o[k] !== 'string' || (k === 'scenario' && o[k] === '')) throw new ScoreInputError(`${where}: field "${k}" must be a ${k === 'scenario' ? 'non-empty ' : ''}string, got ${JSON.stringify(o[k]) ?? 'nothing'}`);
    }
    if (typeof o.expectedFinding !== 'boolean') throw new ScoreInputError(`${where}: field "expectedFinding" must be true or false, got ${JSON.stringify(o.expectedFinding) ?? 'nothing'}`);
    for (const k of LABEL_OPTIONAL) {
      if (o[k] !== undefined && typeof o[k] !== 'string') throw new ScoreInputError(`${where}: field "${k}" must be a string when given, got ${JSON.stringify(o[k])}`);
    }
    const optional = Object.fromEntries(LABEL_OPTIONAL.filter((k) => o[k] !== undefined).map((k) => [k, o[k] as string]));
    return {
      scenario: o.scenario as string, cluster: o.cluster as string, workload: o.workload as string, process: o.process as string, ...optional,
      ...spanOf(o, where), expectedFinding: o.expectedFinding,
    };
  });
}
