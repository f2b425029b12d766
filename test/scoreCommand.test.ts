/** score through the CLI: a small generated dataset, detect, then precision and recall against its labels. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReported } from '../src/evaluate/matchLabel.js';
import type { ScoreReport } from '../src/evaluate/scoreFindings.js';
import type { ScenarioLabel } from '../src/source/generator/generatorTypes.js';
import { parseNdjson, runCli, runCliOk } from './helpers/cli.js';

let tmp: string;
let findingsFile: string;
let labelsFile: string;
let labels: ScenarioLabel[];
let findings: Record<string, string>[];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-score-'));
  const data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', '2026-01-03T00:00:00Z', '--workers', '1', '--quiet']);
  findingsFile = join(tmp, 'findings.ndjson');
  runCliOk(['detect', '--data', data, '--workers', '1', '--format', 'ndjson', '--out', findingsFile, '--quiet']);
  labelsFile = join(data, 'labels.json');
  labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as ScenarioLabel[];
  findings = parseNdjson(readFileSync(findingsFile, 'utf8')) as Record<string, string>[];
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const score = (labelsPath: string): ScoreReport => JSON.parse(runCliOk(['score', '--findings', findingsFile, '--labels', labelsPath, '--format', 'json']).stdout) as ScoreReport;

describe('egress-anomaly score', () => {
  it("agrees with the demo's verdicts on the generator's labels: every scenario as expected", () => {
    const r = score(labelsFile);
    expect(r.scenarios.map((s) => s.scenario)).toEqual(['exfiltration-burst', 'dns-tunnel', 'new-process', 'short-burst']);
    for (const l of labels) expect(isReported(l, findings as never), l.scenario).toBe(l.expectedFinding);
    expect(r.total).toEqual({ labels: 4, truePositives: 2, falsePositives: 0, falseNegatives: 0, trueNegatives: 2, precision: 1, recall: 1 });
    expect(r.unlabelled.falsePositives).toBe(findings.length - 2);
    expect(r.findings).toBe(findings.length);
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
    expect(r.total).toMatchObject({ truePositives: 1, falseNegatives: 1, falsePositives: r.unlabelled.falsePositives, precision: 1 / (1 + r.unlabelled.falsePositives), recall: 0.5 });
  });

  it('prints a table by default', () => {
    const out = runCliOk(['score', '--findings', findingsFile, '--labels', labelsFile]).stdout;
    expect(out).toMatch(/^exfiltration-burst +should fire +1 +1 +0 +0 +1\.000 +1\.000$/m);
    expect(out).toMatch(/^new-process +must not fire +1 +0 +0 +0 +- +-$/m);
    expect(out).toMatch(/^total +4 +2 +0 +0 +1\.000 +1\.000$/m);
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
