import { describe, expect, it } from 'vitest';
import { ByteDictionary } from '../src/parquet/byteDictionary.js';
import { columnKeys } from './helpers/columnValues.js';

const enc = new TextEncoder();
const add = (d: ByteDictionary, s: string, how: 'intern' | 'append' = 'intern') => {
  const b = enc.encode(`xx${s}yy`);
  return how === 'intern' ? d.intern(b, 2, b.length - 2) : d.append(b, 2, b.length - 2);
};

describe('ByteDictionary', () => {
  it('interns in first-seen order, empty and non-ASCII strings included', () => {
    const d = new ByteDictionary();
    const ids = ['b', '', 'zürich', 'b', '東京', '', 'a'].map((s) => add(d, s));
    expect(ids).toEqual([0, 1, 2, 0, 3, 1, 4]);
    expect(d.size).toBe(5);
    expect(columnKeys(d.toData())).toEqual(['s:b', 's:', 's:zürich', 's:東京', 's:a']);
  });

  it('finds appended entries once a lookup builds the table, and grows past many entries and bytes', () => {
    const d = new ByteDictionary();
    for (let i = 0; i < 1000; i++) expect(add(d, `e${i}`, 'append')).toBe(i);
    expect(add(d, 'e999')).toBe(999);
    expect(add(d, 'e0')).toBe(0);
    // (i % 20000 and i % 40 repeat together: the second 30000 are all seen before)
    const ids = Array.from({ length: 50_000 }, (_, i) => add(d, `n${i % 20_000}-${'x'.repeat(i % 40)}`));
    expect(ids).toEqual(Array.from({ length: 50_000 }, (_, i) => 1000 + (i % 20_000)));
    expect(add(d, 'e500')).toBe(500);
    const keys = columnKeys(d.toData());
    expect(keys.length).toBe(d.size);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[1000]).toBe('s:n0-');
    expect(add(d, 'e5', 'append')).toBe(5);
  });

  it('reset empties it, and the next entries start at 0 again', () => {
    const d = new ByteDictionary();
    add(d, 'a');
    add(d, 'b');
    d.reset();
    expect(d.size).toBe(0);
    expect(add(d, 'b')).toBe(0);
    expect(add(d, 'a')).toBe(1);
    expect(columnKeys(d.toData())).toEqual(['s:b', 's:a']);
  });
});
