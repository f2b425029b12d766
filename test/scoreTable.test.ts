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
    expect(formatScore(r)).toContain("Detection times are not compared with the labels' times (--any-time). A reported key that matches no label counts as a false positive.");
    expect(formatScore({ ...r, windowMs: 3_600_000 })).toContain("A finding at T reports a label when its window [T - 3600 s, T) overlaps the label's from..to;");
  });

  it('names the key the findings are counted by: another rule\'s fields, or rule, cluster and key when rules mix', () => {
    const edge = (host: string, src: string, dst: string): FindingKey =>
      ({ host, keyFields: ['source.workload.name', 'dest.workload.name'], key: [src, dst], rule_id: '886c7e51-2ea1-425d-8705-faaca5a64cc6' });
    const head = (fs: FindingKey[]) => formatScore(scoreFindings(fs, [])).split('\n')[0];
    expect(head([edge('c1', 'api', 'db')])).toBe('1 finding, 1 distinct key (cluster/source.workload.name/dest.workload.name), against 0 labels');
    expect(head([edge('c1', 'api', 'db'), f('c1', 'api', 'python')])).toBe('2 findings, 2 distinct keys (rule, cluster and the rule\'s key), against 0 labels');
    expect(head([])).toBe('0 findings, 0 distinct keys (cluster/workload/process), against 0 labels');
  });
});
