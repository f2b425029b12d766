import { describe, expect, it } from 'vitest';
import { anomalyMessage, formatZ, roundZ } from '../src/rule/anomalyMessage.js';

describe('anomalyMessage', () => {
  it('rounds z half away from zero at two decimals', () => {
    expect(roundZ(3.125)).toBe(3.13);
    expect(roundZ(-3.125)).toBe(-3.13);
    expect(roundZ(3.124999)).toBe(3.12);
    expect(roundZ(10)).toBe(10);
    expect(formatZ(4.5)).toBe('4.5');
    expect(formatZ(Infinity)).toBe('inf');
  });

  it('prints the published message with JavaScript number formatting', () => {
    expect(anomalyMessage('tcp.bytes', 2500, 1000, 250)).toBe(
      "tcp.bytes higher than average by 6 Standard Deviations. tcp.bytes=2500 avg_tcp.bytes=1000 'stdev_tcp.bytes'=250",
    );
    expect(anomalyMessage('udp.packets', 0.30000000000000004, 0.1, 0.05)).toBe(
      "udp.packets higher than average by 4 Standard Deviations. udp.packets=0.30000000000000004 avg_udp.packets=0.1 'stdev_udp.packets'=0.05",
    );
  });

  it('prints inf when the baseline never varied', () => {
    expect(anomalyMessage('tcp.packets', 11, 10, 0)).toBe(
      "tcp.packets higher than average by inf Standard Deviations. tcp.packets=11 avg_tcp.packets=10 'stdev_tcp.packets'=0",
    );
  });

  it('prints large and tiny numbers as String(number) does', () => {
    expect(anomalyMessage('tcp.bytes', 1e21, 1e20, 1e19)).toContain('tcp.bytes=1e+21 avg_tcp.bytes=100000000000000000000');
    expect(anomalyMessage('tcp.bytes', 1e-7, 0, 1e-8)).toContain('by 10 Standard');
  });
});
