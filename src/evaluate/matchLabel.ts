import { OUTBOUND_RULE_ID } from '../rule/builtinRules.js';
import type { Finding } from './finding.js';

/**
 * A labelled key as score reads it: the generator's labels.json. `workload` and `process` are the
 * source side; a label about another rule names it (`rule`) and carries the destination fields its
 * key needs.
 */
export interface LabelKey {
  cluster: string;
  workload: string;
  process: string;
  /** the rule id the label is about; absent: the outbound rule */
  rule?: string;
  'dest.workload.name'?: string;
  'dest.process.name'?: string;
  /** the labelled behaviour's span, epoch ms [fromMs, toMs), when the label gives it */
  fromMs?: number;
  toMs?: number;
}

export type FindingKey = Pick<Finding, 'host' | 'keyFields' | 'key' | 'rule_id'> & {
  /** detection time, epoch ms, when the record gives it */
  atMs?: number;
};

/**
 * Whether a finding's recent window [T - windowMs, T) overlaps the label's span; true when either
 * side has no time, or windowMs is Infinity (score --any-time).
 */
export function overlapsInTime(f: FindingKey, l: LabelKey, windowMs: number): boolean {
  if (f.atMs === undefined || l.fromMs === undefined || l.toMs === undefined || windowMs === Infinity) return true;
  return f.atMs - windowMs < l.toMs && f.atMs > l.fromMs;
}

/** The label's value of a key field by the field's name; undefined when the label has none. */
export function labelValue(l: LabelKey, field: string): string | undefined {
  if (field === 'source.workload.name') return l.workload;
  if (field === 'source.process.name') return l.process;
  return field === 'dest.workload.name' || field === 'dest.process.name' ? l[field] : undefined;
}

/** A finding reports a labelled scenario when it is the label's rule's and names its cluster and key. */
export function matchesLabel(f: FindingKey, l: LabelKey): boolean {
  return f.host === l.cluster && f.rule_id === (l.rule ?? OUTBOUND_RULE_ID) &&
    f.key[0] === labelValue(l, f.keyFields[0]) && f.key[1] === labelValue(l, f.keyFields[1]);
}

/** Whether any finding reports the label: the demo's verdict, and score's true or false positive. */
export function isReported(l: LabelKey, findings: readonly FindingKey[]): boolean {
  return findings.some((f) => matchesLabel(f, l));
}

/** cluster/key0/key1, with the rule id unless it is the outbound rule: how score names a key. */
export function findingKeyName(f: FindingKey): string {
  const name = `${f.host}/${f.key[0]}/${f.key[1]}`;
  return f.rule_id === OUTBOUND_RULE_ID ? name : `${f.rule_id}:${name}`;
}

export function labelKeyName(l: LabelKey): string {
  const rule = l.rule ?? OUTBOUND_RULE_ID;
  const dest = rule === OUTBOUND_RULE_ID ? '' : `/${l['dest.workload.name'] ?? ''}/${l['dest.process.name'] ?? ''}`;
  return `${rule === OUTBOUND_RULE_ID ? '' : `${rule}:`}${l.cluster}/${l.workload}/${l.process}${dest}`;
}
