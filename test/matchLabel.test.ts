import { describe, expect, it } from 'vitest';
import { makeFinding } from '../src/evaluate/finding.js';
import { findingKeyName, isReported, labelKeyName, labelValue, matchesLabel, type LabelKey } from '../src/evaluate/matchLabel.js';
import { builtinRules } from '../src/rule/builtinRules.js';
import type { RuleDefinition } from '../src/rule/ruleDefinition.js';

const T = Date.UTC(2026, 0, 3);
const ruleById = (id: string): RuleDefinition => {
  const r = builtinRules().find((x) => x.id === id);
  if (!r) throw new Error(`no built-in rule ${id}`);
  return r;
};
const INBOUND = ruleById('10442d8b-0701-4c25-911d-d67b906e713c');
const EDGE = ruleById('886c7e51-2ea1-425d-8705-faaca5a64cc6');

/** An outbound finding: keyed by source workload and process. */
const f = (host: string, workload: string, process: string) => makeFinding(T, host, workload, process, 6, ['m']);
const label: LabelKey = { cluster: 'c1', workload: 'coredns', process: 'coredns' };

describe('matchesLabel', () => {
  it('needs the cluster, the workload and the process to be the label\'s, exactly', () => {
    expect(matchesLabel(f('c1', 'coredns', 'coredns'), label)).toBe(true);
    expect(matchesLabel(f('c2', 'coredns', 'coredns'), label)).toBe(false);
    expect(matchesLabel(f('c1', 'CoreDNS', 'coredns'), label)).toBe(false);
    expect(matchesLabel(f('c1', 'coredns', 'dnsmasq'), label)).toBe(false);
    expect(matchesLabel(f('c1', 'coredns:coredns', ''), label)).toBe(false);
  });

  it('a label is reported when any finding matches it', () => {
    expect(isReported(label, [f('c2', 'x', 'y'), f('c1', 'coredns', 'coredns')])).toBe(true);
    expect(isReported(label, [f('c2', 'coredns', 'coredns')])).toBe(false);
    expect(isReported(label, [])).toBe(false);
  });

  it('a label without a rule is about the outbound rule: another rule\'s finding with the same values does not match', () => {
    const inbound = makeFinding(T, 'c1', 'coredns', 'coredns', 6, ['m'], INBOUND);
    expect(matchesLabel(inbound, label)).toBe(false);
    expect(matchesLabel(inbound, { ...label, 'dest.workload.name': 'coredns', 'dest.process.name': 'coredns' })).toBe(false);
    expect(matchesLabel(f('c1', 'coredns', 'coredns'), { ...label, rule: INBOUND.id })).toBe(false);
  });

  it('a label of another rule matches that rule\'s finding by its key columns', () => {
    const inboundLabel: LabelKey = { cluster: 'c1', workload: 'api', process: 'python', rule: INBOUND.id, 'dest.workload.name': 'db', 'dest.process.name': 'postgres' };
    expect(matchesLabel(makeFinding(T, 'c1', 'db', 'postgres', 6, ['m'], INBOUND), inboundLabel)).toBe(true);
    expect(matchesLabel(makeFinding(T, 'c1', 'db', 'mysql', 6, ['m'], INBOUND), inboundLabel)).toBe(false);
    expect(matchesLabel(makeFinding(T, 'c2', 'db', 'postgres', 6, ['m'], INBOUND), inboundLabel)).toBe(false);
    expect(matchesLabel(makeFinding(T, 'c1', 'api', 'python', 6, ['m'], INBOUND), inboundLabel)).toBe(false); // the source side is not the key
    const edgeLabel: LabelKey = { ...inboundLabel, rule: EDGE.id };
    expect(matchesLabel(makeFinding(T, 'c1', 'api', 'db', 6, ['m'], EDGE), edgeLabel)).toBe(true);
    expect(matchesLabel(makeFinding(T, 'c1', 'db', 'api', 6, ['m'], EDGE), edgeLabel)).toBe(false);
    // a label of the edge rule without the destination field matches nothing
    expect(matchesLabel(makeFinding(T, 'c1', 'api', 'db', 6, ['m'], EDGE), { cluster: 'c1', workload: 'api', process: 'python', rule: EDGE.id })).toBe(false);
  });

  it('labelValue reads the source fields from workload and process, and the destination ones by name', () => {
    const l: LabelKey = { cluster: 'c', workload: 'w', process: 'p', 'dest.workload.name': 'dw' };
    expect(['source.workload.name', 'source.process.name', 'dest.workload.name', 'dest.process.name', 'k8s.cluster.name'].map((k) => labelValue(l, k)))
      .toEqual(['w', 'p', 'dw', undefined, undefined]);
  });

  it('names keys as cluster/key0/key1, prefixed by the rule id unless it is the outbound rule', () => {
    expect(findingKeyName(f('c1', 'api', 'python'))).toBe('c1/api/python');
    expect(findingKeyName(makeFinding(T, 'c1', 'api', 'db', 6, ['m'], EDGE))).toBe(`${EDGE.id}:c1/api/db`);
    expect(labelKeyName(label)).toBe('c1/coredns/coredns');
    expect(labelKeyName({ ...label, rule: INBOUND.id, 'dest.workload.name': 'db' })).toBe(`${INBOUND.id}:c1/coredns/coredns/db/`);
  });
});
