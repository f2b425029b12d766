import { describe, expect, it } from 'vitest';
import {
  UsageError,
  isoOf,
  parseCount,
  parseDuration,
  parseList,
  parsePositiveNumber,
  parseTime,
} from '../src/cli/parseOptions.js';

/** Calls fn, expects a UsageError, returns its message. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError, but the call returned');
}

const T = Date.UTC(2026, 0, 31, 12, 0, 0); // 2026-01-31T12:00:00Z

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['10s', 10_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['30d', 30 * 86_400_000],
    ['2w', 2 * 604_800_000],
    [' 10s ', 10_000],
  ])('accepts %j as %d ms', (raw, ms) => {
    expect(parseDuration('window', raw)).toBe(ms);
  });

  it.each(['', '10', 's', '0s', '0ms', '-1h', '5x', '1 h', '1H', '0.5ms', '1e3s', 'abc', 'NaN', '1h30m'])(
    'rejects %j with a message naming the option and the value',
    (raw) => {
      const msg = usageMessage(() => parseDuration('window', raw));
      expect(msg).toMatch(/^--window: /);
      expect(msg).toContain(`"${raw.trim()}"`);
    },
  );
});

describe('parseTime', () => {
  it.each([
    ['2026-01-31T12:00:00Z', T],
    ['2026-01-31T12:00:00.000Z', T],
    ['2026-01-31T12:00:00z', T],
    ['2026-01-31T12:00:00', T], // no zone: UTC
    ['2026-01-31T12:00', T],
    ['2026-01-31T14:00:00+02:00', T],
    ['2026-01-31T14:00:00+0200', T],
    ['2026-01-31T07:00:00-05:00', T],
    ['2026-01-31T12:00:00.250Z', T + 250],
    ['2026-01-31', Date.UTC(2026, 0, 31)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    [String(T), T],
    [` ${T} `, T],
    ['0', 0],
  ])('accepts %j', (raw, ms) => {
    expect(parseTime('at', raw)).toBe(ms);
  });

  it('accepts a number (yargs may hand one over) as epoch ms', () => {
    expect(parseTime('at', T)).toBe(T);
  });

  it('gives the same instant for ISO and epoch milliseconds', () => {
    expect(parseTime('at', isoOf(T))).toBe(parseTime('at', String(T)));
  });

  it.each([
    'notatime',
    '',
    'yesterday',
    '12:00',
    '31/01/2026',
    '2026-13-01T00:00:00Z',
    '2026-01-32T00:00:00Z',
    '2026-02-30T00:00:00Z', // V8 would roll this over to March 2
    '2026-04-31',
    '2025-02-29T00:00:00Z',
    '2026-01-31T25:00:00Z',
    '1.5',
    '1e12',
    '99999999999999999999',
  ])('rejects %j with a message naming the option', (raw) => {
    const msg = usageMessage(() => parseTime('from', raw));
    expect(msg).toMatch(/^--from: /);
    expect(msg).toContain('ISO 8601');
    expect(msg).toContain(`"${raw.trim()}"`);
  });
});

describe('parseCount', () => {
  it.each([
    ['0', 0, 0],
    ['5', 0, 5],
    ['1', 1, 1],
    ['1024', 1, 1024],
  ])('accepts %j (min %d)', (raw, min, n) => {
    expect(parseCount('workers', raw, min, 1024)).toBe(n);
  });

  it('has no upper bound by default beyond safe integers', () => {
    expect(parseCount('min-count', '1000000', 0)).toBe(1_000_000);
  });

  it.each([
    ['0', 1],
    ['-1', 0],
    ['1025', 1],
    ['1.5', 0],
    ['abc', 0],
    ['', 0],
    ['  ', 0],
    ['NaN', 0],
    ['Infinity', 0],
  ])('rejects %j (min %d) naming the option and the range', (raw, min) => {
    const msg = usageMessage(() => parseCount('workers', raw, min, 1024));
    expect(msg).toBe(`--workers: expected an integer from ${min} to 1024, got "${raw}"`);
  });
});

describe('parsePositiveNumber', () => {
  it.each([
    ['3', 3],
    ['0', 0],
    ['2.5', 2.5],
    ['0.1', 0.1],
    ['1e1', 10],
  ])('accepts %j', (raw, n) => {
    expect(parsePositiveNumber('sigma', raw)).toBe(n);
  });

  it.each(['abc', '', ' ', '-1', '-0.5', 'Infinity', 'NaN', '3sigma'])('rejects %j naming the option', (raw) => {
    const msg = usageMessage(() => parsePositiveNumber('sigma', raw));
    expect(msg).toMatch(/^--sigma: expected a non-negative number, got "/);
    expect(msg).toContain(`"${raw}"`);
  });
});

describe('parseList', () => {
  it('splits on commas and trims', () => {
    expect(parseList('metrics', 'tcp.*,udp.*')).toEqual(['tcp.*', 'udp.*']);
    expect(parseList('metrics', ' tcp.bytes , udp.* ')).toEqual(['tcp.bytes', 'udp.*']);
  });

  it('drops empty items', () => {
    expect(parseList('metrics', 'tcp.*,,udp.*,')).toEqual(['tcp.*', 'udp.*']);
  });

  it('accepts a repeated option (an array) and flattens it', () => {
    expect(parseList('metrics', ['tcp.*', 'udp.bytes,udp.packets'])).toEqual(['tcp.*', 'udp.bytes', 'udp.packets']);
  });

  it('keeps a single item', () => {
    expect(parseList('metrics', 'tcp.bytes')).toEqual(['tcp.bytes']);
  });

  it.each(['', ',', ' , , '])('rejects %j naming the option', (raw) => {
    const msg = usageMessage(() => parseList('metrics', raw));
    expect(msg).toMatch(/^--metrics: expected a comma-separated list/);
  });
});

describe('isoOf', () => {
  it('prints UTC ISO 8601 with milliseconds', () => {
    expect(isoOf(T)).toBe('2026-01-31T12:00:00.000Z');
    expect(isoOf(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('UsageError', () => {
  it('is an Error (exit code 2 is chosen by its class)', () => {
    const e = new UsageError('--x: bad');
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('--x: bad');
  });
});
