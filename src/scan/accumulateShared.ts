import type { Data } from 'apache-arrow';
import { MOMENT_STRIDE } from '../state/moments.js';
import { expectIntegers, flush, runSums, sumRun } from './accumulateBaseline.js';
import { metricValues } from './metricValues.js';

let starts = new Int32Array(0);

/**
 * The runs of rows over which no keying's slot changes (rows sorted by series, as the exporter
 * writes them, give one run per series and cell): their start rows, then n. Returns the run count,
 * or -1 when the runs are too short for summing each once to pay (then each keying folds its own).
 */
export function sharedRuns(slots: Int32Array[], n: number): number {
  if (starts.length < n + 1) starts = new Int32Array(Math.max(n + 1, starts.length * 2));
  let runs = 0;
  starts[runs++] = 0;
  const k = slots.length;
  if (k === 1) {
    const a = slots[0];
    for (let i = 1; i < n; i++) if (a[i] !== a[i - 1]) starts[runs++] = i;
  } else for (let i = 1; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const a = slots[s];
      if (a[i] !== a[i - 1]) {
        starts[runs++] = i;
        break;
      }
    }
  }
  starts[runs] = n;
  return runs * 16 < n ? runs : -1;
}

/** Whether a batch's slots change at fewer than 1 in 16 rows: then summing run by run pays. */
export function fewChanges(slots: Int32Array, n: number): boolean {
  let changes = 0;
  for (let i = 1; i < n; i++) if (slots[i] !== slots[i - 1]) changes++;
  return changes * 16 < n;
}

/**
 * Folds one metric column into several keyings' baseline moments at once, over the runs
 * sharedRuns found (or those `runStarts` gives, in its shape): each run's compensated sums are taken once, in registers, and flushed into
 * every keying whose slot for the run is set (slots[k][row], -1 to skip), so K keyings cost one
 * pass over the values instead of K. `invalid[k]` gains the NaN, infinite and negative values of
 * keying k's rows.
 */
export function accumulateShared(
  col: Data, slots: Int32Array[], runs: number, n: number, targets: Float64Array[], metricOffset: number, invalid: number[],
  runStarts: Int32Array = starts,
): void {
  const values = metricValues(col, n, true);
  if (values === null) return;
  expectIntegers();
  const { v, off, nanIsNull, bitmap } = values;
  const k = slots.length;
  for (let r = 0; r < runs; r++) {
    const from = runStarts[r];
    const to = runStarts[r + 1];
    let used = false;
    for (let j = 0; j < k && !used; j++) used = slots[j][from] >= 0;
    if (!used) continue;
    const bad = sumRun(v, off + from, off + to, nanIsNull, bitmap);
    const cnt = runSums[0];
    for (let j = 0; j < k; j++) {
      const slot = slots[j][from];
      if (slot < 0) continue;
      invalid[j] += bad;
      if (cnt > 0) flush(targets[j], slot + metricOffset, cnt, runSums[1], runSums[2], runSums[3], runSums[4], runSums[5], runSums[6]);
    }
  }
}

const runInvalid: number[] = [];

/**
 * Every metric of a batch into the targets' baseline moments over the runs sharedRuns finds
 * (targets[k] with slots[k]; invalid[k][j] gains keying k's unusable values of metric j). The runs
 * are found once for all metrics. Returns false, having done nothing, when they are too short.
 */
export function foldShared(metrics: (Data | null)[], slots: Int32Array[], n: number, targets: Float64Array[], invalid: number[][]): boolean {
  const runs = sharedRuns(slots, n);
  if (runs < 0) return false;
  foldRuns(metrics, slots, starts, runs, n, targets, invalid);
  return true;
}

/**
 * foldShared for one keying whose runs are known (the layout's key runs): runStarts[0..runs] are
 * the runs' first rows, then n, and slots[runStarts[r]] is run r's slot; no other row is read.
 */
export function foldKnownRuns(
  metrics: (Data | null)[], slots: Int32Array, runStarts: Int32Array, runs: number, n: number, target: Float64Array, invalid: number[],
): void {
  foldRuns(metrics, [slots], runStarts, runs, n, [target], [invalid]);
}

function foldRuns(
  metrics: (Data | null)[], slots: Int32Array[], runStarts: Int32Array, runs: number, n: number, targets: Float64Array[], invalid: number[][],
): void {
  for (let j = 0; j < metrics.length; j++) {
    const col = metrics[j];
    if (col === null) continue;
    runInvalid.length = slots.length;
    runInvalid.fill(0);
    accumulateShared(col, slots, runs, n, targets, j * MOMENT_STRIDE, runInvalid, runStarts);
    for (let k = 0; k < slots.length; k++) invalid[k][j] += runInvalid[k];
  }
}
