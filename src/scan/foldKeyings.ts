import type { Data } from 'apache-arrow';
import type { Accumulator, BatchColumns } from './accumulator.js';
import { foldShared } from './accumulateShared.js';
import { scratch } from './scanScratch.js';

/** One keying's input for a batch: its columns, or (the outbound keying in one baseline cell) the layout's key runs. */
export type KeyingInput = { batch: BatchColumns } | { runs: [string, string, number][]; rows: number };

const copies: Int32Array[] = [];

function slotsOf(k: number, n: number, from: Int32Array | null): Int32Array {
  while (copies.length <= k) copies.push(new Int32Array(0));
  if (copies[k].length < n) copies[k] = new Int32Array(Math.max(n, copies[k].length * 2));
  const out = copies[k];
  if (from === null) out.fill(-1, 0, n);
  else out.set(from.subarray(0, n));
  return out;
}

/**
 * Folds one decoded batch into several keyings' accumulators (several rules in one pass). Each
 * keying finds its own rows' slots and folds its recent window; the baseline values are then summed
 * once per run of rows over which no keying's slot changes (one per series and cell in the
 * exporter's layout) and flushed into every keying, so K keyings take one pass over the values,
 * not K. The compensated sums hold about twice float64's precision, so the finished means and
 * deviations do not depend on where a run is cut, as they do not on layout or worker count.
 */
export function foldKeyings(accs: Accumulator[], inputs: KeyingInput[], metrics: (Data | null)[], cell: number): void {
  const slots: Int32Array[] = [];
  // the layout's key runs are runs, whatever their length; other slots are judged by foldBaseline
  const layoutRuns: (true | undefined)[] = [];
  let n = 0;
  for (let k = 0; k < accs.length; k++) {
    const input = inputs[k];
    if ('runs' in input) {
      accs[k].keyRuns(input.rows, cell, input.runs);
      n = input.rows;
      slots.push(slotsOf(k, n, scratch.base));
      layoutRuns.push(true);
      continue;
    }
    const rows = accs[k].keyBatch(input.batch, cell);
    n = Math.max(n, (input.batch.timestamp ?? input.batch.workload!).length);
    slots.push(slotsOf(k, n, rows === 0 ? null : scratch.base));
    layoutRuns.push(undefined);
  }
  if (n === 0) return;
  const shared = !accs.some((a) => a.hasSketches) &&
    foldShared(metrics, slots, n, accs.map((a) => a.baselineMoments), accs.map((a) => a.stats.invalidValues));
  if (shared) return;
  for (let k = 0; k < accs.length; k++) accs[k].foldBaseline(metrics, slots[k], n, layoutRuns[k]);
}
