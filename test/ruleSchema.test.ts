import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtinRules, packageRoot } from '../src/rule/builtinRules.js';
import { parseRuleFile } from '../src/rule/ruleFile.js';
import { RULE_FIELDS, ruleJsonSchema } from '../src/rule/ruleSchema.js';

const schemaFile = join(packageRoot(), 'rules', 'rule.schema.json');
// strictRequired would look for the kind-dependent required fields inside each then-branch; they are defined at the top.
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

const BASE = {
  id: 's', name: 'S', version: 1, kind: 'zscore', key: ['source.workload.name', 'source.process.name'], group_by: 'k8s.cluster.name',
  metrics: ['tcp.*'], window: '1h', span: '10s', baseline: '30d', sigma: 3, min_count: 5, risk_score: 20,
  risk_object: { field: 'host', type: 'system' }, message: 'in $host$',
};

const accepted = (doc: object): boolean => {
  try {
    parseRuleFile(JSON.stringify(doc), 'x.json');
    return true;
  } catch {
    return false;
  }
};

describe('rules/rule.schema.json', () => {
  it('is what ruleJsonSchema() generates (regenerate with: egress-anomaly rules --schema > rules/rule.schema.json)', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(ruleJsonSchema());
    expect(Object.keys((ruleJsonSchema().properties as object))).toEqual(RULE_FIELDS.map((f) => f.name));
  });

  it('accepts every built-in rule file, as the validator does', () => {
    for (const r of builtinRules()) {
      const ok = validate(parse(readFileSync(join(packageRoot(), r.file), 'utf8')));
      expect(ok, `${r.file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('refuses the documents the validator refuses, and accepts the ones it accepts', () => {
    const cases: [string, object, boolean][] = [
      ['complete', BASE, true],
      ['unknown field', { ...BASE, colour: 'red' }, false],
      ['missing min_count for zscore', { ...BASE, min_count: undefined }, false],
      ['sigma as a string', { ...BASE, sigma: 'three' }, false],
      ['sigma zero', { ...BASE, sigma: 0 }, false],
      ['bad duration', { ...BASE, window: 'an hour' }, false],
      ['bad kind', { ...BASE, kind: 'ratio' }, false],
      ['risk object without type', { ...BASE, risk_object: { field: 'host' } }, false],
      ['unknown nested field', { ...BASE, risk_object: { field: 'host', type: 'system', weight: 1 } }, false],
      ['parity glob that is not a prefix', { ...BASE, parity: { stdev_is_mean: ['*.bytes'] } }, false],
      ['new-entity without zscore fields', { ...BASE, kind: 'new-entity', span: undefined, sigma: undefined, min_count: undefined }, true],
      ['new-entity with sigma', { ...BASE, kind: 'new-entity', span: undefined, min_count: undefined }, false],
      ['empty key', { ...BASE, key: [] }, false],
      ['blank name', { ...BASE, name: '   ' }, false],
      ['bad MITRE id', { ...BASE, mitre_attack_id: ['1204'] }, false],
    ];
    for (const [what, doc, ok] of cases) {
      const plain = JSON.parse(JSON.stringify(doc)) as object;
      expect(validate(plain), `schema: ${what}`).toBe(ok);
      expect(accepted(plain), `validator: ${what}`).toBe(ok);
    }
  });
});
