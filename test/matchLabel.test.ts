import { describe, expect, it } from 'vitest';
import { isReported, matchesLabel } from '../src/evaluate/matchLabel.js';

const f = (host: string, workload: string, process: string) => ({ host, 'source.workload.name': workload, 'source.process.name': process });
const label = { cluster: 'c1', workload: 'coredns', process: 'coredns' };

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
});
