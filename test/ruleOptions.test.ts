import { describe, expect, it } from 'vitest';
import { parseMinValues, ruleParamsListOf } from '../src/cli/ruleOptions.js';

describe('parseMinValues (--min-value)', () => {
  it('reads N for every metric, or GLOB=N pairs in order', () => {
    expect(parseMinValues('1000')).toEqual([['*', 1000]]);
    expect(parseMinValues('tcp.bytes=1e6, udp.*=1e4')).toEqual([['tcp.bytes', 1e6], ['udp.*', 1e4]]);
    expect(parseMinValues('tcp.*=-1')).toEqual([['tcp.*', -1]]);
  });

  it('names the option and the bad item for anything else', () => {
    for (const bad of ['x', 'tcp.bytes=', '=5', 'tcp.bytes=Infinity', 'tcp.bytes=1e400', 'a=NaN']) {
      expect(() => parseMinValues(bad)).toThrow(/^--min-value: expected N or GLOB=N \(N a finite number\), got "/);
    }
  });
});

describe('--baseline-model', () => {
  const args = (extra: Record<string, unknown>) => ({ data: 'x', workers: '1', 'splunk-parity': false, strict: false, quiet: true, ...extra }) as never;

  it('is flat (absent) by default, hour-of-day when asked', () => {
    expect(ruleParamsListOf(args({}))[0].baselineModel).toBeUndefined();
    expect(ruleParamsListOf(args({ 'baseline-model': 'hour-of-day' }))[0].baselineModel).toBe('hour-of-day');
  });

  it('hour-of-day needs a window of at most a day and a baseline longer than the window and a day', () => {
    expect(() => ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', window: '25h' }))).toThrow(/^--baseline-model hour-of-day .* --window \(25h\) must be at most 1d/);
    expect(() => ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', baseline: '1d' }))).toThrow(/--baseline \(1d\) longer than the window and one day/);
    expect(ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', window: '1d', baseline: '3d' }))[0].windowMs).toBe(86_400_000);
  });

  it('--weekday-split splits hour-of-day alone, over a baseline of at least the window and a week', () => {
    expect(ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', 'weekday-split': true }))[0].weekdaySplit).toBe(true);
    expect(ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', 'weekday-split': false }))[0].weekdaySplit).toBeUndefined();
    expect(() => ruleParamsListOf(args({ 'weekday-split': true }))).toThrow(/^--weekday-split: .* add --baseline-model hour-of-day \(got flat\)$/);
    expect(() => ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', 'weekday-split': true, baseline: '7d' }))).toThrow(/^--weekday-split: --baseline \(7d\) must be at least the window and 7d/);
    expect(ruleParamsListOf(args({ 'baseline-model': 'hour-of-day', 'weekday-split': true, baseline: '8d' }))[0].baselineMs).toBe(8 * 86_400_000);
  });

  it('a new-entity rule has none', () => {
    expect(() => ruleParamsListOf(args({ rule: ['13f081d6'], 'weekday-split': true }))).toThrow(/^--weekday-split: .* is kind new-entity/);
    expect(() => ruleParamsListOf(args({ rule: ['13f081d6'], 'baseline-model': 'hour-of-day' }))).toThrow(/^--baseline-model: .* is kind new-entity/);
  });
});
