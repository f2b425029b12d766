import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RuleFileError, parseRuleFile, readRuleFile } from '../src/rule/ruleFile.js';

/** A complete site rule, one field a line: line numbers below count from here. */
const SITE = [
  'id: acme-outbound-strict', //             1
  'name: ACME outbound, 4 sigma', //          2
  'version: 1', //                            3
  'kind: zscore', //                          4
  'key: [source.workload.name, source.process.name]', // 5
  'group_by: k8s.cluster.name', //            6
  "metrics: ['tcp.*']", //                    7
  'window: 1h', //                            8
  'span: 10s', //                             9
  'baseline: 30d', //                         10
  'sigma: 4', //                              11
  'min_count: 10', //                         12
  'risk_score: 40', //                        13
  'risk_object: { field: host, type: system }', // 14
  'message: ACME outbound anomaly from $source.workload.name$ in $host$', // 15
  'mitre_attack_id: [T1041]', //              16
];

const text = (lines: string[]) => `${lines.join('\n')}\n`;
const withLine = (n: number, line: string) => SITE.map((l, i) => (i === n - 1 ? line : l));
const without = (n: number) => SITE.filter((_, i) => i !== n - 1);
const error = (lines: string[]) => {
  try {
    parseRuleFile(text(lines), 'rules/site.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(RuleFileError);
    return (e as Error).message;
  }
  throw new Error('expected the rule file to be refused');
};

describe('parseRuleFile', () => {
  it('reads a valid site rule into its definition', () => {
    const r = parseRuleFile(text(SITE), 'rules/site.yaml');
    expect(r).toMatchObject({
      id: 'acme-outbound-strict', name: 'ACME outbound, 4 sigma', version: 1, kind: 'zscore',
      key: ['source.workload.name', 'source.process.name'], groupBy: 'k8s.cluster.name', metrics: ['tcp.*'],
      window: '1h', windowMs: 3_600_000, span: '10s', spanMs: 10_000, baseline: '30d', baselineMs: 2_592_000_000,
      sigma: 4, minCount: 10, riskScore: 40, riskObject: { field: 'host', type: 'system' },
      message: 'ACME outbound anomaly from $source.workload.name$ in $host$', mitreAttackIds: ['T1041'],
      parityStdevIsMean: [], file: 'rules/site.yaml', builtin: false, lines: { id: 1, name: 2 },
    });
  });

  it('reads the same rule written as JSON', () => {
    const json = JSON.stringify({
      id: 'j', name: 'J', version: 2, kind: 'new-entity', key: ['source.workload.name', 'dest.workload.name'], group_by: 'k8s.cluster.name',
      metrics: ['tcp.packets'], window: '1h', baseline: '30d', risk_score: 25, risk_object: { field: 'host', type: 'system' },
      message: 'new edge in $host$ ($tcp.packets_count$ points)',
    }, null, 2);
    expect(parseRuleFile(json, 'site.json')).toMatchObject({ kind: 'new-entity', version: 2, mitreAttackIds: [] });
    expect(() => parseRuleFile(json.replace('"version": 2', '"version": "2"'), 'site.json')).toThrow('rules: site.json line 4: field "version" must be a whole number of 1 or more, got "2"');
  });

  it('a wrong type names the file, the line, the field and the value', () => {
    expect(error(withLine(11, 'sigma: three'))).toBe('rules: rules/site.yaml line 11: field "sigma" must be a positive number, got "three"');
    expect(error(withLine(11, 'sigma: -1'))).toBe('rules: rules/site.yaml line 11: field "sigma" must be a positive number, got -1');
    expect(error(withLine(12, 'min_count: 2.5'))).toBe('rules: rules/site.yaml line 12: field "min_count" must be a whole number of 0 or more, got 2.5');
    expect(error(withLine(8, 'window: an hour'))).toBe('rules: rules/site.yaml line 8: field "window" must be a duration of whole milliseconds such as 10s, 1h or 30d, got "an hour"');
    expect(error(withLine(4, 'kind: ratio'))).toBe('rules: rules/site.yaml line 4: field "kind" must be one of zscore, new-entity, got "ratio"');
    expect(error(withLine(13, 'risk_score: 101'))).toBe('rules: rules/site.yaml line 13: field "risk_score" must be a whole number from 0 to 100, got 101');
    expect(error(withLine(7, 'metrics: tcp.*'))).toBe('rules: rules/site.yaml line 7: field "metrics" must be a list, got "tcp.*"');
    expect(error(withLine(16, 'mitre_attack_id: [T1041, "1204"]'))).toBe('rules: rules/site.yaml line 16: field "mitre_attack_id" item 2 must be a MITRE ATT&CK technique id such as T1204 or T1059.001, got "1204"');
    expect(error(withLine(14, 'risk_object: { field: host, type: computer }'))).toBe('rules: rules/site.yaml line 14: field "risk_object.type" must be one of system, user, other, got "computer"');
    expect(error(withLine(11, 'sigma:'))).toBe('rules: rules/site.yaml line 11: field "sigma" must be a positive number, got an empty value');
  });

  it('an unknown field is an error, at any depth', () => {
    expect(error([...SITE.slice(0, 3), 'colour: red', ...SITE.slice(3)])).toMatch(/^rules: rules\/site\.yaml line 4: unknown field "colour" \(a rule has id, name, version, kind,/);
    expect(error(withLine(14, 'risk_object: { field: host, type: system, weight: 2 }'))).toBe('rules: rules/site.yaml line 14: unknown field "risk_object.weight" ("risk_object" has field, type)');
  });

  it('a missing field is an error, with the kind that needs it', () => {
    expect(error(without(2))).toBe('rules: rules/site.yaml line 1: missing required field "name"');
    expect(error(without(12))).toBe('rules: rules/site.yaml line 1: missing required field "min_count" (kind "zscore")');
    expect(error(withLine(14, 'risk_object: { field: host }'))).toBe('rules: rules/site.yaml line 14: missing required field "risk_object.type"');
  });

  it('a field of the other kind is an error', () => {
    const entity = withLine(4, 'kind: new-entity').filter((l) => !/^(sigma|min_count):/.test(l));
    expect(error(entity)).toBe('rules: rules/site.yaml line 9: field "span" is not used by kind "new-entity"');
  });

  it('a placeholder a finding does not have, or a broken one, is an error at load time', () => {
    expect(error(withLine(15, 'message: anomaly in $cluster$'))).toBe(
      'rules: rules/site.yaml line 15: field "message" names $cluster$, which is not a field of its findings (findings of this rule have $host$, $source.workload.name$, $source.process.name$, $count$)',
    );
    expect(error(withLine(15, 'message: anomaly in $host'))).toBe('rules: rules/site.yaml line 15: field "message" has a "$" at character 12 with no closing "$" (placeholders are written $field$)');
    expect(error(withLine(14, 'risk_object: { field: cluster, type: system }'))).toMatch(/^rules: rules\/site\.yaml line 14: field "risk_object\.field" names "cluster", which is not a field of its findings/);
  });

  it('bad YAML, duplicate fields and a non-mapping name the line', () => {
    expect(error(withLine(5, 'key: [source.workload.name, source.process.name'))).toBe(
      'rules: rules/site.yaml line 6: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    expect(error([...SITE, 'sigma: 5'])).toBe('rules: rules/site.yaml line 17: not valid YAML: Map keys must be unique');
    expect(error(['- just', '- a list'])).toBe('rules: rules/site.yaml line 1: a rule file must be a mapping of fields, got a list');
    expect(error([''])).toBe('rules: rules/site.yaml line 1: a rule file must be a mapping of fields, got nothing');
    expect(error([...SITE, '---', 'id: second'])).toMatch(/^rules: rules\/site\.yaml line 17: not valid YAML: Source contains multiple documents/);
    expect(error(withLine(11, 'sigma: !!js/function "() => 3"'))).toMatch(/^rules: rules\/site\.yaml line 11: not valid YAML: /);
  });

  it('checks values against each other', () => {
    expect(error(withLine(10, 'baseline: 1h'))).toBe('rules: rules/site.yaml line 10: field "baseline" (1h) must be longer than "window" (1h)');
    expect(error(withLine(9, 'span: 2h'))).toBe('rules: rules/site.yaml line 9: field "span" (2h) must not be longer than "window" (1h)');
    expect(error(withLine(6, 'group_by: source.workload.name'))).toBe('rules: rules/site.yaml line 6: field "group_by" (source.workload.name) is also in "key"');
    expect(error(withLine(5, 'key: [source.workload.name, source.workload.name]'))).toBe('rules: rules/site.yaml line 5: field "key" lists "source.workload.name" twice');
  });
});

describe('readRuleFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'egress-rulefile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and names an unreadable one', () => {
    const path = join(dir, 'site.yaml');
    writeFileSync(path, text(SITE));
    expect(readRuleFile(path).id).toBe('acme-outbound-strict');
    expect(() => readRuleFile(join(dir, 'missing.yaml'))).toThrow(`rules: cannot read ${join(dir, 'missing.yaml')}: ENOENT`);
  });
});
