/**
 * score through the CLI: a small generated dataset, detect (once per rule the labels are about,
 * the findings written together), then precision and recall against its labels.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReported, type FindingKey } from '../src/evaluate/matchLabel.js';
import type { ScoreReport } from '../src/evaluate/scoreFindings.js';
import { parseFindings } from '../src/evaluate/scoreInputs.js';
import type { ScenarioLabel } from '../src/source/generator/generatorTypes.js';
import { parseNdjson, runCli, runCliOk } from './helpers/cli.js';

let tmp: string;
let findingsFile: string;
let labelsFile: string;
let labels: ScenarioLabel[];
let findings: FindingKey[];
let rules: string[];

const OUTBOUND = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const count = (p: (l: ScenarioLabel) => boolean) => labels.filter(p).length;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-score-'));
  const data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', '2026-01-03T00:00:00Z', '--workers', '1', '--quiet']);
  labelsFile = join(data, 'labels.json');
  labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as ScenarioLabel[];
  rules = [...new Set(labels.map((l) => l.rule ?? OUTBOUND))];
  findingsFile = join(tmp, 'findings.ndjson');
  const text = rules.map((rule) => runCliOk(['detect', '--data', data, '--workers', '1', '--format', 'ndjson', '--rule', rule, '--quiet']).stdout).join('');
  writeFileSync(findingsFile, text);
  findings = parseFindings(text, findingsFile);
  expect(parseNdjson(text).map((f) => f.rule_id)).toEqual(findings.map((f) => f.rule_id));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const score = (labelsPath: string): ScoreReport => JSON.parse(runCliOk(['score', '--findings', findingsFile, '--labels', labelsPath, '--format', 'json']).stdout) as ScoreReport;

describe('egress-anomaly score', () => {
  it('compares detection times with the labels\' spans (--window), or keys alone (--any-time)', () => {
    // the same findings a day after the labelled hour: no label's span is in their windows
    const shifted = join(tmp, 'day-after.ndjson');
    writeFileSync(shifted, parseNdjson(readFileSync(findingsFile, 'utf8')).map((f) =>
      `${JSON.stringify({ ...f, detection_time: new Date(Date.parse(f.detection_time as string) + 86_400_000).toISOString() })}\n`).join(''));
    const run = (...extra: string[]) => JSON.parse(runCliOk(['score', '--findings', shifted, '--labels', labelsFile, '--format', 'json', ...extra]).stdout) as ScoreReport;
    const fire = count((l) => l.expectedFinding);
    const timed = run();
    expect(timed.windowMs).toBe(3_600_000);
    expect(timed.total).toMatchObject({ truePositives: 0, falseNegatives: fire });
    expect(timed.unlabelled.falsePositives).toBe(timed.keys);
    const anyTime = run('--any-time');
    expect(anyTime.windowMs).toBeNull();
    expect(anyTime.total).toMatchObject({ truePositives: fire, falseNegatives: 0 });
    // a window reaching back a day and a half takes the spans in again
    expect(run('--window', '36h').total).toMatchObject({ truePositives: fire, falseNegatives: 0 });
    const bad = runCli(['score', '--findings', shifted, '--labels', labelsFile, '--window', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--window/);
  });

  it("agrees with the demo's verdicts on the generator's labels: every scenario as expected", () => {
    const r = score(labelsFile);
    expect(r.scenarios.map((s) => s.scenario)).toEqual([...new Set(labels.map((l) => l.scenario))]);
    expect(r.scenarios.map((s) => s.scenario).slice(0, 4)).toEqual(['exfiltration-burst', 'dns-tunnel', 'new-process', 'short-burst']);
    expect(rules).toContain(OUTBOUND);
    for (const l of labels) expect(isReported(l, findings), l.scenario).toBe(l.expectedFinding);
    const fire = count((l) => l.expectedFinding);
    expect(fire).toBeGreaterThanOrEqual(2);
    expect(r.total).toEqual({ labels: labels.length, truePositives: fire, falsePositives: 0, falseNegatives: 0, trueNegatives: labels.length - fire, precision: 1, recall: 1 });
    // every should-fire label is one reported key (of its rule); the other keys are unlabelled
    expect(r.unlabelled.falsePositives).toBe(r.keys - fire);
    expect(r.findings).toBe(findings.length);
  });

  it('scores only the rules the findings come from (and the outbound rule) unless --rule names others, and says so', () => {
    const inbound = { ...labels.find((l) => l.scenario === 'exfiltration-burst')!, scenario: 'inbound-x', rule: '10442d8b-0701-4c25-911d-d67b906e713c', expectedFinding: true };
    const withInbound = join(tmp, 'with-inbound.json');
    writeFileSync(withInbound, JSON.stringify([...labels.filter((l) => !l.rule), inbound]));
    const outboundOnly = join(tmp, 'outbound.ndjson');
    writeFileSync(outboundOnly, readFileSync(findingsFile, 'utf8').split('\n').filter((l) => l.includes(OUTBOUND)).map((l) => `${l}\n`).join(''));
    const run = (...extra: string[]) => runCliOk(['score', '--findings', outboundOnly, '--labels', withInbound, ...extra]);
    const byDefault = JSON.parse(run('--format', 'json').stdout) as ScoreReport & { unscoredRules: string[] };
    expect(byDefault.scenarios.map((x) => x.scenario)).not.toContain('inbound-x');
    expect(byDefault.unscoredRules).toEqual([inbound.rule]);
    expect(run().stdout).toContain(`Not scored: the labels of ${inbound.rule}, a rule with no finding in ${outboundOnly}`);
    const named = JSON.parse(run('--format', 'json', '--rule', '10442d8b', '--rule', OUTBOUND).stdout) as ScoreReport & { unscoredRules: string[] };
    expect(named.unscoredRules).toEqual([]);
    expect(named.scenarios.find((x) => x.scenario === 'inbound-x')).toMatchObject({ falseNegatives: 1, truePositives: 0 });
  });

  it('a should-fire label nobody reported is a false negative; a finding no label names is a false positive', () => {
    const exfil = labels.find((l) => l.scenario === 'exfiltration-burst')!;
    const missed = { ...exfil, scenario: 'my-scenario', workload: 'never-reported' };
    const edited = join(tmp, 'edited.json');
    writeFileSync(edited, JSON.stringify([...labels.filter((l) => l.scenario !== 'dns-tunnel'), missed]));
    const r = score(edited);
    const mine = r.scenarios.find((s) => s.scenario === 'my-scenario')!;
    expect(mine).toMatchObject({ expected: 'should fire', truePositives: 0, falseNegatives: 1, recall: 0, falseNegativeKeys: [`${exfil.cluster}/never-reported/${exfil.process}`] });
    const dns = labels.find((l) => l.scenario === 'dns-tunnel')!;
    expect(r.unlabelled.keys).toContain(`${dns.cluster}/${dns.workload}/${dns.process}`);
    const tp = count((l) => l.expectedFinding && l.scenario !== 'dns-tunnel');
    expect(r.total).toMatchObject({ truePositives: tp, falseNegatives: 1, falsePositives: r.unlabelled.falsePositives, precision: tp / (tp + r.unlabelled.falsePositives), recall: tp / (tp + 1) });
  });

  it('prints a table by default', () => {
    const out = runCliOk(['score', '--findings', findingsFile, '--labels', labelsFile]).stdout;
    expect(out).toMatch(/^exfiltration-burst +should fire +1 +1 +0 +0 +1\.000 +1\.000$/m);
    expect(out).toMatch(/^new-process +must not fire +1 +0 +0 +0 +- +-$/m);
    const fire = count((l) => l.expectedFinding);
    expect(out).toMatch(new RegExp(`^total +${labels.length} +${fire} +0 +0 +1\\.000 +1\\.000$`, 'm'));
  });

  it('exit 1 naming an unreadable or invalid input, exit 2 for a missing option', () => {
    const missing = runCli(['score', '--findings', findingsFile, '--labels', join(tmp, 'none.json')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`egress-anomaly: score: cannot read the labels ${join(tmp, 'none.json')}: ENOENT\n`);
    const broken = join(tmp, 'broken.ndjson');
    writeFileSync(broken, '{"host":"a","source.workload.name":"b","source.process.name":"c"}\nnot json\n');
    const r = runCli(['score', '--findings', broken, '--labels', labelsFile]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^egress-anomaly: score: ${broken.replace(/[.]/g, '\\.')} line 2: not valid JSON: `));
    expect(runCli(['score', '--findings', findingsFile]).status).toBe(2);
  });
});
