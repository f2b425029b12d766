import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, runCliOk } from './helpers/cli.js';
import { SITE_EDGE_RULE, SITE_RULE } from './helpers/siteRule.js';

const IDS = [
  'dd6afee6-e0a3-4028-a089-f47dd2842c22', '10442d8b-0701-4c25-911d-d67b906e713c', '886c7e51-2ea1-425d-8705-faaca5a64cc6',
  '13f081d6-7052-428a-bbb0-892c79ca7c65', '49b7daca-4e3c-4899-ba15-9a175e056fa9',
];

let tmp: string;
let site: string;
let edge: string;
let three: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-rules-'));
  site = join(tmp, 'site.yaml');
  edge = join(tmp, 'edge.yaml');
  writeFileSync(site, SITE_RULE);
  writeFileSync(edge, SITE_EDGE_RULE);
  three = join(tmp, 'three.yaml');
  writeFileSync(three, SITE_RULE.replace('id: acme-outbound-strict', 'id: acme-three').replace('name: ACME outbound, 4 sigma', 'name: ACME three')
    .replace('key: [source.workload.name, source.process.name]', 'key: [source.workload.name, source.process.name, dest.workload.name]'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('egress-anomaly rules', () => {
  it('lists the built-in rules with kind, key and metrics, and says which the scan evaluates: every one', () => {
    const lines = runCliOk(['rules']).stdout.split('\n');
    expect(lines[0]).toMatch(/^ID +KIND +KEY +METRICS +EVALUATED +NAME$/);
    expect(lines[1]).toMatch(/^dd6afee6-e0a3-4028-a089-f47dd2842c22 +zscore +source\.workload\.name \+ source\.process\.name by k8s\.cluster\.name +tcp\.\*,udp\.\* +yes +Kubernetes Anomalous Outbound Network Activity from Process$/);
    expect(lines[2]).toMatch(/^10442d8b-0701-4c25-911d-d67b906e713c +zscore +dest\.workload\.name \+ dest\.process\.name by k8s\.cluster\.name +tcp\.\*,udp\.\* +yes +Kubernetes Anomalous Inbound Network Activity from Process$/);
    expect(lines[4]).toMatch(/^13f081d6-7052-428a-bbb0-892c79ca7c65 +new-entity +source\.workload\.name \+ dest\.workload\.name by k8s\.cluster\.name +tcp\.packets +yes +Kubernetes newly seen TCP edge$/);
    expect(lines.slice(1, 6).filter((l) => / yes /.test(l))).toHaveLength(5);
    expect(lines.slice(1, 6).filter((l) => / not yet /.test(l))).toHaveLength(0);
  });

  it('marks "not yet" a site rule whose key is not of two columns', () => {
    const lines = runCliOk(['rules', '--rules', three]).stdout.split('\n');
    expect(lines[6]).toMatch(/^acme-three +zscore +source\.workload\.name \+ source\.process\.name \+ dest\.workload\.name by k8s\.cluster\.name +tcp\.\* +not yet +ACME three \(/);
    expect(lines.slice(1, 7).filter((l) => / not yet /.test(l))).toHaveLength(1);
    expect(lines.join('\n')).toContain('A rule marked "not yet" (a key of other than two columns) is defined');
  });

  it('--format json, with the rules of --rules after the built-ins', () => {
    const rules = JSON.parse(runCliOk(['rules', '--rules', site, '--format', 'json']).stdout) as Record<string, unknown>[];
    expect(rules.map((r) => r.id)).toEqual([...IDS, 'acme-outbound-strict']);
    expect(rules.map((r) => r.evaluated)).toEqual([true, true, true, true, true, true]);
    const withThree = JSON.parse(runCliOk(['rules', '--rules', three, '--format', 'json']).stdout) as Record<string, unknown>[];
    expect(withThree.map((r) => [r.id, r.evaluated])).toEqual([...IDS.map((id) => [id, true]), ['acme-three', false]]);
    expect(rules[5]).toMatchObject({ kind: 'zscore', sigma: 4, minCount: 10, metrics: ['tcp.*'], file: site, builtin: false });
    expect(rules[3]).toMatchObject({ kind: 'new-entity', key: ['source.workload.name', 'dest.workload.name'], groupBy: 'k8s.cluster.name', riskScore: 25 });
    expect(rules[3]).not.toHaveProperty('sigma');
  });

  it('--check says whether a valid file is evaluated today, and refuses a broken one with exit 2', () => {
    expect(runCliOk(['rules', '--check', site, '--check', edge, '--check', three]).stdout).toBe(
      `${site}: ok: acme-outbound-strict "ACME outbound, 4 sigma", zscore, key source.workload.name + source.process.name by k8s.cluster.name; detect and hunt evaluate it\n` +
      `${edge}: ok: acme-new-edge "ACME new edge", new-entity, key source.workload.name + dest.workload.name by k8s.cluster.name; detect and hunt evaluate it\n` +
      `${three}: ok: acme-three "ACME three", zscore, key source.workload.name + source.process.name + dest.workload.name by k8s.cluster.name; defined, not yet evaluated by the scan\n`,
    );
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, SITE_RULE.replace('message: ACME outbound anomaly from $source.workload.name$ in $host$', 'message: anomaly in $cluster$'));
    const r = runCli(['rules', '--check', bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`egress-anomaly: rules: ${bad} line 15: field "message" names $cluster$, which is not a field of its findings (findings of this rule have $host$, $source.workload.name$, $source.process.name$, $count$)\n`);
  });

  it('--schema prints rules/rule.schema.json', () => {
    expect(runCliOk(['rules', '--schema']).stdout).toBe(readFileSync(join(ROOT, 'rules', 'rule.schema.json'), 'utf8'));
  });
});
