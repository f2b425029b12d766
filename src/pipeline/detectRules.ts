import { evaluateRule } from '../evaluate/evaluateRule.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import { compareFindings, type Finding } from '../evaluate/finding.js';
import { findingSeries, type FindingSeries } from '../evaluate/findingSeries.js';
import { OUTBOUND_KEYING, sameKeying, type Keying } from '../rule/keying.js';
import { keyingOf, ruleOf, type RuleParams } from '../rule/rule.js';
import { baselinePhaseOf } from '../plan/scanWindow.js';
import type { PartialState } from '../state/partialState.js';
import { detect, type DetectResult, type DetectRun } from './detect.js';

/** The rules of one keying, evaluated on that keying's merged state (findings unsorted). */
export interface KeyingPass {
  keying: Keying;
  rules: RuleParams[];
  state: PartialState;
  findings: Finding[];
}

/** The series behind a keying's findings, each with its own rule's parameters (the HTML report's charts). */
export function keyingSeries(k: KeyingPass, atMs: number): FindingSeries[] {
  return k.rules.flatMap((p) => findingSeries(k.state, p, k.findings.filter((f) => f.rule_id === ruleOf(p).id), atMs));
}

/** One scan of the data: its rules share a window, baseline and span; each keying is folded from the same decoded rows. */
export interface RulesScan {
  /** the scan's parameters (scanParamsOf) */
  params: RuleParams;
  /** the scan's plan, merged states and warnings; the findings are its keyings' */
  result: Omit<DetectResult, 'findings'>;
  keyings: KeyingPass[];
}

export interface DetectRulesResult {
  atMs: number;
  /** every rule's findings, sorted by detection time, rule id, host and key */
  findings: Finding[];
  scans: RulesScan[];
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  return [...groups.values()];
}

export interface KeyingGroup {
  keying: Keying;
  rules: RuleParams[];
}

/** Rules by keying; the outbound keying leads, so the exporter's key runs still apply to it. */
export function keyingGroups(rules: RuleParams[]): KeyingGroup[] {
  const groups = groupBy(rules, (p) => JSON.stringify(keyingOf(ruleOf(p)))).map((g) => ({ keying: keyingOf(ruleOf(g[0])), rules: g }));
  const lead = groups.findIndex((g) => sameKeying(g.keying, OUTBOUND_KEYING));
  return lead > 0 ? [groups[lead], ...groups.filter((_, i) => i !== lead)] : groups;
}

/**
 * What rules must share to share one scan: window, baseline, span and which baseline rows count
 * (hour-of-day filters them; robust reads the flat baseline's rows and may share a flat scan).
 */
export function scanShapeOf(p: RuleParams): string {
  return JSON.stringify([p.windowMs, p.baselineMs, p.spanMs, baselineRowsOf(p)]);
}

/** A rule and what its scan must share, in words: `ID (window, span, baseline, baseline rows)`. */
export function describeScanShape(p: RuleParams): string {
  return `${ruleOf(p).id} (${p.windowMs / 1000} s, ${p.spanMs / 1000} s, ${p.baselineMs / 1000} s, ${baselineRowsOf(p)})`;
}

/** Which baseline rows a rule's model reads, in words. */
export function baselineRowsOf(p: RuleParams): string {
  const { periodMs, weekdaySplit } = baselinePhaseOf(p);
  if (!periodMs) return 'every baseline row';
  return weekdaySplit ? 'hour-of-day, weekday split' : 'hour-of-day';
}

/**
 * One scan's parameters for rules of one shape: the first rule's, with every rule's metric patterns,
 * and the robust model if another rule has it, so the scan folds the sketches that rule reads.
 */
export function scanParamsOf(rules: RuleParams[]): RuleParams {
  // robust reads the flat baseline's rows, so a flat first rule can share its scan
  const robust = rules[0].baselineModel === undefined && rules.some((r) => r.baselineModel === 'robust');
  return { ...rules[0], metricPatterns: [...new Set(rules.flatMap((r) => r.metricPatterns))], ...(robust ? { baselineModel: 'robust' as const } : {}) };
}

/** Each keying's rules evaluated on that keying's merged state (states in the groups' order). */
export function evaluateKeyings(groups: KeyingGroup[], states: PartialState[], atMs: number, suppress: Suppressions | undefined): KeyingPass[] {
  return groups.map(({ keying, rules }, i) => ({
    keying, rules, state: states[i], findings: rules.flatMap((r) => evaluateRule(states[i], r, atMs, suppress)),
  }));
}

/** Scans by shape, then keyings within a scan. */
export function planRuleScans(rules: RuleParams[]): KeyingGroup[][] {
  return groupBy(rules, scanShapeOf).map(keyingGroups);
}

/**
 * Several rules over the same data at one T. Every row is decoded once per scan, and folded into
 * one partial state per keying the scan's rules use; rules differing in window, baseline or span
 * take scans of their own. Each rule is evaluated on its keying's merged state.
 */
export async function detectRules(run: Omit<DetectRun, 'params'> & { rules: RuleParams[] }): Promise<DetectRulesResult> {
  const scans: RulesScan[] = [];
  let atMs = run.atMs;
  for (const groups of planRuleScans(run.rules)) {
    const params = scanParamsOf(groups.flatMap((g) => g.rules));
    const { findings: _none, ...result } = await detect({ ...run, params, atMs, evaluate: [], moreKeyings: groups.slice(1).map((g) => g.keying) });
    atMs = result.atMs;
    const keyings = evaluateKeyings(groups, [result.state, ...result.more], result.atMs, run.suppress);
    scans.push({ params, result, keyings });
  }
  const findings = scans.flatMap((s) => s.keyings.flatMap((k) => k.findings)).sort(compareFindings);
  return { atMs: atMs!, findings, scans };
}
