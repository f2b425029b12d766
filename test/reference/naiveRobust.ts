/**
 * A naive reference for `detect --baseline-model robust`, in plain JS over the logical rows of a
 * dataset (no Parquet, no sketch code of the project): the baseline rows are those of the flat rule
 * (naiveRule.ts); each valid value is quantised to its bin's representative by a mapping written
 * out here again (DDSketch's logarithmic mapping, alpha = 0.01, values below 1e-9 in 1e-9's bin,
 * representatives clamped to the values' min and max), the list is sorted, and the ranks are read
 * off it: median = q[floor((n - 1) / 2)], MAD = the same rank of the sorted |q - median|, scale =
 * 1.4826 MAD, else 1.2533 * mean |q - median|, else 0; no scale for n < 2.
 */
import type { Finding } from './duckdbRule.js';
import type { LRow } from './edgeCases.js';
import { naiveFindings, naiveWindows, type NaiveOptions, type NaiveStats } from './naiveRule.js';

const GAMMA = (1 + 0.01) / (1 - 0.01);

function quantise(x: number, min: number, max: number): number {
  if (x === 0) return 0;
  const i = Math.ceil(Math.log(Math.max(x, 1e-9)) / Math.log(GAMMA));
  const rep = (2 * Math.pow(GAMMA, i)) / (GAMMA + 1);
  return Math.min(max, Math.max(min, rep));
}

/** [median, scale] of non-negative finite values; scale undefined below two values. */
export function naiveRobustStats(values: number[]): { median: number; scale: number | undefined } {
  const min = values.reduce((a, b) => Math.min(a, b), Infinity);
  const max = values.reduce((a, b) => Math.max(a, b), -Infinity);
  const q = values.map((x) => quantise(x, min, max)).sort((a, b) => a - b);
  const r = Math.floor((q.length - 1) / 2);
  const median = q[r]!;
  if (q.length < 2) return { median, scale: undefined };
  const dev = q.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
  const mad = dev[r]!;
  if (mad > 0) return { median, scale: 1.4826 * mad };
  return { median, scale: 1.2533 * (dev.reduce((s, d) => s + d, 0) / dev.length) };
}

export function naiveRobustDetect(rows: LRow[], metrics: string[], at: number, opts: NaiveOptions = {}): Finding[] {
  const { recent, baseline } = naiveWindows(rows, metrics, at, opts);
  const stats = new Map<string, NaiveStats>();
  for (const [key, values] of baseline) {
    const { median, scale } = naiveRobustStats(values);
    stats.set(key, { center: median, scale });
  }
  return naiveFindings(recent, stats, at, opts);
}
