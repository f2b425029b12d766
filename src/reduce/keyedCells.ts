import { MOMENT_STRIDE, initAllMoments, mergeMoments } from '../state/moments.js';
import type { BaselineCells } from '../state/baselineCells.js';
import { grow } from './keyTable.js';

/**
 * Baseline moments under global key ids, one page (key x metric x MOMENT_STRIDE) per cell, so a
 * reducer can drop the cells no later detection needs.
 */
export class KeyedCells {
  private readonly pages = new Map<number, Float64Array>();
  private readonly stride: number;

  constructor(metricCount: number) {
    this.stride = metricCount * MOMENT_STRIDE;
  }

  /** The page of cell c, grown to hold at least `keys` keys. */
  private page(c: number, keys: number): Float64Array {
    const have = this.pages.get(c);
    const need = keys * this.stride;
    if (have && have.length >= need) return have;
    const grown = grow(have ?? new Float64Array(0), need, initAllMoments);
    this.pages.set(c, grown);
    return grown;
  }

  /** Merges key k of `p` into global key g; p's cell c lands on cell shift + c. */
  add(g: number, p: BaselineCells, k: number, shift: number): void {
    const { stride } = this;
    for (let c = 0; c < p.cellCount; c++) {
      const src = (k * p.cellCount + c) * stride;
      let any = false;
      for (let o = 0; o < stride && !any; o += MOMENT_STRIDE) any = p.baseline[src + o] !== 0;
      if (!any) continue;
      const page = this.page(shift + c, g + 1);
      const dst = g * stride;
      for (let o = 0; o < stride; o += MOMENT_STRIDE) mergeMoments(page, dst + o, p.baseline, src + o);
    }
  }

  /** Merges cells [c0, c1) of keys below `keys` into `out` (key x metric x MOMENT_STRIDE), in cell order. */
  sumInto(out: Float64Array, c0: number, c1: number, keys: number): void {
    const n = keys * this.stride;
    for (let c = c0; c < c1; c++) {
      const page = this.pages.get(c);
      if (!page) continue;
      const end = Math.min(n, page.length);
      for (let o = 0; o < end; o += MOMENT_STRIDE) mergeMoments(out, o, page, o);
    }
  }

  /** Cells [c0, c0 + count) of keys below `keys`, laid out key x cell x metric (BaselineCells). */
  slice(c0: number, count: number, keys: number): Float64Array {
    const { stride } = this;
    const out = new Float64Array(keys * count * stride);
    initAllMoments(out, 0);
    for (let c = 0; c < count; c++) {
      const page = this.pages.get(c0 + c);
      if (!page) continue;
      for (let k = 0; k < keys && (k + 1) * stride <= page.length; k++) {
        out.set(page.subarray(k * stride, (k + 1) * stride), (k * count + c) * stride);
      }
    }
    return out;
  }

  /** Drops every cell in [from, to) that `retain` does not claim. */
  forget(from: number, to: number, retain?: (cell: number) => boolean): void {
    for (const c of this.pages.keys()) if (c >= from && c < to && !retain?.(c)) this.pages.delete(c);
  }

  get cellsHeld(): number {
    return this.pages.size;
  }
}
