/**
 * Compares findings with a reference's (SPEC §3, §4): the same set of (host, workload, process,
 * count); for each finding the same number of anomaly messages, each matching the reference after
 * parsing: metric names equal, value / avg / stdev within 1e-9 relative, z within 0.01 and printed
 * identically unless the exact z lies within 1e-6 of a rounding boundary (the references sum in
 * another order, so the last digit of a mean may differ). Also checked: output order, the constant
 * fields, detection_time = T.
 */
import { codeUnitCompare, type Finding } from './duckdbRule.js';

export interface ParsedMessage {
  metric: string;
  z: string;
  value: number;
  avg: number;
  stdev: number;
}

const MESSAGE = /^(\S+) higher than average by (\S+) Standard Deviations\. (\S+)=(\S+) avg_(\S+)=(\S+) 'stdev_(\S+)'=(\S+)$/;

export function parseMessage(s: string): ParsedMessage | string {
  const m = MESSAGE.exec(s);
  if (!m) return `unparseable message ${JSON.stringify(s)}`;
  const [, metric, z, m2, v, m3, a, m4, sd] = m as unknown as string[];
  if (metric !== m2 || metric !== m3 || metric !== m4) return `metric names disagree in ${JSON.stringify(s)}`;
  const nums = [v!, a!, sd!].map(Number);
  if (nums.some((x) => Number.isNaN(x))) return `non-numeric field in ${JSON.stringify(s)}`;
  return { metric: metric!, z: z!, value: nums[0]!, avg: nums[1]!, stdev: nums[2]! };
}

export function relClose(a: number, b: number, tol = 1e-9): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));
}

/** True when the exact z lies within 1e-6 of a 2-decimal rounding boundary. */
export function nearRoundingBoundary(zRaw: number): boolean {
  const x = Math.abs(zRaw) * 100;
  return Math.abs(x - Math.floor(x) - 0.5) < 1e-4;
}

export const keyOf = (f: Finding) => [f.host, f['source.workload.name'], f['source.process.name']] as const;
export const keyStr = (f: Finding) => JSON.stringify(keyOf(f));

export interface Comparison {
  problems: string[];
  /** messages equal within tolerance but not byte-identical */
  inexact: string[];
}

export function compareFindings(expected: Finding[], gotRaw: unknown, at: number): Comparison {
  const problems: string[] = [];
  const inexact: string[] = [];
  if (!Array.isArray(gotRaw)) return { problems: [`CLI output is not a JSON array: ${JSON.stringify(gotRaw).slice(0, 200)}`], inexact };
  const got = gotRaw as Finding[];
  const exp = new Map(expected.map((f) => [keyStr(f), f]));
  const gotMap = new Map<string, Finding>();
  for (const f of got) {
    const k = keyStr(f);
    if (gotMap.has(k)) problems.push(`duplicate finding for ${k}`);
    gotMap.set(k, f);
  }
  for (const [k, e] of exp) {
    const g = gotMap.get(k);
    if (!g) {
      problems.push(`missing ${k}: expected count ${e.count}, ${e.anomalies.length} messages, e.g. ${JSON.stringify(e.anomalies[0])}`);
      continue;
    }
    if (g.count !== e.count) problems.push(`${k}: count expected ${e.count}, got ${g.count}`);
    compareAnomalies(k, e.anomalies, g.anomalies, problems, inexact);
  }
  for (const [k, g] of gotMap) {
    if (!exp.has(k)) problems.push(`unexpected ${k}: count ${g.count}, e.g. ${JSON.stringify(g.anomalies?.[0])}`);
  }
  // constant fields and detection time
  const iso = new Date(at).toISOString();
  for (const g of got) {
    const k = keyStr(g);
    if (typeof g.detection_time !== 'string' || Date.parse(g.detection_time) !== at) {
      problems.push(`${k}: detection_time expected ${iso}, got ${JSON.stringify(g.detection_time)}`);
    }
    if (g.rule_id !== 'dd6afee6-e0a3-4028-a089-f47dd2842c22') problems.push(`${k}: rule_id ${JSON.stringify(g.rule_id)}`);
    if (g.risk_score !== 20) problems.push(`${k}: risk_score ${JSON.stringify(g.risk_score)}`);
    if (g.mitre_attack_id !== 'T1204') problems.push(`${k}: mitre_attack_id ${JSON.stringify(g.mitre_attack_id)}`);
    const rm = `Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster ${g.host}`;
    if (g.risk_message !== rm) problems.push(`${k}: risk_message ${JSON.stringify(g.risk_message)}`);
  }
  // order: detection time, host, workload, process in code-unit order
  for (let i = 1; i < got.length; i++) {
    const a = got[i - 1]!;
    const b = got[i]!;
    const c =
      codeUnitCompare(String(a.detection_time), String(b.detection_time)) ||
      codeUnitCompare(a.host, b.host) ||
      codeUnitCompare(a['source.workload.name'], b['source.workload.name']) ||
      codeUnitCompare(a['source.process.name'], b['source.process.name']);
    if (c >= 0) problems.push(`output order: ${keyStr(a)} before ${keyStr(b)}`);
  }
  return { problems, inexact };
}

function compareAnomalies(k: string, expected: string[], got: unknown, problems: string[], inexact: string[]): void {
  if (!Array.isArray(got) || got.some((s) => typeof s !== 'string')) {
    problems.push(`${k}: anomalies is not an array of strings`);
    return;
  }
  const g = got as string[];
  if (g.length !== expected.length) problems.push(`${k}: ${expected.length} messages expected, got ${g.length}`);
  const sorted = [...g].sort(codeUnitCompare);
  if (sorted.some((s, i) => s !== g[i])) problems.push(`${k}: anomalies not in code-unit order`);
  if (new Set(g).size !== g.length) problems.push(`${k}: duplicate messages`);
  const order = (a: { p: ParsedMessage }, b: { p: ParsedMessage }) =>
    codeUnitCompare(a.p.metric, b.p.metric) || a.p.value - b.p.value;
  const es: { p: ParsedMessage; s: string }[] = [];
  for (const s of expected) {
    const p = parseMessage(s);
    if (typeof p === 'string') problems.push(`${k}: reference ${p}`);
    else es.push({ p, s });
  }
  const gs: { p: ParsedMessage; s: string }[] = [];
  for (const s of g) {
    const p = parseMessage(s);
    if (typeof p === 'string') problems.push(`${k}: ${p}`);
    else gs.push({ p, s });
  }
  es.sort(order);
  gs.sort(order);
  for (let i = 0; i < Math.min(es.length, gs.length); i++) {
    const e = es[i]!.p;
    const gp = gs[i]!.p;
    const gsStr = gs[i]!.s;
    const bad: string[] = [];
    if (e.metric !== gp.metric) bad.push('metric');
    if (!relClose(e.value, gp.value)) bad.push('value');
    if (!relClose(e.avg, gp.avg)) bad.push('avg');
    if (!relClose(e.stdev, gp.stdev)) bad.push('stdev');
    if (e.z === 'inf' || gp.z === 'inf') {
      if (e.z !== gp.z) bad.push('z');
    } else {
      const ze = Number(e.z);
      const zg = Number(gp.z);
      const zRaw = (e.value - e.avg) / e.stdev;
      if (!(Math.abs(ze - zg) <= 0.01 + 1e-9)) bad.push('z');
      else if (e.z !== gp.z && !nearRoundingBoundary(zRaw)) bad.push('z string');
    }
    if (bad.length) problems.push(`${k}: message mismatch (${bad.join(', ')}):\n    expected ${es[i]!.s}\n    got      ${gsStr}`);
    else if (es[i]!.s !== gsStr) inexact.push(`${k}:\n    expected ${es[i]!.s}\n    got      ${gsStr}`);
  }
}
