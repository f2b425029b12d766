/**
 * How the harness compares another engine's findings with ours: (host, workload, process, count)
 * exactly; each anomaly message byte for byte, or else with the same metric, value, avg and stdev
 * within 1e-9 relative and the same printed z (a z one step off is allowed only where the exact z
 * lies within 1e-6 of a rounding boundary), the tolerance test/reference/compareFindings.ts uses:
 * engines sum in other orders, so the last digits of a mean or a standard deviation can differ.
 */
import type { Finding } from './ruleFindings.js';

export const keyLine = (f: Finding) => `${f.host}\t${f['source.workload.name']}\t${f['source.process.name']}\t${f.count}`;

/** Undefined when both report the same (host, workload, process, count); else what differs. */
export function keyDifference(ref: Finding[], got: Finding[], what: string): string | undefined {
  const a = ref.map(keyLine).sort();
  const b = got.map(keyLine).sort();
  if (a.length === b.length && a.every((x, i) => x === b[i])) return undefined;
  const onlyRef = a.filter((x) => !b.includes(x));
  const onlyGot = b.filter((x) => !a.includes(x));
  return `FINDINGS DIFFER: ${what} reported ${b.length} findings, egress-anomaly ${a.length}.\n` +
    `  only egress-anomaly (host, workload, process, count):\n${onlyRef.slice(0, 10).map((x) => `    ${x}`).join('\n') || '    (none)'}\n` +
    `  only ${what}:\n${onlyGot.slice(0, 10).map((x) => `    ${x}`).join('\n') || '    (none)'}`;
}

const MESSAGE = /^(\S+) higher than average by (\S+) Standard Deviations\. \S+=(\S+) avg_\S+=(\S+) 'stdev_\S+'=(\S+)$/;

interface Parsed { text: string; metric: string; z: string; value: number; avg: number; stdev: number }

function parse(text: string): Parsed | undefined {
  const x = MESSAGE.exec(text);
  return x ? { text, metric: x[1], z: x[2], value: Number(x[3]), avg: Number(x[4]), stdev: Number(x[5]) } : undefined;
}

export const relClose = (a: number, b: number, tol = 1e-9) => a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));

function nearRoundingBoundary(zRaw: number): boolean {
  const x = Math.abs(zRaw) * 100;
  return Math.abs(x - Math.floor(x) - 0.5) < 1e-4;
}

function zAgrees(a: Parsed, b: Parsed): boolean {
  if (a.z === b.z) return true;
  if (a.z === 'inf' || b.z === 'inf') return false;
  return Math.abs(Number(a.z) - Number(b.z)) <= 0.01 + 1e-9 && nearRoundingBoundary((a.value - a.avg) / a.stdev);
}

export function messageVerdict(ours: string, theirs: string): 'identical' | 'close' | 'beyond' {
  if (ours === theirs) return 'identical';
  const a = parse(ours);
  const b = parse(theirs);
  if (!a || !b || a.metric !== b.metric || !zAgrees(a, b)) return 'beyond';
  return relClose(a.value, b.value) && relClose(a.avg, b.avg) && relClose(a.stdev, b.stdev) ? 'close' : 'beyond';
}

export interface MessageAgreement {
  /** messages of ours compared */
  messages: number;
  identical: number;
  withinTolerance: number;
  /** beyond the tolerance, or with no counterpart */
  beyond: number;
  /** the first message beyond: key, ours, theirs */
  example?: string[];
}

/** Message by message, for findings whose keys and counts already agree. */
export function compareMessages(ours: Finding[], theirs: Finding[], engine: string): MessageAgreement {
  const r: MessageAgreement = { messages: 0, identical: 0, withinTolerance: 0, beyond: 0 };
  const byKey = new Map(theirs.map((f) => [keyLine(f), f]));
  const order = (a: Parsed, b: Parsed) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.value - b.value);
  for (const f of ours) {
    const other = byKey.get(keyLine(f))?.anomalies ?? [];
    const pa = f.anomalies.map((t) => parse(t) ?? { text: t, metric: '', z: '', value: NaN, avg: NaN, stdev: NaN }).sort(order);
    const pb = other.map((t) => parse(t) ?? { text: t, metric: '', z: '', value: NaN, avg: NaN, stdev: NaN }).sort(order);
    const n = Math.max(pa.length, pb.length);
    r.messages += f.anomalies.length;
    for (let i = 0; i < n; i++) {
      const verdict = pa[i] && pb[i] ? messageVerdict(pa[i].text, pb[i].text) : 'beyond';
      if (verdict === 'identical') r.identical++;
      else if (verdict === 'close') r.withinTolerance++;
      else {
        r.beyond++;
        r.example ??= [keyLine(f), `ours: ${pa[i]?.text ?? '(none)'}`, `${engine}: ${pb[i]?.text ?? '(none)'}`];
      }
    }
  }
  return r;
}
