import { RULE } from '../rule/rule.js';

/** One reported (host, workload, process) at a detection time: SPEC section 4. */
export interface Finding {
  detection_time: string;
  host: string;
  'source.workload.name': string;
  'source.process.name': string;
  count: number;
  anomalies: string[];
  rule_id: string;
  risk_score: number;
  risk_message: string;
  mitre_attack_id: string;
}

export function makeFinding(atMs: number, host: string, workload: string, process: string, count: number, anomalies: string[]): Finding {
  return {
    detection_time: new Date(atMs).toISOString(),
    host,
    'source.workload.name': workload,
    'source.process.name': process,
    count,
    anomalies,
    rule_id: RULE.id,
    risk_score: RULE.riskScore,
    risk_message: RULE.riskMessage(host),
    mitre_attack_id: RULE.mitreAttackId,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** detection time, host, workload, process; code-unit order so output is locale-independent. */
export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.detection_time, b.detection_time) || cmp(a.host, b.host) ||
    cmp(a['source.workload.name'], b['source.workload.name']) || cmp(a['source.process.name'], b['source.process.name']);
}

export function sortStrings(values: string[]): string[] {
  return values.sort(cmp);
}
