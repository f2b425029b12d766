import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFinding, type Finding } from '../src/evaluate/finding.js';
import { Suppressions, loadSuppressions, parseSuppressions } from '../src/evaluate/suppressions.js';
import { builtinRules } from '../src/rule/builtinRules.js';
import type { RuleDefinition } from '../src/rule/ruleDefinition.js';

const tmp = mkdtempSync(join(tmpdir(), 'egress-suppressions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T = Date.UTC(2026, 0, 31, 12);

/** An outbound finding of (host, workload, process). */
const f = (host: string, workload: string, process: string): Finding => makeFinding(T, host, workload, process, 6, ['m']);

const ruleById = (id: string): RuleDefinition => {
  const r = builtinRules().find((x) => x.id === id);
  if (!r) throw new Error(`no built-in rule ${id}`);
  return r;
};
const OUTBOUND_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const INBOUND = ruleById('10442d8b-0701-4c25-911d-d67b906e713c');
const EDGE = ruleById('886c7e51-2ea1-425d-8705-faaca5a64cc6');
const EXPECTED = '(expected host, workload, process, rule, reason or a key column such as dest.workload.name)';

function parseError(text: string, path = 'rules.txt'): string {
  expect(() => parseSuppressions(text, path)).toThrow();
  try {
    parseSuppressions(text, path);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('line format', () => {
  it('reads fields, globs, comments and blank lines', () => {
    const s = parseSuppressions(
      [
        '# site suppressions',
        '',
        'host=prod-eu-* workload=coredns   # DNS is noisy here',
        '   ',
        'process=java?',
        'host=lab workload=batch-* process=python reason=nightly-batch',
        '\t# indented comment',
      ].join('\n'),
      'rules.txt',
    );
    expect(s.rules).toEqual([
      { host: 'prod-eu-*', workload: 'coredns' },
      { process: 'java?' },
      { host: 'lab', workload: 'batch-*', process: 'python', reason: 'nightly-batch' },
    ]);
  });

  it('accepts CRLF line endings', () => {
    const s = parseSuppressions('host=a\r\nworkload=b\r\n', 'rules.txt');
    expect(s.rules).toEqual([{ host: 'a' }, { workload: 'b' }]);
  });

  it('an empty or comment-only file has no rules and suppresses nothing', () => {
    for (const text of ['', '\n\n', '# nothing yet\n']) {
      const s = parseSuppressions(text, 'rules.txt');
      expect(s.rules).toEqual([]);
      expect(s.matches(f('h', 'w', 'p'))).toBe(false);
    }
  });

  it('rejects an unknown field, naming the file, the line and the field', () => {
    const msg = parseError('host=a\ncluster=prod\n');
    expect(msg).toContain('rules.txt line 2');
    expect(msg).toContain('unknown field "cluster"');
  });

  it('rejects a part that is not field=glob', () => {
    expect(parseError('host=a workload\n')).toMatch(/rules\.txt line 1: expected field=glob, got "workload"/);
    expect(parseError('=a\n')).toMatch(/rules\.txt line 1: expected field=glob, got "=a"/);
  });

  it('rejects a rule that names none of host, workload, process or a key column', () => {
    expect(parseError('reason=because\n')).toMatch(/rules\.txt line 1: a rule must name host, workload, process or a key column/);
  });

  it('rejects __proto__ and other Object.prototype names as unknown fields, as the JSON form does', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(parseError(`host=a ${key}=x\n`), key).toBe(`suppress: rules.txt line 1: unknown field "${key}" ${EXPECTED}`);
    }
    expect(parseError('__proto__=x\n')).toContain('unknown field "__proto__"');
  });

  it('rejects a field given twice on one line', () => {
    expect(parseError('host=a host=b\n')).toBe('suppress: rules.txt line 1: field "host" given twice');
  });

  it('cuts long values short in errors: the first 80 characters and an ellipsis', () => {
    const long = 'y'.repeat(10 * 1024 * 1024);
    expect(parseError(`# ok\n${long}\n`)).toBe(`suppress: rules.txt line 2: expected field=glob, got "${'y'.repeat(80)}…"`);
    expect(parseError(`${long}=x\n`)).toBe(`suppress: rules.txt line 1: unknown field "${'y'.repeat(80)}…" ${EXPECTED}`);
    expect(parseError('y'.repeat(80))).toContain(`got "${'y'.repeat(80)}"`); // exactly 80: whole, no ellipsis
  });

  it('takes a 10 MB glob full of regular-expression syntax as data', () => {
    const glob = `prod-${'(a+)+[*'.repeat(1_000_000)}`;
    const s = parseSuppressions(`host=${glob}\n`, 'rules.txt');
    expect(s.rules).toEqual([{ host: glob }]);
    expect(s.matches(f(glob.replaceAll('*', ''), 'w', 'p'))).toBe(true);
    expect(s.matches(f(glob.replaceAll('*', '-'), 'w', 'p'))).toBe(true);
    expect(s.matches(f('prod-(a+)+[', 'w', 'p'))).toBe(false);
    expect(s.matches(f('prod-x', 'w', 'p'))).toBe(false);
  });
});

describe('JSON format', () => {
  it('reads an array of rules, with leading whitespace and reasons', () => {
    const s = parseSuppressions(
      '\n  [{"host": "prod-*", "reason": "known"}, {"workload": "api", "process": "node"}]\n',
      'rules.json',
    );
    expect(s.rules).toEqual([{ host: 'prod-*', reason: 'known' }, { workload: 'api', process: 'node' }]);
    expect(s.matches(f('prod-1', 'x', 'y'))).toBe(true);
    expect(s.matches(f('dev', 'api', 'node'))).toBe(true);
    expect(s.matches(f('dev', 'api', 'java'))).toBe(false);
  });

  it('an empty array has no rules', () => {
    expect(parseSuppressions('[]', 'rules.json').rules).toEqual([]);
  });

  it('rejects invalid JSON, naming the file', () => {
    const msg = parseError('[{"host": }]', 'rules.json');
    expect(msg).toMatch(/^suppress: rules\.json is not valid JSON: /);
  });

  it('rejects an unknown field, naming the entry', () => {
    const msg = parseError('[{"host": "a"}, {"namespace": "kube-system"}]', 'rules.json');
    expect(msg).toContain('rules.json entry 2');
    expect(msg).toContain('unknown field "namespace"');
  });

  it('rejects "__proto__" as an unknown field', () => {
    expect(parseError('[{"host": "a", "__proto__": "x"}]', 'r.json')).toBe(`suppress: r.json entry 1: unknown field "__proto__" ${EXPECTED}`);
  });

  it('rejects JSON that is not an array of rules, and cuts a long parse error short', () => {
    expect(parseError('[1] [2]', 'r.json')).toMatch(/^suppress: r\.json is not valid JSON: /);
    const msg = parseError(`[${'"x",'.repeat(3_000_000)}}]`, 'r.json');
    expect(msg.length).toBeLessThan(200);
    expect(msg).toMatch(/^suppress: r\.json is not valid JSON: /);
  });

  it('rejects entries that are not objects and fields that are not strings', () => {
    expect(parseError('["host=a"]', 'r.json')).toMatch(/r\.json entry 1: expected an object/);
    expect(parseError('[null]', 'r.json')).toMatch(/r\.json entry 1: expected an object/);
    expect(parseError('[[]]', 'r.json')).toMatch(/r\.json entry 1: expected an object/);
    expect(parseError('[{"host": 7}]', 'r.json')).toMatch(/r\.json entry 1: field "host" must be a string/);
    expect(parseError('[{}]', 'r.json')).toMatch(/r\.json entry 1: a rule must name host, workload, process or a key column/);
  });

  it('never evaluates the content as code', () => {
    const s = parseSuppressions('[{"host": "${process.exit(1)}"}, {"workload": "constructor"}]', 'r.json');
    expect(s.matches(f('${process.exit(1)}', 'w', 'p'))).toBe(true);
    expect(s.matches(f('h', 'constructor', 'p'))).toBe(true);
    expect(s.matches(f('h', 'toString', 'p'))).toBe(false);
  });
});

describe('matches', () => {
  it('requires every field a rule names to match; unnamed fields match anything', () => {
    const s = new Suppressions([{ host: 'prod', workload: 'api' }]);
    expect(s.matches(f('prod', 'api', 'anything'))).toBe(true);
    expect(s.matches(f('prod', 'web', 'anything'))).toBe(false);
    expect(s.matches(f('dev', 'api', 'anything'))).toBe(false);
  });

  it('matches whole names exactly, case-sensitively', () => {
    const s = new Suppressions([{ workload: 'api' }]);
    expect(s.matches(f('h', 'api', 'p'))).toBe(true);
    expect(s.matches(f('h', 'api-2', 'p'))).toBe(false);
    expect(s.matches(f('h', 'my-api', 'p'))).toBe(false);
    expect(s.matches(f('h', 'API', 'p'))).toBe(false);
  });

  it('supports * (any run, including empty) and ? (exactly one character)', () => {
    const s = new Suppressions([{ host: 'prod-*-1' }, { process: 'java?' }]);
    expect(s.matches(f('prod-eu-west-1', 'w', 'p'))).toBe(true);
    expect(s.matches(f('prod--1', 'w', 'p'))).toBe(true);
    expect(s.matches(f('prod-eu-west-2', 'w', 'p'))).toBe(false);
    expect(s.matches(f('h', 'w', 'java8'))).toBe(true);
    expect(s.matches(f('h', 'w', 'java'))).toBe(false);
    expect(s.matches(f('h', 'w', 'java17'))).toBe(false);
    const all = new Suppressions([{ host: '*' }]);
    expect(all.matches(f('', 'w', 'p'))).toBe(true);
    expect(all.matches(f('line1\nline2', 'w', 'p'))).toBe(true);
  });

  it('treats regular-expression metacharacters in names literally', () => {
    const cases: [string, string, string][] = [
      // [glob, matching name, name a regex reading would wrongly match]
      ['api.v1', 'api.v1', 'apixv1'],
      ['a+b', 'a+b', 'aab'],
      ['(x)', '(x)', 'x'],
      ['[abc]', '[abc]', 'a'],
      ['^start', '^start', 'start'],
      ['end$', 'end$', 'end'],
      ['a|b', 'a|b', 'a'],
      ['x{2}', 'x{2}', 'xx'],
      ['back\\slash', 'back\\slash', 'backslash'],
      ['dot.*', 'dot.anything', 'dotanything'],
    ];
    for (const [glob, good, bad] of cases) {
      const s = new Suppressions([{ workload: glob }]);
      expect(s.matches(f('h', good, 'p')), `${glob} vs ${good}`).toBe(true);
      expect(s.matches(f('h', bad, 'p')), `${glob} vs ${bad}`).toBe(false);
    }
  });

  it('counts matches per rule in `matched`, crediting the first rule that matches', () => {
    const s = parseSuppressions('host=prod-*\nworkload=api\n# comment\nprocess=never-seen\n', 'r.txt');
    expect(s.matched.size).toBe(0);
    expect(s.matches(f('prod-1', 'api', 'node'))).toBe(true); // rules 0 and 1 both match: rule 0 counts
    expect(s.matches(f('prod-2', 'web', 'node'))).toBe(true);
    expect(s.matches(f('dev', 'api', 'node'))).toBe(true);
    expect(s.matches(f('dev', 'web', 'node'))).toBe(false);
    expect(s.matched.get(0)).toBe(2);
    expect(s.matched.get(1)).toBe(1);
    expect(s.matched.get(2)).toBeUndefined();
    expect([...s.matched.values()].reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('rules and key columns', () => {
  it('reads rule= and key columns by name, in both forms', () => {
    const s = parseSuppressions('rule=10442d8b-* dest.workload.name=db* reason=known\nsource.process.name=java\n', 'r.txt');
    expect(s.rules).toEqual([{ rule: '10442d8b-*', 'dest.workload.name': 'db*', reason: 'known' }, { 'source.process.name': 'java' }]);
    const j = parseSuppressions('[{"rule": "886c7e51-2ea1-425d-8705-faaca5a64cc6", "dest.workload.name": "kube-dns"}]', 'r.json');
    expect(j.rules).toEqual([{ rule: '886c7e51-2ea1-425d-8705-faaca5a64cc6', 'dest.workload.name': 'kube-dns' }]);
  });

  it('rejects a rule that names only rule= (and a reason): it would drop every finding of the rule', () => {
    expect(parseError('rule=10442d8b-*\n')).toBe('suppress: rules.txt line 1: a rule must name host, workload, process or a key column');
    expect(parseError('[{"rule": "*", "reason": "all"}]', 'r.json')).toBe('suppress: r.json entry 1: a rule must name host, workload, process or a key column');
  });

  it('rejects a field that is neither known nor dotted like a column name', () => {
    for (const key of ['dest', '.dest', 'dest.', 'dest..name', 'dest workload']) {
      expect(parseError(`[${JSON.stringify({ [key]: 'x' })}]`, 'r.json'), key).toBe(`suppress: r.json entry 1: unknown field "${key}" ${EXPECTED}`);
    }
  });

  it('rule= matches the finding\'s rule id by glob, together with the other fields', () => {
    const s = new Suppressions([{ rule: '10442d8b-*', host: 'prod' }]);
    expect(s.matches(makeFinding(T, 'prod', 'db', 'postgres', 6, ['m'], INBOUND))).toBe(true);
    expect(s.matches(makeFinding(T, 'dev', 'db', 'postgres', 6, ['m'], INBOUND))).toBe(false);
    expect(s.matches(f('prod', 'db', 'postgres'))).toBe(false); // the outbound rule's finding, same host and key values
    expect(new Suppressions([{ rule: OUTBOUND_ID, host: '*' }]).matches(f('prod', 'db', 'postgres'))).toBe(true);
  });

  it('a key column matches that key field of any rule that has it, and never a finding without it', () => {
    const s = new Suppressions([{ 'dest.workload.name': 'kube-dns' }]);
    expect(s.matches(makeFinding(T, 'c', 'api', 'kube-dns', 6, ['m'], EDGE))).toBe(true); // edge: source.workload.name, dest.workload.name
    expect(s.matches(makeFinding(T, 'c', 'kube-dns', 'coredns', 6, ['m'], INBOUND))).toBe(true); // inbound: dest.workload.name first
    expect(s.matches(makeFinding(T, 'c', 'kube-dns', 'api', 6, ['m'], EDGE))).toBe(false); // kube-dns is the source here
    expect(s.matches(f('c', 'kube-dns', 'kube-dns'))).toBe(false); // the outbound rule has no dest.workload.name
    const proc = new Suppressions([{ 'dest.process.name': 'post*' }]);
    expect(proc.matches(makeFinding(T, 'c', 'db', 'postgres', 6, ['m'], INBOUND))).toBe(true);
    expect(proc.matches(makeFinding(T, 'c', 'db', 'postgres', 6, ['m'], EDGE))).toBe(false);
  });

  it('workload and process are the source key columns: an inbound finding has neither', () => {
    const alias = new Suppressions([{ workload: 'db' }]);
    const named = new Suppressions([{ 'source.workload.name': 'db' }]);
    for (const s of [alias, named]) {
      expect(s.matches(f('c', 'db', 'p'))).toBe(true);
      expect(s.matches(makeFinding(T, 'c', 'db', 'api', 6, ['m'], EDGE))).toBe(true);
      expect(s.matches(makeFinding(T, 'c', 'db', 'postgres', 6, ['m'], INBOUND))).toBe(false);
    }
    expect(new Suppressions([{ process: 'postgres' }]).matches(makeFinding(T, 'c', 'db', 'postgres', 6, ['m'], INBOUND))).toBe(false);
    expect(new Suppressions([{ host: 'c' }]).matches(makeFinding(T, 'c', 'db', 'postgres', 6, ['m'], INBOUND))).toBe(true);
  });
});

describe('loadSuppressions', () => {
  it('reads a line-format file and a JSON file', async () => {
    const lines = join(tmp, 'rules.txt');
    writeFileSync(lines, 'host=prod-* # all prod\n');
    const json = join(tmp, 'rules.json');
    writeFileSync(json, JSON.stringify([{ workload: 'api', reason: 'ok' }]));
    expect((await loadSuppressions(lines)).rules).toEqual([{ host: 'prod-*' }]);
    expect((await loadSuppressions(json)).rules).toEqual([{ workload: 'api', reason: 'ok' }]);
  });

  it('names the file when it cannot be read', async () => {
    const missing = join(tmp, 'missing.txt');
    await expect(loadSuppressions(missing)).rejects.toThrow(`suppress: cannot read ${missing}: ENOENT`);
  });

  it('names the file in parse errors', async () => {
    const bad = join(tmp, 'bad.txt');
    writeFileSync(bad, 'hostname=x\n');
    await expect(loadSuppressions(bad)).rejects.toThrow(`${bad} line 1: unknown field "hostname"`);
  });
});
