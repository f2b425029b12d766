import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rule/builtinRules.js';
import { RuleCatalog } from '../src/rule/ruleCatalog.js';
import { RuleFileError, parseRuleFile } from '../src/rule/ruleFile.js';

const site = (id: string, name: string) => parseRuleFile([
  '# a site rule', `id: ${id}`, `name: ${name}`, 'version: 1', 'kind: new-entity', 'key: [source.workload.name, dest.workload.name]',
  'group_by: k8s.cluster.name', 'metrics: [tcp.packets]', 'window: 1h', 'baseline: 7d', 'risk_score: 10',
  'risk_object: { field: host, type: system }', 'message: new edge in $host$',
].join('\n'), 'site.yaml');

describe('RuleCatalog', () => {
  it('holds the built-ins, then the site rules', () => {
    const c = new RuleCatalog(builtinRules(), [site('acme-1', 'ACME one')]);
    expect(c.all.map((r) => r.id)).toEqual([...builtinRules().map((r) => r.id), 'acme-1']);
    expect(RuleCatalog.load([]).all).toEqual(builtinRules());
  });

  it('finds a rule by id or name, whatever the case', () => {
    const c = new RuleCatalog(builtinRules(), [site('acme-1', 'ACME one')]);
    expect(c.find('DD6AFEE6-E0A3-4028-A089-F47DD2842C22')?.name).toBe('Kubernetes Anomalous Outbound Network Activity from Process');
    expect(c.find('kubernetes newly seen udp edge')?.id).toBe('49b7daca-4e3c-4899-ba15-9a175e056fa9');
    expect(c.find(' acme one ')?.id).toBe('acme-1');
    expect(c.find('Kubernetes')).toBeUndefined();
  });

  it('finds a rule by a prefix of its id of 8 characters or more, when one rule alone has it; an exact id or name first', () => {
    const c = new RuleCatalog(builtinRules(), [site('acme-1234-a', 'ACME a'), site('acme-1234-b', 'ACME b'), site('886c7e51', 'exactly a prefix')]);
    expect(c.find('10442D8B')?.id).toBe('10442d8b-0701-4c25-911d-d67b906e713c');
    expect(c.find('13f081d6-7052')?.id).toBe('13f081d6-7052-428a-bbb0-892c79ca7c65');
    expect(c.find('10442d8')).toBeUndefined(); // 7 characters: too short
    expect(c.find('acme-1234')).toBeUndefined(); // two rules have it
    expect(c.find('acme-1234-b')?.name).toBe('ACME b');
    expect(c.find('886c7e51')?.name).toBe('exactly a prefix'); // the site rule's exact id, not the edge rule's prefix
    expect(c.find('886c7e51-')?.id).toBe('886c7e51-2ea1-425d-8705-faaca5a64cc6');
    expect(c.find('Kubernetes Anomalous')).toBeUndefined(); // names are never matched by prefix
  });

  it('refuses an id or a name that is already taken, naming both files and the line', () => {
    expect(() => new RuleCatalog(builtinRules(), [site('13F081D6-7052-428a-bbb0-892c79ca7c65', 'mine')])).toThrow(
      'rules: site.yaml line 2: id "13F081D6-7052-428a-bbb0-892c79ca7c65" is already the id of rules/kubernetes_newly_seen_tcp_edge.yaml (ids and names must be unique, whatever their case)',
    );
    expect(() => new RuleCatalog(builtinRules(), [site('a', 'x'), site('b', 'X')])).toThrow('rules: site.yaml line 3: name "X" is already the name of site.yaml');
    expect(() => new RuleCatalog([], [site('a', 'x'), site('a', 'y')])).toThrow(RuleFileError);
  });
});
