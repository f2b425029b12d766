import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTBOUND_RULE_ID, RULES_FOLDER, builtinRules, outboundRuleFile, packageRoot } from '../src/rule/builtinRules.js';
import type { RuleDefinition } from '../src/rule/ruleDefinition.js';

const OUTBOUND = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const INBOUND = '10442d8b-0701-4c25-911d-d67b906e713c';
const EDGE = '886c7e51-2ea1-425d-8705-faaca5a64cc6';
const TCP_EDGE = '13f081d6-7052-428a-bbb0-892c79ca7c65';
const UDP_EDGE = '49b7daca-4e3c-4899-ba15-9a175e056fa9';

const zscore = { kind: 'zscore', groupBy: 'k8s.cluster.name', metrics: ['tcp.*', 'udp.*'], window: '1h', span: '10s', baseline: '30d', sigma: 3, minCount: 5, parityStdevIsMean: ['udp.'] };
const entity = { kind: 'new-entity', groupBy: 'k8s.cluster.name', key: ['source.workload.name', 'dest.workload.name'], window: '1h', baseline: '30d' };
const risk = { riskObject: { field: 'host', type: 'system' }, mitreAttackIds: ['T1204'] };

/** The five published detections as read, and ported (risk score 20 for ours: SPEC section 1). */
const PORTED: Record<string, Partial<RuleDefinition> & Record<string, unknown>> = {
  [OUTBOUND]: { ...zscore, ...risk, name: 'Kubernetes Anomalous Outbound Network Activity from Process', version: 7, key: ['source.workload.name', 'source.process.name'], riskScore: 20,
    message: 'Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster $host$' },
  [INBOUND]: { ...zscore, ...risk, name: 'Kubernetes Anomalous Inbound Network Activity from Process', version: 5, key: ['dest.workload.name', 'dest.process.name'], riskScore: 25,
    message: 'Kubernetes Anomalous Inbound Network Activity from Process in kubernetes cluster $host$' },
  [EDGE]: { ...zscore, ...risk, name: 'Kubernetes Anomalous Traffic on Network Edge', version: 5, key: ['source.workload.name', 'dest.workload.name'], riskScore: 25,
    message: 'Kubernetes Anomalous Traffic on Network Edge in kubernetes cluster $host$' },
  [TCP_EDGE]: { ...entity, ...risk, name: 'Kubernetes newly seen TCP edge', version: 7, metrics: ['tcp.packets'], riskScore: 25, message: 'Kubernetes newly seen TCP edge in kubernetes cluster $host$' },
  [UDP_EDGE]: { ...entity, ...risk, name: 'Kubernetes newly seen UDP edge', version: 5, metrics: ['udp.packets'], riskScore: 25, message: 'Kubernetes newly seen UDP edge in kubernetes cluster $host$' },
};

/** `by a b c` of the n-th mstats of a quoted search, and its other clauses. */
function mstats(search: string, n: number): { by: string[]; clause: string } {
  const clause = search.split('mstats ')[n + 1]!.split(/\s\|\s|\n/)[0]!;
  const by = / by ([\w. ]+?)(?: span=\S+)?\s*\]?\s*$/.exec(clause)![1]!.trim().split(/\s+/);
  return { by, clause };
}

describe('built-in rules', () => {
  it('are found from the package root, which holds package.json and rules/', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(readdirSync(join(packageRoot(), RULES_FOLDER)).filter((n) => n.endsWith('.yaml')).length).toBe(builtinRules().length);
  });

  it('are the five detections of the analytic story, the outbound rule first, each valid', () => {
    expect(builtinRules().map((r) => r.id)).toEqual([OUTBOUND, INBOUND, EDGE, TCP_EDGE, UDP_EDGE]);
    expect(outboundRuleFile().id).toBe(OUTBOUND_RULE_ID);
    for (const r of builtinRules()) {
      expect(r.builtin).toBe(true);
      expect(r.file).toMatch(/^rules\/kubernetes_[a-z_]+\.yaml$/);
      expect(r.source).toMatchObject({ repository: 'splunk/security_content', path: `detections/cloud/${r.file.slice(6, -5)}.yml` });
    }
  });

  it('carry the published values as ported', () => {
    for (const r of builtinRules()) expect(r, r.name).toMatchObject(PORTED[r.id]!);
  });

  it('agree with the searches they quote: by-clauses, span, window, baseline, thresholds, the udp quirk, the filter macro', () => {
    for (const r of builtinRules()) {
      const s = r.search!;
      const recent = mstats(s, 0);
      const baseline = mstats(s, 1);
      expect(recent.by, r.name).toEqual([r.groupBy, ...r.key]);
      expect(baseline.by, r.name).toEqual(r.key);
      expect(recent.clause).toContain(`earliest=-${r.window} `);
      expect(baseline.clause).toContain(`earliest=-${r.baseline} latest=-${r.window} `);
      expect(s).toContain(`| rename ${r.groupBy} as host`);
      expect(s).toContain(`| \`${r.file.slice(6, -5)}_filter\``);
      if (r.kind === 'zscore') {
        expect(recent.clause).toContain(`span=${r.span}`);
        expect(recent.clause).toMatch(/^avg\(tcp\.\*\) as tcp\.\* avg\(udp\.\*\) as udp\.\* /);
        expect(s).toContain(`'avg_<<MATCHSTR>>' + ${r.sigma} * 'stdev_<<MATCHSTR>>'`);
        expect(s).toContain(`| where count > ${r.minCount}`);
        expect(s.includes('avg(udp.*) as stdev_udp.*')).toBe(r.parityStdevIsMean.includes('udp.'));
      } else {
        expect(recent.clause).toMatch(new RegExp(`^count\\(${r.metrics[0]!.replace('.', '\\.')}\\) as ${r.metrics[0]!.replace('.', '\\.')}_count `));
        expect(s).toContain('| search current="true" current!="false"');
      }
      expect(r.notes, r.name).toBeTruthy();
    }
  });
});
