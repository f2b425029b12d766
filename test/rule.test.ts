import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rule/builtinRules.js';
import { OUTBOUND_KEYING, describeKeying, sameKeying } from '../src/rule/keying.js';
import { DEFAULT_PARAMS, RULE, defaultParamsOf, keyingOf, outboundRule, parityUsesMean, ruleOf, scanEvaluates, type RuleParams } from '../src/rule/rule.js';

describe('the outbound rule from its file', () => {
  it('has the identity the code had as constants', () => {
    expect(RULE.id).toBe('dd6afee6-e0a3-4028-a089-f47dd2842c22');
    expect(RULE.name).toBe('Kubernetes Anomalous Outbound Network Activity from Process');
    expect(RULE.riskScore).toBe(20);
    expect(RULE.mitreAttackId).toBe('T1204');
    expect(RULE.riskMessage('prod-eu-west-1')).toBe('Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster prod-eu-west-1');
    expect(RULE.riskMessage('$host$')).toBe('Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster $host$');
  });

  it('has the default parameters the code had as constants, as plain data when spread or serialised', () => {
    const numbers = { sigma: 3, minCount: 5, windowMs: 3_600_000, spanMs: 10_000, baselineMs: 30 * 86_400_000, metricPatterns: ['tcp.*', 'udp.*'], splunkParity: false };
    const expected = { rule: outboundRule(), ...numbers };
    expect({ ...DEFAULT_PARAMS }).toEqual(expected);
    expect({ ...DEFAULT_PARAMS }.rule).toBe(outboundRule());
    expect(JSON.parse(JSON.stringify(DEFAULT_PARAMS))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(structuredClone(DEFAULT_PARAMS)).toEqual(expected);
    expect({ ...DEFAULT_PARAMS, sigma: 4 }.sigma).toBe(4);
    expect(defaultParamsOf(outboundRule())).toEqual(expected);
    expect(ruleOf(DEFAULT_PARAMS)).toBe(outboundRule());
    const withoutRule: RuleParams = numbers;
    expect(ruleOf(withoutRule)).toBe(outboundRule()); // params without a rule run the outbound rule
  });

  it('takes the udp stdev to be the mean under parity, and only for udp', () => {
    expect(parityUsesMean('udp.bytes')).toBe(true);
    expect(parityUsesMean('udp.packets')).toBe(true);
    expect(parityUsesMean('tcp.bytes')).toBe(false);
    expect(parityUsesMean('udpx.bytes')).toBe(false);
    const newEdge = builtinRules().find((r) => r.kind === 'new-entity')!;
    expect(parityUsesMean('udp.bytes', newEdge)).toBe(false); // a new-entity rule has no parity quirks
    expect(parityUsesMean('udp.bytes', builtinRules().find((r) => r.id === '886c7e51-2ea1-425d-8705-faaca5a64cc6')!)).toBe(true);
  });

  it('is the first of the built-in rules, every one of which the scan evaluates, each with its own keying', () => {
    expect(builtinRules()[0]!.id).toBe(RULE.id);
    expect(builtinRules().filter(scanEvaluates).map((r) => r.id)).toEqual(builtinRules().map((r) => r.id));
    expect(builtinRules().map((r) => r.id)).toEqual([
      RULE.id, '10442d8b-0701-4c25-911d-d67b906e713c', '886c7e51-2ea1-425d-8705-faaca5a64cc6', '13f081d6-7052-428a-bbb0-892c79ca7c65', '49b7daca-4e3c-4899-ba15-9a175e056fa9',
    ]);
    expect(builtinRules().map((r) => describeKeying(keyingOf(r)))).toEqual([
      'source.workload.name + source.process.name by k8s.cluster.name',
      'dest.workload.name + dest.process.name by k8s.cluster.name',
      'source.workload.name + dest.workload.name by k8s.cluster.name',
      'source.workload.name + dest.workload.name by k8s.cluster.name',
      'source.workload.name + dest.workload.name by k8s.cluster.name',
    ]);
    expect(sameKeying(keyingOf(outboundRule()), OUTBOUND_KEYING)).toBe(true);
  });

  it('scanEvaluates a key of two columns only, and keyingOf refuses a column named twice', () => {
    const edge = builtinRules().find((r) => r.id === '886c7e51-2ea1-425d-8705-faaca5a64cc6')!;
    const three = { ...edge, key: ['source.workload.name', 'dest.workload.name', 'dest.process.name'] };
    expect(scanEvaluates(three)).toBe(false);
    expect(scanEvaluates({ ...edge, key: ['dest.workload.name'] })).toBe(false);
    expect(() => keyingOf(three)).toThrow(`rules: ${edge.file}: key has 3 columns; the scan folds keys of two columns`);
    expect(() => keyingOf({ ...edge, key: ['timestamp', 'dest.workload.name'] })).toThrow(`rules: ${edge.file}: column "timestamp" is named twice among timestamp, group_by and key`);
  });
});
