import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch, matchesAny } from '../src/plan/globMatch.js';

const match = (glob: string, name: string) => globMatch(glob, name);

/** The regular-expression reading the matcher replaced, as a reference for short globs. */
function regexMatch(glob: string, name: string): boolean {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's').test(name);
}

describe('globMatch', () => {
  it('matches literal names exactly and whole', () => {
    expect(match('tcp.bytes', 'tcp.bytes')).toBe(true);
    expect(match('tcp.bytes', 'tcp.bytes2')).toBe(false);
    expect(match('tcp.bytes', 'xtcp.bytes')).toBe(false);
    expect(match('tcp.bytes', 'TCP.bytes')).toBe(false);
    expect(match('', '')).toBe(true);
    expect(match('', 'a')).toBe(false);
  });

  it('* matches any run of characters, including none', () => {
    expect(match('tcp.*', 'tcp.bytes')).toBe(true);
    expect(match('tcp.*', 'tcp.')).toBe(true);
    expect(match('tcp.*', 'tcp')).toBe(false);
    expect(match('tcp.*', 'udp.bytes')).toBe(false);
    expect(match('*.bytes', 'udp.bytes')).toBe(true);
    expect(match('*', '')).toBe(true);
    expect(match('a*b*c', 'a-x-b-y-c')).toBe(true);
    expect(match('a*b*c', 'a-x-c')).toBe(false);
    expect(match('*', 'multi\nline')).toBe(true);
  });

  it('? matches exactly one character', () => {
    expect(match('udp.?ytes', 'udp.bytes')).toBe(true);
    expect(match('udp.?ytes', 'udp.ytes')).toBe(false);
    expect(match('udp.?ytes', 'udp.xxytes')).toBe(false);
    expect(match('??', 'ab')).toBe(true);
    expect(match('??', 'a')).toBe(false);
  });

  it('treats . and every other regular-expression metacharacter literally', () => {
    expect(match('tcp.*', 'tcpxbytes')).toBe(false);
    for (const lit of ['a.b', 'a+b', 'a^b', 'a$b', '{a}', '(a)', 'a|b', '[ab]', 'a\\b', 'a/b', 'a-b']) {
      expect(match(lit, lit), lit).toBe(true);
    }
    // a backslash is an ordinary character, not an escape: `\*` is a backslash then any run
    expect(match('a\\*', 'a\\anything')).toBe(true);
    expect(match('a\\*', 'a*')).toBe(false);
    expect(match('a+b', 'aab')).toBe(false);
    expect(match('[ab]', 'a')).toBe(false);
    expect(match('a|b', 'b')).toBe(false);
    expect(match('(a)', 'a')).toBe(false);
    expect(match('a{2}', 'aa')).toBe(false);
    expect(match('a\\b', 'a\\b')).toBe(true);
  });

  it('agrees with the regular-expression reading on random globs and names', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '.', '\\', '\n');
    const text = fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join(''));
    const plain = fc.array(fc.constantFrom('a', 'b', '.', '\n'), { maxLength: 16 }).map((cs) => cs.join(''));
    const disagreements: [string, string][] = [];
    fc.assert(fc.property(text, plain, (glob, name) => {
      if (globMatch(glob, name) !== regexMatch(glob, name)) disagreements.push([glob, name]);
    }), { numRuns: 3000 });
    expect(disagreements).toEqual([]);
  });

  it('handles a 10 MB glob and star-heavy globs without a regular expression or blow-up', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    expect(match(huge, huge)).toBe(true);
    expect(match(huge, `${huge}y`)).toBe(false);
    expect(match(`${huge}*`, `${huge}yz`)).toBe(true);
    expect(match('*'.repeat(100_000), 'anything')).toBe(true);
    // exponential for a backtracking regex engine: a*a*a*...b against a run of a's
    expect(match(`${'a*'.repeat(30)}b`, 'a'.repeat(5000))).toBe(false);
    expect(match(`${'a*'.repeat(30)}b`, `${'a'.repeat(5000)}b`)).toBe(true);
  });

  it('retries only the last * on a mismatch and still finds later matches', () => {
    expect(match('*ab*cd', 'xabyabzcd')).toBe(true);
    expect(match('*ab*cd', 'xabyabzc')).toBe(false);
    expect(match('a*?b', 'ab')).toBe(false);
    expect(match('a*?b', 'axb')).toBe(true);
    expect(match('**?*', '')).toBe(false);
    expect(match('**?*', 'z')).toBe(true);
  });
});

describe('matchesAny', () => {
  it('is true when any glob matches', () => {
    expect(matchesAny('udp.packets', ['tcp.*', 'udp.*'])).toBe(true);
    expect(matchesAny('tcp.bytes', ['tcp.*', 'udp.*'])).toBe(true);
    expect(matchesAny('dest.workload.name', ['tcp.*', 'udp.*'])).toBe(false);
    expect(matchesAny('tcp.bytes', [])).toBe(false);
  });
});
