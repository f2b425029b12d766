import { findingRecord, type Finding } from '../evaluate/finding.js';
import { OUTBOUND_RULE_ID, builtinRules } from '../rule/builtinRules.js';
import { outboundRule } from '../rule/rule.js';

/** Envelope metadata of the events; index absent means the token's default index. */
export interface HecEventOptions {
  source: string;
  sourcetype: string;
  index?: string;
}

export const DEFAULT_HEC_EVENT_OPTIONS: HecEventOptions = { source: 'egress-anomaly', sourcetype: 'egress-anomaly:finding' };

/** ES names a correlation search shipped by ESCU this way; risk events carry it as search_name. */
function searchNameOf(ruleId: string): string {
  // the outbound rule's file is read already: the siblings' are parsed only for their own findings
  const builtin = ruleId === OUTBOUND_RULE_ID ? outboundRule() : builtinRules().find((r) => r.id === ruleId);
  return builtin ? `ESCU - ${builtin.name} - Rule` : ruleId;
}

/**
 * One HEC event per finding, as the ES Risk Analysis action would write it: the finding's fields
 * plus risk_object (the cluster, a system), risk_score, risk_message, search_name and the MITRE
 * annotation. `time` is epoch seconds with milliseconds, printed exactly rather than as a float.
 */
export function hecEvent(f: Finding, o: HecEventOptions): string {
  const ms = Date.parse(f.detection_time);
  if (!Number.isFinite(ms)) throw new Error(`hec: finding has an invalid detection_time "${f.detection_time}"`);
  const time = `${Math.floor(ms / 1000)}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}`;
  const event = {
    ...findingRecord(f),
    risk_object: f.host,
    risk_object_type: 'system',
    risk_score: f.risk_score,
    risk_message: f.risk_message,
    search_name: searchNameOf(f.rule_id),
    annotations: { mitre_attack: { mitre_technique_id: [f.mitre_attack_id] } },
  };
  const meta = JSON.stringify({ host: f.host, source: o.source, sourcetype: o.sourcetype, ...(o.index === undefined ? {} : { index: o.index }) });
  return `{"time":${time},${meta.slice(1, -1)},"event":${JSON.stringify(event)}}`;
}

/** Newline-separated envelopes: the body HEC's /services/collector/event takes in one POST. */
export function toHec(findings: Finding[], o: HecEventOptions = DEFAULT_HEC_EVENT_OPTIONS): string {
  return findings.map((f) => `${hecEvent(f, o)}\n`).join('');
}
