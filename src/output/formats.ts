import { findingRecord, type Finding } from '../evaluate/finding.js';

export const FORMATS = ['table', 'ndjson', 'json', 'csv', 'parquet', 'hec'] as const;
export type Format = (typeof FORMATS)[number];

/** The outbound rule's record; another rule's has its own key fields in place of the two source ones. */
export const FINDING_FIELDS = [
  'detection_time', 'host', 'source.workload.name', 'source.process.name', 'count', 'anomalies',
  'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id',
] as const;

/** Key fields in the order tables put them; a site's own rule's others follow, sorted. */
const KEY_ORDER = ['source.workload.name', 'source.process.name', 'dest.workload.name', 'dest.process.name'];

/**
 * The columns of a table of findings (CSV): the outbound rule's fields, with the key fields of every
 * rule present in place of the two source ones; a finding leaves other rules' key fields empty.
 */
export function findingColumns(findings: readonly Finding[]): string[] {
  return ['detection_time', 'host', ...findingKeyColumns(findings), 'count', 'anomalies', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id'];
}

/** The key columns of findingColumns: every rule's present, the outbound rule's when there are no findings. */
export function findingKeyColumns(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['source.workload.name', 'source.process.name'];
  const present = new Set(findings.flatMap((f) => f.keyFields));
  return [...KEY_ORDER.filter((k) => present.has(k)), ...[...present].filter((k) => !KEY_ORDER.includes(k)).sort()];
}

/** The format a file name implies, for --out without --format. */
export function formatForPath(path: string): Format | undefined {
  const m = /\.(ndjson|jsonl|json|csv|parquet|txt)$/i.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return ext === 'jsonl' ? 'ndjson' : ext === 'txt' ? 'table' : (ext as Format);
}

export function toNdjson(findings: Finding[]): string {
  return findings.map((f) => JSON.stringify(findingRecord(f))).join('\n') + (findings.length ? '\n' : '');
}

export function toJson(findings: Finding[]): string {
  return JSON.stringify(findings.map(findingRecord), null, 2) + '\n';
}

/**
 * RFC 4180 quoting, and OWASP's CSV injection defence: a cell a spreadsheet would run as a formula
 * (process names are attacker-chosen) gets a leading single quote and is quoted.
 */
function csvField(v: string): string {
  if (/^[=+\-@\t\r]/.test(v)) return `"'${v.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180; the multivalue `anomalies` is one field with one message per line, as Splunk exports it. */
export function toCsv(findings: Finding[]): string {
  const columns = findingColumns(findings);
  const lines = [columns.join(',')];
  for (const f of findings) {
    const r = findingRecord(f);
    lines.push(columns.map((k) => {
      const v = r[k];
      return csvField(v === undefined ? '' : Array.isArray(v) ? v.join('\n') : String(v));
    }).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Control characters (from the data: process names are attacker-chosen) escaped, so the table cannot drive the terminal. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function truncate(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** A readable summary for a terminal: one line per finding, then the anomalies indented below. */
export function toTable(findings: Finding[], maxAnomalies = 3): string {
  if (findings.length === 0) return 'No findings.\n';
  const outbound = findings.every((f) => f.keyFields[0] === 'source.workload.name' && f.keyFields[1] === 'source.process.name') &&
    findings.every((f) => f.rule_id === findings[0].rule_id);
  // several rules: the rule's id, shortened as git shortens hashes (egress-anomaly rules lists them)
  const head = outbound ? ['detection_time', 'host', 'workload', 'process', 'count'] : ['detection_time', 'rule', 'host', 'key', 'count'];
  const rows = findings.map((f) => (outbound
    ? [f.detection_time, f.host, f.key[0], f.key[1], String(f.count)]
    : [f.detection_time, f.rule_id.slice(0, 8), f.host, `${f.keyFields[0]}=${f.key[0]} ${f.keyFields[1]}=${f.key[1]}`, String(f.count)]).map(printable));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  findings.forEach((f, i) => {
    out.push(fmt(rows[i]));
    for (const a of f.anomalies.slice(0, maxAnomalies)) out.push(`    ${truncate(printable(a), 160)}`);
    if (f.anomalies.length > maxAnomalies) out.push(`    … ${f.anomalies.length - maxAnomalies} more distinct anomalies`);
  });
  out.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'}.`);
  return out.join('\n') + '\n';
}
