import { describe, expect, it } from 'vitest';
import { parseMinValues } from '../src/cli/ruleOptions.js';

describe('parseMinValues (--min-value)', () => {
  it('reads N for every metric, or GLOB=N pairs in order', () => {
    expect(parseMinValues('1000')).toEqual([['*', 1000]]);
    expect(parseMinValues('tcp.bytes=1e6, udp.*=1e4')).toEqual([['tcp.bytes', 1e6], ['udp.*', 1e4]]);
    expect(parseMinValues('tcp.*=-1')).toEqual([['tcp.*', -1]]);
  });

  it('names the option and the bad item for anything else', () => {
    for (const bad of ['x', 'tcp.bytes=', '=5', 'tcp.bytes=Infinity', 'tcp.bytes=1e400', 'a=NaN']) {
      expect(() => parseMinValues(bad)).toThrow(/^--min-value: expected N or GLOB=N \(N a finite number\), got "/);
    }
  });
});
