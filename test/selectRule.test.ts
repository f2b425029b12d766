/**
 * --rule and --rules: which rule detect and hunt run, checked before any work, and what they refuse
 * (the rules the scan does not evaluate yet). Unit tests of the selection, then through the CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRuleOf, selectedRules } from '../src/cli/selectRule.js';
import { UsageError } from '../src/cli/parseOptions.js';
import { runCli, runCliOk } from './helpers/cli.js';
import { SITE_EDGE_RULE, SITE_RULE } from './helpers/siteRule.js';

const OUTBOUND = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const EDGE = '886c7e51-2ea1-425d-8705-faaca5a64cc6';
const NOT_YET = 'is defined but not yet evaluated by the scan';

let tmp: string;
let site: string;
let siteEdge: string;
let bad: string;
let data: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-select-'));
  site = join(tmp, 'site.yaml');
  siteEdge = join(tmp, 'edge.yaml');
  bad = join(tmp, 'bad.yaml');
  writeFileSync(site, SITE_RULE);
  writeFileSync(siteEdge, SITE_EDGE_RULE);
  writeFileSync(bad, SITE_RULE.replace('sigma: 4', 'sigma: three'));
  data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', '2026-01-03T00:00:00Z', '--workers', '1', '--quiet']);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('selectedRules and scanRuleOf', () => {
  it('default to the outbound rule; --rules alone runs its files\' rules; --rule picks by id or name', () => {
    expect(selectedRules({}).map((r) => r.id)).toEqual([OUTBOUND]);
    expect(selectedRules({ rules: [site] }).map((r) => r.id)).toEqual(['acme-outbound-strict']);
    expect(selectedRules({ rule: ['kubernetes anomalous outbound network activity from process', OUTBOUND.toUpperCase()] }).map((r) => r.id)).toEqual([OUTBOUND]);
    expect(selectedRules({ rule: [OUTBOUND], rules: [site] }).map((r) => r.id)).toEqual([OUTBOUND]);
    expect(scanRuleOf({ rules: [site] }).sigma).toBe(4);
  });

  it('refuse an unknown rule, listing the built-ins and the given ones', () => {
    const m = usage(() => selectedRules({ rule: ['nope'], rules: [site] }));
    expect(m).toMatch(/^--rule: no rule has the id or name "nope"; the built-in rules are dd6afee6-e0a3-4028-a089-f47dd2842c22 \(Kubernetes Anomalous Outbound Network Activity from Process\), /);
    for (const id of ['10442d8b-0701-4c25-911d-d67b906e713c', EDGE, '13f081d6-7052-428a-bbb0-892c79ca7c65', '49b7daca-4e3c-4899-ba15-9a175e056fa9']) expect(m).toContain(id);
    expect(m).toContain(`from --rules: acme-outbound-strict (ACME outbound, 4 sigma, from ${site})`);
  });

  it('refuse, saying so, the rules the scan does not evaluate yet, and more than one rule', () => {
    expect(usage(() => scanRuleOf({ rule: [EDGE] }))).toBe(
      `--rule: ${EDGE} (Kubernetes Anomalous Traffic on Network Edge) ${NOT_YET}: today it evaluates only kind zscore keyed by source.workload.name and source.process.name by k8s.cluster.name, as the outbound rule is (see "egress-anomaly rules")`,
    );
    expect(usage(() => scanRuleOf({ rules: [siteEdge] }))).toMatch(new RegExp(`^--rules: acme-new-edge \\(ACME new edge, from .*\\) ${NOT_YET}`));
    expect(usage(() => scanRuleOf({ rule: [OUTBOUND, 'ACME outbound, 4 sigma'], rules: [site] }))).toMatch(/^--rule: 2 rules selected \(.*\); the scan evaluates one rule per run today$/);
  });

  it('turn a broken rule file into a usage error naming file, line and field', () => {
    expect(usage(() => selectedRules({ rules: [bad] }))).toBe(`rules: ${bad} line 11: field "sigma" must be a positive number, got "three"`);
  });
});

describe('detect and hunt with --rule and --rules', () => {
  const detect = (...args: string[]) => runCli(['detect', '--data', data, '--workers', '1', '--format', 'ndjson', ...args]);

  it('the outbound rule by id or by name gives byte-identical output to the default', () => {
    const plain = detect();
    expect(plain.status).toBe(0);
    expect(plain.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(detect('--rule', OUTBOUND).stdout).toBe(plain.stdout);
    expect(detect('--rule', 'KUBERNETES ANOMALOUS OUTBOUND NETWORK ACTIVITY FROM PROCESS').stdout).toBe(plain.stdout);
    expect(detect('--rules', site, '--rule', OUTBOUND).stdout).toBe(plain.stdout);
  });

  it("a site rule of the outbound rule's shape runs with its own parameters, unless an option overrides them, and says what it does not carry", () => {
    const own = detect('--rules', site);
    expect(own.status).toBe(0);
    expect(own.stdout).toBe(detect('--sigma', '4', '--min-count', '10', '--metrics', 'tcp.*').stdout);
    expect(own.stdout).not.toBe(detect().stdout);
    expect(own.stderr).toContain(`rules: note: acme-outbound-strict (ACME outbound, 4 sigma, from ${site}) runs with its own sigma, min count, window, span, baseline and metrics, but its findings carry the outbound rule's rule_id ${OUTBOUND}`);
    expect(detect('--rules', site, '--sigma', '3', '--min-count', '5', '--metrics', 'tcp.*,udp.*').stdout).toBe(detect().stdout);
  });

  it('exit 2, with nothing on stdout, for a rule not evaluated yet, an unknown rule, a broken file, and parity quirks the scan cannot apply', () => {
    const cases: [string[], string][] = [
      [['--rule', 'Kubernetes newly seen TCP edge'], NOT_YET],
      [['--rule', 'nope'], '--rule: no rule has the id or name "nope"'],
      [['--rule', OUTBOUND, '--rule', EDGE], `${EDGE} (Kubernetes Anomalous Traffic on Network Edge) ${NOT_YET}`],
      [['--rules', site, '--splunk-parity'], '--splunk-parity: acme-outbound-strict (ACME outbound, 4 sigma, from'],
      [['--rules', bad], `rules: ${bad} line 11: field "sigma" must be a positive number, got "three"`],
    ];
    for (const [args, message] of cases) {
      const r = detect(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
    const hunt = runCli(['hunt', '--data', data, '--from', '2026-01-02T23:00:00Z', '--to', '2026-01-03T00:00:00Z', '--rule', EDGE]);
    expect(hunt.status).toBe(2);
    expect(hunt.stderr).toContain(NOT_YET);
  });

  it('checks the rules before any data is read', () => {
    const missing = join(tmp, 'no-such-data');
    expect(runCli(['detect', '--data', missing, '--rules', bad]).status).toBe(2);
    expect(runCli(['detect', '--data', missing, '--rules', bad]).stderr).toContain(`rules: ${bad} line 11`);
    expect(runCli(['detect', '--data', missing, '--rules', site]).status).toBe(1);
  });
});
