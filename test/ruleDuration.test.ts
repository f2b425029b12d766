import { describe, expect, it } from 'vitest';
import { durationMs } from '../src/rule/ruleDuration.js';

describe('durationMs', () => {
  it('reads the units the CLI takes', () => {
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('10s')).toBe(10_000);
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('1h')).toBe(3_600_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
    expect(durationMs('30d')).toBe(2_592_000_000);
    expect(durationMs('2w')).toBe(1_209_600_000);
  });

  it('refuses what is not a positive whole number of milliseconds', () => {
    for (const bad of ['', '10', 'h', '1 h', '-1h', '0s', '0.5ms', '1e3s', '1H', '10s ', 'an hour']) expect(durationMs(bad), bad).toBeUndefined();
  });
});
