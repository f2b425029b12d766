import { OUTBOUND_RULE_ID } from '../rule/builtinRules.js';
import { findingKeyName, labelKeyName, matchesLabel, overlapsInTime, type FindingKey, type LabelKey } from './matchLabel.js';
import type { ScoredLabel } from './scoreInputs.js';

export interface ScoreCounts {
  labels: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** TP / (TP + FP), null when nothing was reported */
  precision: number | null;
  /** TP / (TP + FN), null when nothing should fire */
  recall: number | null;
}

export interface ScenarioScore extends ScoreCounts {
  scenario: string;
  expected: 'should fire' | 'must not fire' | 'mixed';
  /** cluster/workload/process of its false positives and false negatives */
  falsePositiveKeys: string[];
  falseNegativeKeys: string[];
}

export interface ScoreReport {
  findings: number;
  /** distinct (rule, host, key) among the findings: the unit everything is counted in */
  keys: number;
  /** what one key is, in words: cluster/workload/process for the outbound rule's, else the rule's key fields */
  keyUnit: string;
  scenarios: ScenarioScore[];
  /** the recent window times were compared with, ms; null: keys alone (any time) */
  windowMs: number | null;
  /** findings that match no label: false positives */
  unlabelled: { falsePositives: number; keys: string[] };
  total: ScoreCounts;
}

/** What score counts in: a rule's key in a cluster. */
const keyOf = (f: FindingKey): string => JSON.stringify([f.rule_id, f.host, f.key]);

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function counts(labels: number, tp: number, fp: number, fn: number, tn: number): ScoreCounts {
  return { labels, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

/**
 * Precision and recall of findings against labelled scenarios, per key (cluster, workload,
 * process) as the demo checks them: a label that should fire is a true positive when some finding
 * reports its key, else a false negative; one that must not fire is a false positive when reported.
 * A reported key with a finding that matches no label is a false positive too. When a label gives
 * its span (from, to) and a finding its detection time T, the finding reports the label only if
 * its recent window [T - windowMs, T) overlaps the span; windowMs Infinity compares keys alone.
 */
export function scoreFindings(findings: readonly FindingKey[], labels: readonly ScoredLabel[], windowMs = Infinity): ScoreReport {
  const keys = new Map<string, FindingKey>();
  for (const f of findings) keys.set(keyOf(f), f);
  const reported = [...keys.values()];
  const matches = (f: FindingKey, l: LabelKey) => matchesLabel(f, l) && overlapsInTime(f, l, windowMs);
  const isReported = (l: LabelKey) => findings.some((f) => matches(f, l));
  const groups = new Map<string, ScoredLabel[]>();
  for (const l of labels) groups.set(l.scenario, [...(groups.get(l.scenario) ?? []), l]);
  const scenarios: ScenarioScore[] = [...groups].map(([scenario, ls]) => {
    const fp = ls.filter((l) => !l.expectedFinding && isReported(l));
    const fn = ls.filter((l) => l.expectedFinding && !isReported(l));
    const tp = ls.filter((l) => l.expectedFinding).length - fn.length;
    const tn = ls.filter((l) => !l.expectedFinding).length - fp.length;
    const fire = ls.filter((l) => l.expectedFinding).length;
    return {
      scenario, expected: fire === ls.length ? 'should fire' : fire === 0 ? 'must not fire' : 'mixed',
      ...counts(ls.length, tp, fp.length, fn.length, tn), falsePositiveKeys: fp.map(labelKeyName), falseNegativeKeys: fn.map(labelKeyName),
    };
  });
  // a key counts once, however many of its findings no label explains
  const unexplained = new Map<string, FindingKey>();
  for (const f of findings) if (!labels.some((l) => matches(f, l))) unexplained.set(keyOf(f), f);
  const unlabelled = [...unexplained.values()];
  const sum = (k: 'truePositives' | 'falsePositives' | 'falseNegatives' | 'trueNegatives') => scenarios.reduce((s, x) => s + x[k], 0);
  const units = new Set(reported.map((f) => (f.rule_id === OUTBOUND_RULE_ID ? 'cluster/workload/process' : `cluster/${f.keyFields[0]}/${f.keyFields[1]}`)));
  return {
    findings: findings.length,
    keys: reported.length,
    keyUnit: units.size > 1 ? 'rule, cluster and the rule\'s key' : [...units][0] ?? 'cluster/workload/process',
    scenarios,
    windowMs: windowMs === Infinity ? null : windowMs,
    unlabelled: { falsePositives: unlabelled.length, keys: unlabelled.map(findingKeyName) },
    total: counts(labels.length, sum('truePositives'), sum('falsePositives') + unlabelled.length, sum('falseNegatives'), sum('trueNegatives')),
  };
}
