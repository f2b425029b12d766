import { describe, expect, it } from 'vitest';
import type { FindingKey } from '../src/evaluate/matchLabel.js';
import { scoreFindings } from '../src/evaluate/scoreFindings.js';
import { formatScore } from '../src/evaluate/scoreTable.js';

const OUTBOUND_KEY = ['source.workload.name', 'source.process.name'] as const;
const OUTBOUND_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const f = (host: string, workload: string, process: string): FindingKey =>
  ({ host, keyFields: OUTBOUND_KEY, key: [workload, process], rule_id: OUTBOUND_ID });

describe('formatScore', () => {
  it('prints a row per scenario, the unlabelled findings and the totals, and says how it counts', () => {
    const r = scoreFindings([f('c1', 'api', 'python'), f('c1', 'db', 'postgres')], [
      { scenario: 'exfiltration-burst', cluster: 'c1', workload: 'api', process: 'python', expectedFinding: true },
      { scenario: 'new-process', cluster: 'c1', workload: 'api', process: 'xmrig', expectedFinding: false },
    ]);
    const lines = formatScore(r).split('\n');
    expect(lines[0]).toBe('2 findings, 2 distinct keys (cluster/workload/process), against 2 labels');
    expect(lines[2]).toBe('scenario            expected       labels  TP  FP  FN  precision  recall');
    expect(lines[3]).toBe('exfiltration-burst  should fire         1   1   0   0      1.000   1.000');
    expect(lines[4]).toBe('new-process         must not fire       1   0   0   0          -       -');
    expect(lines[5]).toBe('(unlabelled)        must not fire       -   0   1   0      0.000       -');
    expect(lines[6]).toBe('total                                   2   1   1   0      0.500   1.000');
    expect(lines).toContain('false positives: c1/db/postgres (unlabelled)');
    expect(lines).toContain('false negatives: none');
    expect(formatScore(r)).toContain('A reported key that matches no label counts\nas a false positive.');
  });
});
