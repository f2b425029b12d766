/**
 * --rule and --rules: which rule detect and hunt run, checked before any work, and what they refuse
 * (several rules in one run, a key of other than two columns, options a new-entity rule has no use
 * for). Unit tests of the selection, then through the CLI.
 */
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleParamsListOf, type RuleArgs } from '../src/cli/ruleOptions.js';
import { scanRulesOf, selectedRules } from '../src/cli/selectRule.js';
import { shardRulesOf } from '../src/cli/shardCommand.js';
import { UsageError } from '../src/cli/parseOptions.js';
import { runCli, runCliOk } from './helpers/cli.js';
import { closeDuckDB, validRowsSql, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';
import { SITE_EDGE_RULE, SITE_RULE } from './helpers/siteRule.js';

const OUTBOUND = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const INBOUND = '10442d8b-0701-4c25-911d-d67b906e713c';
const EDGE = '886c7e51-2ea1-425d-8705-faaca5a64cc6';
const NEW_TCP = '13f081d6-7052-428a-bbb0-892c79ca7c65';
const NEW_UDP = '49b7daca-4e3c-4899-ba15-9a175e056fa9';
/** The one rule selected; several are every command's (tested below). */
const scanRuleOf = (a: Parameters<typeof scanRulesOf>[0]) => {
  const rules = scanRulesOf(a);
  expect(rules).toHaveLength(1);
  return rules[0];
};
const ruleParamsOf = (a: RuleArgs) => {
  const rules = ruleParamsListOf(a);
  expect(rules).toHaveLength(1);
  return rules[0];
};
/** each built-in rule's key fields, as its findings name them */
const KEYS: Record<string, [string, string]> = {
  [OUTBOUND]: ['source.workload.name', 'source.process.name'],
  [INBOUND]: ['dest.workload.name', 'dest.process.name'],
  [EDGE]: ['source.workload.name', 'dest.workload.name'],
  [NEW_TCP]: ['source.workload.name', 'dest.workload.name'],
  [NEW_UDP]: ['source.workload.name', 'dest.workload.name'],
};
/** A site rule keyed by three columns: valid as a file, but not a key the scan folds. */
const SITE_THREE_KEYS = SITE_RULE.replace('id: acme-outbound-strict', 'id: acme-three').replace('name: ACME outbound, 4 sigma', 'name: ACME three')
  .replace('key: [source.workload.name, source.process.name]', 'key: [source.workload.name, source.process.name, dest.workload.name]');

let tmp: string;
let site: string;
let siteEdge: string;
let bad: string;
let three: string;
let data: string;
let noDestProcess: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-select-'));
  site = join(tmp, 'site.yaml');
  siteEdge = join(tmp, 'edge.yaml');
  bad = join(tmp, 'bad.yaml');
  writeFileSync(site, SITE_RULE);
  writeFileSync(siteEdge, SITE_EDGE_RULE);
  writeFileSync(bad, SITE_RULE.replace('sigma: 4', 'sigma: three'));
  three = join(tmp, 'three.yaml');
  writeFileSync(three, SITE_THREE_KEYS);
  data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', '2026-01-03T00:00:00Z', '--workers', '1', '--quiet']);
  // the outbound rule's columns and dest.workload.name, but no dest.process.name
  noDestProcess = join(tmp, 'no-dest-process', 'data.parquet');
  await writeParquetWithDuckDB(noDestProcess, `SELECT *, 'd' || "source.workload.name" AS "dest.workload.name" FROM (${validRowsSql({ startIso: '2026-01-02T20:00:00Z', rows: 1000, series: 2 })})`);
});
afterAll(() => {
  closeDuckDB();
  rmSync(tmp, { recursive: true, force: true });
});

/** The findings of an ndjson output, one object per line. */
const records = (stdout: string): Record<string, unknown>[] => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
/** A finding without its rule's identity: what a site rule's parameters decide. */
const withoutIdentity = ({ rule_id: _r, risk_score: _s, risk_message: _m, mitre_attack_id: _a, ...rest }: Record<string, unknown>) => rest;

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
    const own = scanRuleOf({ rules: [site] });
    expect(own.kind === 'zscore' ? own.sigma : undefined).toBe(4);
  });

  it('refuse an unknown rule, listing the built-ins and the given ones', () => {
    const m = usage(() => selectedRules({ rule: ['nope'], rules: [site] }));
    expect(m).toMatch(/^--rule: no rule has the id or name "nope"; the built-in rules are dd6afee6-e0a3-4028-a089-f47dd2842c22 \(Kubernetes Anomalous Outbound Network Activity from Process\), /);
    for (const id of ['10442d8b-0701-4c25-911d-d67b906e713c', EDGE, '13f081d6-7052-428a-bbb0-892c79ca7c65', '49b7daca-4e3c-4899-ba15-9a175e056fa9']) expect(m).toContain(id);
    expect(m).toContain(`from --rules: acme-outbound-strict (ACME outbound, 4 sigma, from ${site})`);
  });

  it('run any built-in rule, by id, id prefix or name, and a site\'s new-entity rule', () => {
    expect(scanRuleOf({ rule: [EDGE] }).id).toBe(EDGE);
    expect(scanRuleOf({ rule: [INBOUND.slice(0, 8)] }).id).toBe(INBOUND);
    expect(scanRuleOf({ rule: ['Kubernetes newly seen TCP edge'] }).id).toBe(NEW_TCP);
    const newEdge = scanRuleOf({ rules: [siteEdge] });
    expect([newEdge.id, newEdge.kind]).toEqual(['acme-new-edge', 'new-entity']);
    expect(scanRulesOf({ rule: [EDGE, NEW_TCP, OUTBOUND] }).map((r) => r.id)).toEqual([EDGE, NEW_TCP, OUTBOUND]);
  });

  it('refuse a key of other than two columns; shards refuse rules that need scans of their own', () => {
    const threeKeys = `--rules: acme-three (ACME three, from ${three}) has a key of other than two columns; the scan folds keys of two columns, as every built-in rule has (see "egress-anomaly rules")`;
    expect(usage(() => scanRulesOf({ rules: [three] }))).toBe(threeKeys);
    expect(usage(() => scanRulesOf({ rules: [three] }))).toBe(threeKeys);
    expect(usage(() => scanRulesOf({ rules: [site, three] }))).toMatch(/^--rules: acme-three \(ACME three, from .*\) has a key of other than two columns/);
    const args = (o: Record<string, unknown>) => ({ 'splunk-parity': false, ...o }) as unknown as RuleArgs;
    expect(shardRulesOf(args({ rule: [OUTBOUND, EDGE, NEW_TCP] }), 'detect').map((p) => p.rule?.id)).toEqual([OUTBOUND, EDGE, NEW_TCP]);
    expect(shardRulesOf(args({ rule: [OUTBOUND], rules: [site] }), 'hunt').map((p) => p.rule?.id)).toEqual([OUTBOUND]);
    expect(shardRulesOf(args({ rule: [OUTBOUND, EDGE], 'baseline-model': 'hour-of-day' }), 'hunt')).toHaveLength(2);
    // a new-entity rule reads every baseline row, an hour-of-day one only its hours: two scans
    expect(usage(() => shardRulesOf(args({ rule: [OUTBOUND, NEW_TCP], 'baseline-model': 'hour-of-day' }), 'detect'))).toBe(
      `--rule: detect with shards runs several rules only when they share a window, span, baseline and baseline rows; these do not: ${OUTBOUND} (3600 s, 10 s, 2592000 s, hour-of-day), ` +
      `${NEW_TCP} (3600 s, 10 s, 2592000 s, every baseline row); shard each group of rules into its own --partials`,
    );
  });

  it('give each rule\'s params its rule; a new-entity rule alone refuses the options it has no use for', () => {
    const args = (o: Record<string, unknown>) => ({ 'splunk-parity': false, ...o }) as unknown as RuleArgs;
    expect(ruleParamsOf(args({ rule: [EDGE] })).rule?.id).toBe(EDGE);
    const p = ruleParamsOf(args({ rule: [NEW_TCP] }));
    expect([p.rule?.id, p.windowMs, p.baselineMs]).toEqual([NEW_TCP, 3_600_000, 30 * 86_400_000]);
    for (const [option, value] of [['sigma', '4'], ['min-count', '2'], ['span', '1m'], ['metrics', 'tcp.*']] as const) {
      const message = `--${option}: ${NEW_TCP} (Kubernetes newly seen TCP edge) is kind new-entity, which has no ${option}: it reports keys seen in the window and not in the baseline`;
      expect(usage(() => ruleParamsOf(args({ rule: [NEW_TCP], [option]: value })))).toBe(message);
      expect(usage(() => ruleParamsListOf(args({ rule: [NEW_TCP, NEW_UDP], [option]: value })))).toBe(message);
    }
    // with a zscore rule among them, the zscore options are that rule's, and the new-entity rule ignores them
    const [edge, tcp] = ruleParamsListOf(args({ rule: [EDGE, NEW_TCP], sigma: '4', 'min-count': '2' }));
    expect([edge!.rule?.id, edge!.sigma, edge!.minCount]).toEqual([EDGE, 4, 2]);
    expect([tcp!.rule?.id, tcp!.sigma, tcp!.minCount, tcp!.metricPatterns]).toEqual([NEW_TCP, Infinity, 0, ['tcp.packets']]);
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

  it("a site rule of the outbound rule's shape runs with its own parameters, unless an option overrides them, and its own identity", () => {
    const own = detect('--rules', site);
    expect(own.status).toBe(0);
    const ownFindings = records(own.stdout);
    expect(ownFindings.length).toBeGreaterThan(0);
    const asOptions = records(detect('--sigma', '4', '--min-count', '10', '--metrics', 'tcp.*').stdout);
    expect(ownFindings.map(withoutIdentity)).toEqual(asOptions.map(withoutIdentity));
    expect(ownFindings.map(withoutIdentity)).not.toEqual(records(detect().stdout).map(withoutIdentity));
    for (const f of ownFindings) {
      expect(f).toMatchObject({ rule_id: 'acme-outbound-strict', risk_score: 40, mitre_attack_id: 'T1041', risk_message: `ACME outbound anomaly from ${String(f['source.workload.name'])} in ${String(f.host)}` });
    }
    expect(own.stderr).not.toContain('rules: note');
    expect(own.stderr).not.toContain(OUTBOUND);
    const asDefault = records(detect('--rules', site, '--sigma', '3', '--min-count', '5', '--metrics', 'tcp.*,udp.*').stdout);
    expect(asDefault.map(withoutIdentity)).toEqual(records(detect().stdout).map(withoutIdentity));
    expect(asDefault.every((f) => f.rule_id === 'acme-outbound-strict')).toBe(true);
    // its parity quirks are its own (it declares none), so --splunk-parity runs
    const parity = detect('--rules', site, '--splunk-parity');
    expect(parity.status).toBe(0);
    expect(parity.stdout).toBe(own.stdout); // tcp.* only: no udp metric for a quirk to change
  });

  it('runs the inbound, edge and new-entity rules, each finding keyed by its rule\'s columns', () => {
    let total = 0;
    for (const id of [INBOUND, EDGE, NEW_TCP, NEW_UDP]) {
      const r = detect('--rule', id);
      expect(r.status, id).toBe(0);
      const fs = records(r.stdout);
      total += fs.length;
      for (const f of fs) {
        expect(f.rule_id).toBe(id);
        expect(Object.keys(f).slice(2, 4)).toEqual(KEYS[id]);
      }
    }
    expect(total).toBeGreaterThan(0);
    const hunt = runCli(['hunt', '--data', data, '--from', '2026-01-02T23:00:00Z', '--to', '2026-01-03T00:00:00Z', '--workers', '1', '--format', 'ndjson', '--rule', EDGE]);
    expect(hunt.status, hunt.stderr).toBe(0);
    for (const f of records(hunt.stdout)) expect(f.rule_id).toBe(EDGE);
  });

  it('exit 1 for a rule whose key column the data lacks, naming file and column', () => {
    const plain = runCli(['detect', '--data', noDestProcess, '--workers', '1', '--format', 'ndjson', '--at', '2026-01-03T00:00:00Z']);
    expect(plain.status, plain.stderr).toBe(0); // the outbound rule needs no dest.process.name
    const edge = runCli(['detect', '--data', noDestProcess, '--workers', '1', '--format', 'ndjson', '--at', '2026-01-03T00:00:00Z', '--rule', EDGE]);
    expect(edge.status, edge.stderr).toBe(0); // nor does the edge rule
    const r = runCli(['detect', '--data', noDestProcess, '--workers', '1', '--format', 'ndjson', '--at', '2026-01-03T00:00:00Z', '--rule', INBOUND]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`plan: ${noDestProcess} has no column "dest.process.name"`);
  });

  it('exit 2, with nothing on stdout, for an unknown rule, a broken file, a key of three columns, and options a new-entity rule has no use for', () => {
    const cases: [string[], string][] = [
      [['--rule', 'nope'], '--rule: no rule has the id or name "nope"'],
      [['--rules', bad], `rules: ${bad} line 11: field "sigma" must be a positive number, got "three"`],
      [['--rules', three], 'acme-three (ACME three, from'],
      [['--rule', 'Kubernetes newly seen TCP edge', '--sigma', '4'], `--sigma: ${NEW_TCP} (Kubernetes newly seen TCP edge) is kind new-entity, which has no sigma`],
      [['--rule', NEW_UDP, '--min-count', '1'], '--min-count: '],
      [['--rules', siteEdge, '--span', '1m'], '--span: acme-new-edge'],
    ];
    for (const [args, message] of cases) {
      const r = detect(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
    const shard = runCli(['detect', '--data', data, '--rule', EDGE, '--rule', NEW_TCP, '--baseline-model', 'hour-of-day', '--shard', '0/2', '--partials', join(tmp, 'partials')]);
    expect(shard.status).toBe(2);
    expect(shard.stdout).toBe('');
    expect(shard.stderr).toContain(`--rule: detect with shards runs several rules only when they share a window, span, baseline and baseline rows; these do not: ${EDGE} (`);
    expect(readdirSync(tmp)).not.toContain('partials');
  });

  it('hunt --state runs several rules of several keyings: one store per keying, the same findings from the saved days', () => {
    const state = join(tmp, 'state-rules');
    const hunt = (...args: string[]) => runCli(['hunt', '--data', data, '--from', '2026-01-02T20:00:00Z', '--to', '2026-01-03T00:00:00Z',
      '--format', 'ndjson', '--workers', '2', ...[OUTBOUND, INBOUND, EDGE, NEW_TCP].flatMap((id) => ['--rule', id]), ...args]);
    const plain = hunt('--quiet');
    expect(plain.status, plain.stderr).toBe(0);
    expect(new Set(plain.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { rule_id: string }).rule_id)).size).toBeGreaterThan(1);
    const first = hunt('--state', state);
    const second = hunt('--state', state);
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    expect(first.stdout).toBe(plain.stdout);
    expect(second.stdout).toBe(plain.stdout);
    expect(first.stderr).toMatch(/\(0 days from --state\)/);
    expect(second.stderr).toMatch(/\([1-9]\d* days from --state\)/);
    // the outbound keying's store is the folder itself, as before; the inbound and edge keyings' are subfolders
    const entries = readdirSync(state).sort();
    expect(entries.filter((e) => e.startsWith('keying=')).map((e) => e.replace(/\.[0-9a-f]{8}$/, ''))).toEqual([
      'keying=dest.workload.name+dest.process.name+by+k8s.cluster.name', 'keying=source.workload.name+dest.workload.name+by+k8s.cluster.name',
    ]);
    expect(entries).toContain('manifest.json');
    for (const e of entries.filter((x) => x.startsWith('keying='))) expect(readdirSync(join(state, e))).toContain('manifest.json');
    // a torn day in one keying's store: that day is decoded again for every keying, and the answer holds
    const inbound = join(state, entries.find((e) => e.startsWith('keying=dest.'))!);
    const days = (stderr: string) => Number(/\((\d+) days from --state\)/.exec(stderr)![1]);
    truncateSync(join(inbound, readdirSync(inbound).filter((f) => f.endsWith('.arrow')).sort()[0]!), 100);
    const torn = hunt('--state', state);
    expect(torn.status, torn.stderr).toBe(0);
    expect(torn.stderr).toMatch(/cannot be used: its hash does not match/);
    expect(torn.stdout).toBe(plain.stdout);
    expect(days(torn.stderr)).toBe(days(second.stderr) - 1);
    const healed = hunt('--state', state);
    expect(healed.stdout).toBe(plain.stdout);
    expect(days(healed.stderr)).toBe(days(second.stderr));
  });

  it('hunt runs several rules in one pass: the findings of each rule hunted alone, together, byte for byte', () => {
    const hunt = (...args: string[]) => runCli(['hunt', '--data', data, '--from', '2026-01-02T20:00:00Z', '--to', '2026-01-03T00:00:00Z',
      '--format', 'ndjson', '--quiet', '--workers', '2', ...args]);
    const ids = [OUTBOUND, INBOUND, EDGE, NEW_TCP];
    const alone = ids.map((id) => hunt('--rule', id));
    for (const r of alone) expect(r.status, r.stderr).toBe(0);
    const together = hunt(...ids.flatMap((id) => ['--rule', id]));
    expect(together.status, together.stderr).toBe(0);
    const lines = (t: string) => t.split('\n').filter(Boolean);
    expect(lines(together.stdout).length).toBeGreaterThan(0);
    expect(lines(together.stdout).sort()).toEqual(alone.flatMap((r) => lines(r.stdout)).sort());
    const key = (l: string) => { const o = JSON.parse(l) as Record<string, string>; const v = Object.values(o); return [o.detection_time, o.rule_id, o.host, v[2], v[3]]; };
    const keys = lines(together.stdout).map(key);
    const before = (a: string[], b: string[]) => { const i = a.findIndex((x, j) => x !== b[j]); return i < 0 || a[i] < b[i]; };
    for (let i = 1; i < keys.length; i++) expect(before(keys[i - 1], keys[i]), JSON.stringify([keys[i - 1], keys[i]])).toBe(true);
    expect(new Set(keys.map((k) => k[1])).size).toBeGreaterThan(1);
  });

  it('detect runs several rules at once: the findings of each rule run alone, together, in detection time, rule, host and key order', () => {
    const ids = [OUTBOUND, INBOUND, EDGE, NEW_TCP];
    const alone = ids.map((id) => detect('--rule', id));
    for (const r of alone) expect(r.status, r.stderr).toBe(0);
    const together = detect(...ids.flatMap((id) => ['--rule', id]));
    expect(together.status, together.stderr).toBe(0);
    const lines = (t: string) => t.split('\n').filter(Boolean);
    expect(lines(together.stdout).sort()).toEqual(alone.flatMap((r) => lines(r.stdout)).sort());
    expect(new Set(records(together.stdout).map((f) => f.rule_id)).size).toBeGreaterThan(1);
    const tuple = (f: Record<string, unknown>) => [f.detection_time, f.rule_id, f.host, ...Object.values(f).slice(2, 4)].map(String);
    const byTuple = (a: string[], b: string[]) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1; return 0; };
    const order = records(together.stdout).map(tuple);
    expect(order).toEqual([...order].sort(byTuple));
    expect(together.stderr).toMatch(/ of 4 rules in \d+ scans?; /);
    // a site's zscore and new-entity rules together, with a zscore option: it applies to the zscore rule
    const site2 = detect('--rules', site, '--rules', siteEdge, '--sigma', '5');
    expect(site2.status, site2.stderr).toBe(0);
    expect(records(site2.stdout).every((f) => f.rule_id === 'acme-outbound-strict' || f.rule_id === 'acme-new-edge')).toBe(true);
  });

  it('checks the rules before any data is read', () => {
    const missing = join(tmp, 'no-such-data');
    expect(runCli(['detect', '--data', missing, '--rules', bad]).status).toBe(2);
    expect(runCli(['detect', '--data', missing, '--rules', bad]).stderr).toContain(`rules: ${bad} line 11`);
    expect(runCli(['detect', '--data', missing, '--rules', site]).status).toBe(1);
  });
});
