import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rule/builtinRules.js';
import { DEFAULT_PARAMS, RULE, defaultParamsOf, outboundRule, parityUsesMean, scanEvaluates } from '../src/rule/rule.js';

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
    const expected = { sigma: 3, minCount: 5, windowMs: 3_600_000, spanMs: 10_000, baselineMs: 30 * 86_400_000, metricPatterns: ['tcp.*', 'udp.*'], splunkParity: false };
    expect({ ...DEFAULT_PARAMS }).toEqual(expected);
    expect(JSON.parse(JSON.stringify(DEFAULT_PARAMS))).toEqual(expected);
    expect(structuredClone(DEFAULT_PARAMS)).toEqual(expected);
    expect({ ...DEFAULT_PARAMS, sigma: 4 }.sigma).toBe(4);
    expect(defaultParamsOf(outboundRule())).toEqual(expected);
  });

  it('takes the udp stdev to be the mean under parity, and only for udp', () => {
    expect(parityUsesMean('udp.bytes')).toBe(true);
    expect(parityUsesMean('udp.packets')).toBe(true);
    expect(parityUsesMean('tcp.bytes')).toBe(false);
    expect(parityUsesMean('udpx.bytes')).toBe(false);
  });

  it('is the only built-in rule the scan evaluates today', () => {
    expect(builtinRules().filter(scanEvaluates).map((r) => r.id)).toEqual([RULE.id]);
  });
});
