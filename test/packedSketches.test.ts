import { describe, expect, it } from 'vitest';
import { sketchesProblem } from '../src/state/packedSketches.js';
import { SketchTable } from '../src/state/sketchTable.js';

function packed(values: number[], slots: number[], count: number) {
  const t = new SketchTable();
  t.addColumn(Float64Array.from(values), 0, Int32Array.from(slots), values.length, 1, 0);
  return t.pack(count);
}

describe('sketchesProblem', () => {
  it('names what is wrong with a corrupt set', () => {
    const ok = packed([1, 2], [0, 1], 2);
    expect(sketchesProblem(ok, 2)).toBeUndefined();
    expect(sketchesProblem(ok, 3)).toMatch(/for 2 slots, expected 3/);
    expect(sketchesProblem({ ...ok, offsets: Int32Array.of(0, 2, 1) }, 2)).toMatch(/do not span|decrease/);
    expect(sketchesProblem({ ...ok, lo: Int32Array.of(-5000, 0) }, 2)).toMatch(/outside/);
    expect(sketchesProblem({ ...ok, zeros: Float64Array.of(0.5, 0) }, 2)).toMatch(/zero count/);
  });
});
