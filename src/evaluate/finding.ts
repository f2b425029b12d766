import { outboundRule } from '../rule/rule.js';
import type { RuleDefinition } from '../rule/ruleDefinition.js';
import { fillTemplate } from '../rule/fillTemplate.js';

/**
 * One reported (host, key) of one rule at a detection time: SPEC section 4. The key's field names
 * are the rule's key columns (source.workload.name and source.process.name for the outbound rule);
 * findingRecord gives the record as the output formats write it.
 */
export interface Finding {
  detection_time: string;
  host: string;
  keyFields: readonly [string, string];
  key: [string, string];
  count: number;
  anomalies: string[];
  rule_id: string;
  risk_score: number;
  risk_message: string;
  mitre_attack_id: string;
}

export function makeFinding(
  atMs: number, host: string, key0: string, key1: string, count: number, anomalies: string[], rule: RuleDefinition = outboundRule(),
): Finding {
  return {
    detection_time: new Date(atMs).toISOString(),
    host,
    keyFields: [rule.key[0], rule.key[1]],
    key: [key0, key1],
    count,
    anomalies,
    rule_id: rule.id,
    risk_score: rule.riskScore,
    risk_message: fillTemplate(rule.message, templateFields(rule, host, key0, key1, count)),
    mitre_attack_id: rule.mitreAttackIds[0] ?? '',
  };
}

/** What a rule's message may name (resultFields): host, its key columns, and its count field. */
function templateFields(rule: RuleDefinition, host: string, key0: string, key1: string, count: number): Record<string, string | number> {
  const fields: Record<string, string | number> = { host, [rule.key[0]]: key0, [rule.key[1]]: key1 };
  if (rule.kind === 'zscore') fields.count = count;
  else for (const m of rule.metrics) fields[`${m}_count`] = count;
  return fields;
}

export type FindingRecord = Record<string, string | number | string[]>;

/** The finding as SPEC section 4 writes it: detection_time, host, the key fields by name, count, ... */
export function findingRecord(f: Finding): FindingRecord {
  return {
    detection_time: f.detection_time,
    host: f.host,
    [f.keyFields[0]]: f.key[0],
    [f.keyFields[1]]: f.key[1],
    count: f.count,
    anomalies: f.anomalies,
    rule_id: f.rule_id,
    risk_score: f.risk_score,
    risk_message: f.risk_message,
    mitre_attack_id: f.mitre_attack_id,
  };
}

/** The finding's value of a key field by name (a suppression's or a label's), undefined if the rule has no such key. */
export function keyValue(f: Finding, field: string): string | undefined {
  return f.keyFields[0] === field ? f.key[0] : f.keyFields[1] === field ? f.key[1] : undefined;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** detection time, rule id, host, key; code-unit order so output is locale-independent. */
export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.detection_time, b.detection_time) || cmp(a.rule_id, b.rule_id) || cmp(a.host, b.host) ||
    cmp(a.key[0], b.key[0]) || cmp(a.key[1], b.key[1]);
}

export function sortStrings(values: string[]): string[] {
  return values.sort(cmp);
}
