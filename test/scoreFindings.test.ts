import { describe, expect, it } from 'vitest';
import type { FindingKey } from '../src/evaluate/matchLabel.js';
import { scoreFindings } from '../src/evaluate/scoreFindings.js';
import type { ScoredLabel } from '../src/evaluate/scoreInputs.js';

const OUTBOUND_KEY = ['source.workload.name', 'source.process.name'] as const;
const OUTBOUND_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const f = (host: string, workload: string, process: string): FindingKey =>
  ({ host, keyFields: OUTBOUND_KEY, key: [workload, process], rule_id: OUTBOUND_ID });
const label = (scenario: string, cluster: string, workload: string, process: string, expectedFinding: boolean): ScoredLabel =>
  ({ scenario, cluster, workload, process, expectedFinding });

const LABELS = [
  label('exfiltration-burst', 'c1', 'api', 'python', true),
  label('exfiltration-burst', 'c2', 'api', 'python', true),
  label('dns-tunnel', 'c1', 'coredns', 'coredns', true),
  label('new-process', 'c1', 'api', 'xmrig', false),
  label('short-burst', 'c2', 'web', 'nginx', false),
];

describe('scoreFindings', () => {
  it('counts true and false positives and negatives per scenario, and the totals', () => {
    const findings = [
      f('c1', 'api', 'python'), f('c1', 'api', 'python'), // the same key at two detection times counts once
      f('c2', 'web', 'nginx'), // must not fire
      f('c1', 'db', 'postgres'), f('c3', 'db', 'postgres'), // unlabelled
    ];
    const r = scoreFindings(findings, LABELS);
    expect(r.findings).toBe(5);
    expect(r.keys).toBe(4);
    const by = Object.fromEntries(r.scenarios.map((s) => [s.scenario, s]));
    expect(by['exfiltration-burst']).toMatchObject({ expected: 'should fire', labels: 2, truePositives: 1, falsePositives: 0, falseNegatives: 1, precision: 1, recall: 0.5, falseNegativeKeys: ['c2/api/python'] });
    expect(by['dns-tunnel']).toMatchObject({ truePositives: 0, falseNegatives: 1, precision: null, recall: 0 });
    expect(by['new-process']).toMatchObject({ expected: 'must not fire', truePositives: 0, falsePositives: 0, trueNegatives: 1, precision: null, recall: null });
    expect(by['short-burst']).toMatchObject({ falsePositives: 1, trueNegatives: 0, precision: 0, falsePositiveKeys: ['c2/web/nginx'] });
    expect(r.unlabelled).toEqual({ falsePositives: 2, keys: ['c1/db/postgres', 'c3/db/postgres'] });
    expect(r.total).toEqual({ labels: 5, truePositives: 1, falsePositives: 3, falseNegatives: 2, trueNegatives: 1, precision: 0.25, recall: 1 / 3 });
  });

  it('is perfect when exactly the should-fire labels are reported', () => {
    const r = scoreFindings([f('c1', 'api', 'python'), f('c2', 'api', 'python'), f('c1', 'coredns', 'coredns')], LABELS);
    expect(r.total).toMatchObject({ truePositives: 3, falsePositives: 0, falseNegatives: 0, trueNegatives: 2, precision: 1, recall: 1 });
  });

  it('keys findings by rule too: another rule\'s finding is its own key, matched only by a label of that rule', () => {
    const INBOUND_ID = '10442d8b-0701-4c25-911d-d67b906e713c';
    const inbound = (host: string, w: string, p: string): FindingKey =>
      ({ host, keyFields: ['dest.workload.name', 'dest.process.name'], key: [w, p], rule_id: INBOUND_ID });
    const labels: ScoredLabel[] = [
      label('exfiltration-burst', 'c1', 'api', 'python', true),
      { ...label('inbound-burst', 'c1', 'api', 'python', true), rule: INBOUND_ID, 'dest.workload.name': 'db', 'dest.process.name': 'postgres' },
    ];
    // the inbound finding on (api, python) shares the outbound label's values, and must not count for it
    const r = scoreFindings([inbound('c1', 'api', 'python'), inbound('c1', 'db', 'postgres')], labels);
    expect(r.keys).toBe(2);
    const by = Object.fromEntries(r.scenarios.map((s) => [s.scenario, s]));
    expect(by['exfiltration-burst']).toMatchObject({ truePositives: 0, falseNegatives: 1, falseNegativeKeys: ['c1/api/python'] });
    expect(by['inbound-burst']).toMatchObject({ truePositives: 1, falseNegatives: 0 });
    expect(r.unlabelled).toEqual({ falsePositives: 1, keys: [`${INBOUND_ID}:c1/api/python`] });
    const both = scoreFindings([f('c1', 'api', 'python'), inbound('c1', 'api', 'python')], labels);
    expect(both.keys).toBe(2);
    expect(both.total).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1 });
  });

  it('with no findings: nothing reported, every should-fire label missed', () => {
    const r = scoreFindings([], LABELS);
    expect(r.total).toMatchObject({ truePositives: 0, falsePositives: 0, falseNegatives: 3, precision: null, recall: 0 });
  });

  it('compares times when both sides give them: a finding reports a label only if its window overlaps the label\'s span', () => {
    const HOUR = 3_600_000;
    const END = Date.parse('2026-01-03T00:00:00Z');
    const at = (x: FindingKey, atMs: number): FindingKey => ({ ...x, atMs });
    const span = (l: ScoredLabel, fromMs: number, toMs: number): ScoredLabel => ({ ...l, fromMs, toMs });
    const labels = [
      span(label('exfiltration-burst', 'c1', 'api', 'python', true), END - 50 * 60_000, END - 35 * 60_000),
      span(label('busy-hour', 'c1', 'batch', 'pg_dump', false), END - HOUR, END),
    ];
    // at T = END both windows overlap their spans; a day earlier the same keys fire unexplained
    const now = [at(f('c1', 'api', 'python'), END), at(f('c1', 'batch', 'pg_dump'), END)];
    const dayBefore = [at(f('c1', 'api', 'python'), END - 24 * HOUR), at(f('c1', 'batch', 'pg_dump'), END - 24 * HOUR)];
    const r = scoreFindings([...dayBefore, ...now], labels, HOUR);
    expect(r.windowMs).toBe(HOUR);
    expect(r.keys).toBe(2);
    const by = Object.fromEntries(r.scenarios.map((s) => [s.scenario, s]));
    expect(by['exfiltration-burst']).toMatchObject({ truePositives: 1, falseNegatives: 0 });
    expect(by['busy-hour']).toMatchObject({ falsePositives: 1 });
    expect(r.unlabelled).toEqual({ falsePositives: 2, keys: ['c1/api/python', 'c1/batch/pg_dump'] });
    // only the day before: the burst is missed, the busy hour not reported in its span, both keys unexplained
    const early = scoreFindings(dayBefore, labels, HOUR);
    expect(early.total).toMatchObject({ truePositives: 0, falsePositives: 2, falseNegatives: 1, trueNegatives: 1 });
    // the window's edges: [T - 1h, T) overlaps [from, to) when T - 1h < to and T > from
    expect(scoreFindings([at(f('c1', 'api', 'python'), END - 35 * 60_000 + HOUR)], labels, HOUR).total.truePositives).toBe(0);
    expect(scoreFindings([at(f('c1', 'api', 'python'), END - 35 * 60_000 + HOUR - 1)], labels, HOUR).total.truePositives).toBe(1);
    expect(scoreFindings([at(f('c1', 'api', 'python'), END - 50 * 60_000)], labels, HOUR).total.truePositives).toBe(0);
    // keys alone (the default, and --any-time): both detection times count for the labels
    expect(scoreFindings(dayBefore, labels).total).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 0 });
    // a finding or label without a time is compared by key
    expect(scoreFindings([f('c1', 'api', 'python')], labels, HOUR).total.truePositives).toBe(1);
  });

  it('a scenario whose labels disagree is "mixed"', () => {
    const r = scoreFindings([], [label('s', 'a', 'b', 'c', true), label('s', 'a', 'b', 'd', false)]);
    expect(r.scenarios[0]!.expected).toBe('mixed');
  });
});
