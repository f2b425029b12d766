import { evaluateRule } from '../evaluate/evaluateRule.js';
import { compareFindings, type Finding } from '../evaluate/finding.js';
import { OUTBOUND_KEYING, sameKeying, type Keying } from '../rule/keying.js';
import { keyingOf, ruleOf, type RuleParams } from '../rule/rule.js';
import type { PartialState } from '../state/partialState.js';
import { detect, type DetectResult, type DetectRun } from './detect.js';

/** The rules of one keying, evaluated on that keying's merged state. */
export interface KeyingPass {
  keying: Keying;
  rules: RuleParams[];
  state: PartialState;
  findings: Finding[];
}

/** One scan of the data: its rules share a window, baseline and span; each keying is folded from the same decoded rows. */
export interface RulesScan {
  /** the scan's parameters: its first rule's, with every rule's metric patterns */
  params: RuleParams;
  result: DetectResult;
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

/** Rules by keying; the outbound keying leads, so the exporter's key runs still apply to it. */
export function keyingGroups(rules: RuleParams[]): RuleParams[][] {
  const keyings = groupBy(rules, (p) => JSON.stringify(keyingOf(ruleOf(p))));
  const lead = keyings.findIndex((g) => sameKeying(keyingOf(ruleOf(g[0])), OUTBOUND_KEYING));
  return lead > 0 ? [keyings[lead], ...keyings.filter((_, i) => i !== lead)] : keyings;
}

/** Scans by window, then keyings within a scan. */
export function planRuleScans(rules: RuleParams[]): RuleParams[][][] {
  return groupBy(rules, (p) => JSON.stringify([p.windowMs, p.baselineMs, p.spanMs])).map(keyingGroups);
}

/**
 * Several rules over the same data at one T. Every row is decoded once per scan, and folded into
 * one partial state per keying the scan's rules use; rules differing in window, baseline or span
 * take scans of their own. Each rule is evaluated on its keying's merged state.
 */
export async function detectRules(run: Omit<DetectRun, 'params'> & { rules: RuleParams[] }): Promise<DetectRulesResult> {
  const scans: RulesScan[] = [];
  let atMs = run.atMs;
  for (const keyings of planRuleScans(run.rules)) {
    const all = keyings.flat();
    const params: RuleParams = { ...keyings[0][0], metricPatterns: [...new Set(all.flatMap((r) => r.metricPatterns))] };
    const moreKeyings = keyings.slice(1).map((g) => keyingOf(ruleOf(g[0])));
    const result = await detect({ ...run, params, atMs, evaluate: [], moreKeyings });
    atMs = result.atMs;
    const states = [result.state, ...result.more];
    const passes = keyings.map((rules, i): KeyingPass => ({
      keying: keyingOf(ruleOf(rules[0])), rules, state: states[i],
      findings: rules.flatMap((r) => evaluateRule(states[i], r, result.atMs, run.suppress)).sort(compareFindings),
    }));
    scans.push({ params, result: { ...result, findings: passes.flatMap((p) => p.findings).sort(compareFindings) }, keyings: passes });
  }
  return { atMs: atMs!, findings: scans.flatMap((s) => s.result.findings).sort(compareFindings), scans };
}
