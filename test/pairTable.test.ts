import { describe, expect, it } from 'vitest';
import { PairTable } from '../src/scan/pairTable.js';

describe('PairTable', () => {
  it('gives ids in first-seen order and finds them again, across growth', () => {
    const t = new PairTable();
    const pairs: [number, number][] = [];
    for (let a = 0; a < 300; a += 7) for (let b = 0; b < 9000; b += 911) pairs.push([a, b]);
    pairs.forEach(([a, b], i) => {
      expect(t.get(a, b)).toBe(-1);
      expect(t.add(a, b)).toBe(i);
    });
    pairs.forEach(([a, b], i) => expect(t.get(a, b)).toBe(i));
    expect(t.get(1, 1)).toBe(-1);
    expect(t.size).toBe(pairs.length);
    expect(t.first[5]).toBe(pairs[5][0]);
    expect(t.second[5]).toBe(pairs[5][1]);
  });

  it('keeps memory proportional to the pairs present, not to the largest ids', () => {
    const t = new PairTable();
    for (let i = 0; i < 1000; i++) t.add(i * 10_007, 9_999 - i);
    const bytes = (t as unknown as { slotA: Int32Array }).slotA.byteLength * 3;
    expect(bytes).toBeLessThan(64 * 1024);
    for (let i = 0; i < 1000; i++) expect(t.get(i * 10_007, 9_999 - i)).toBe(i);
  });
});
