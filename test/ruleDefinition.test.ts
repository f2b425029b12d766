import { describe, expect, it } from 'vitest';
import { resultFields } from '../src/rule/ruleDefinition.js';

describe('resultFields', () => {
  it('a zscore finding has host, its key columns and count', () => {
    expect(resultFields({ kind: 'zscore', key: ['source.workload.name', 'dest.workload.name'], metrics: ['tcp.*'] }))
      .toEqual(['host', 'source.workload.name', 'dest.workload.name', 'count']);
  });

  it('a new-entity finding has host, its key columns and <metric>_count for each named metric, not for globs', () => {
    expect(resultFields({ kind: 'new-entity', key: ['source.workload.name', 'dest.workload.name'], metrics: ['tcp.packets', 'udp.*'] }))
      .toEqual(['host', 'source.workload.name', 'dest.workload.name', 'tcp.packets_count']);
  });
});
