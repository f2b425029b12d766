import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from '../src/plan/globMatch.js';

const match = (glob: string, name: string) => globToRegExp(glob).test(name);

describe('globToRegExp', () => {
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

  it('returns the same (stateless) RegExp for the same glob', () => {
    const re = globToRegExp('tcp.*');
    expect(globToRegExp('tcp.*')).toBe(re);
    expect(re.global).toBe(false);
    expect(re.test('tcp.a')).toBe(true);
    expect(re.test('tcp.a')).toBe(true);
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
