/**
 * DDSketch's logarithmic mapping (the design of @datadog/sketches-js) with relative accuracy
 * ALPHA = 0.01: bin i holds the values in (GAMMA^(i-1), GAMMA^i], GAMMA = (1 + ALPHA) / (1 - ALPHA),
 * and stands for its representative 2 * GAMMA^i / (GAMMA + 1), which lies within ALPHA of every
 * value of the bin, relatively. Zeros have an exact count of their own; values in (0, FLOOR) clamp
 * into FLOOR's bin (an absolute error below FLOOR). A bin's representative is also clamped to the
 * exact [min, max] of the values (the moments carry both): that changes only the lowest and highest
 * bins, never adds error, and makes a constant baseline's median that constant exactly.
 *
 * Our own code rather than the library: the scan folds values in a hot loop over typed arrays (no
 * object per sketch, no call per value through a class hierarchy), counts are integers kept in
 * typed arrays so that merging is addition (order-independent, so the output is byte-identical for
 * any worker count and task split) and a partial moves to the main thread by transfer, and a shard
 * writes its sketches as plain integer columns of its partial file.
 *
 * Definitions over n counted values (zeros first, then bins in ascending order, r = floor((n - 1) / 2)):
 * - median: the representative of the bin holding 0-based rank r;
 * - MAD: rank r of the multiset { |rep(b) - median| per value } (the zero bin's deviation is the
 *   median itself), ordered by deviation;
 * - scale: 1.4826 * MAD; where MAD is 0 (the median's bin holds more than half the values), 1.2533 *
 *   the mean of those deviations (the modified z-score convention); 0 if that is 0 too.
 *
 * Error: each value is off by at most ALPHA relatively, and the mapping is monotone, so the median
 * is within ALPHA of the exact median of the values. MAD's error is bounded by ALPHA times the
 * values' magnitude, not by MAD: |MAD' - MAD| <= ALPHA * (2 * median + MAD), so a spread narrower
 * than about 2 % of the median is not resolved (such a baseline falls back, or scales 0).
 */
export const ALPHA = 0.01;
export const GAMMA = (1 + ALPHA) / (1 - ALPHA);
export const FLOOR = 1e-9;
const LN_GAMMA = Math.log(GAMMA);
/** binOf(x) is ceil(ln(x) * INV_LN_GAMMA): the scan's loop inlines it (sketchTable.ts) */
export const INV_LN_GAMMA = 1 / LN_GAMMA;
const REP = 2 / (GAMMA + 1);
/** the bin of FLOOR and of every smaller positive value */
export const MIN_BIN = Math.ceil(Math.log(FLOOR) * INV_LN_GAMMA);

const MAD_SCALE = 1.4826;
const MEAN_AD_SCALE = 1.2533;

/** The bin of a positive finite x. */
export function binOf(x: number): number {
  return x < FLOOR ? MIN_BIN : Math.ceil(Math.log(x) * INV_LN_GAMMA);
}

/** A bin's representative, before clamping to the values' range. */
export function binValue(i: number): number {
  return Math.min(Math.exp(i * LN_GAMMA) * REP, Number.MAX_VALUE);
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/**
 * Median and scale (see above) of one sketch: `zeros` zeros, and counts[from + t] values in bin
 * lo + t for t < to - from; min and max are the values' exact extremes. Writes them at out[o] and
 * out[o + 1]: NaN for the median when there are no values, NaN for the scale when there are fewer
 * than two (as a sample standard deviation is undefined there).
 */
export function robustStats(
  zeros: number, lo: number, counts: Uint32Array, from: number, to: number, min: number, max: number, out: Float64Array, o: number,
): void {
  let n = zeros;
  for (let t = from; t < to; t++) n += counts[t];
  if (n === 0) {
    out[o] = NaN;
    out[o + 1] = NaN;
    return;
  }
  const r = Math.floor((n - 1) / 2);
  // positions: from - 1 is the zero bin, t >= from is counts[t]
  let med = from - 1;
  let seen = zeros;
  for (let t = from; seen <= r; t++) {
    seen += counts[t];
    med = t;
  }
  const rep = (t: number) => (t < from ? 0 : clamp(binValue(lo + t - from), min, max));
  const median = rep(med);
  out[o] = median;
  if (n < 2) {
    out[o + 1] = NaN;
    return;
  }
  // deviations ascending: outward from the median's bin, taking the nearer side each step
  const countAt = (t: number) => (t < from ? zeros : counts[t]);
  let down = med;
  let up = med + 1;
  let taken = 0;
  let mad = 0;
  while (taken <= r) {
    const dDown = down >= from - 1 ? median - rep(down) : Infinity;
    const dUp = up < to ? rep(up) - median : Infinity;
    if (dDown <= dUp) {
      taken += countAt(down);
      mad = dDown;
      down--;
    } else {
      taken += counts[up];
      mad = dUp;
      up++;
    }
  }
  if (mad > 0) {
    out[o + 1] = MAD_SCALE * mad;
    return;
  }
  let sum = zeros * median;
  for (let t = from; t < to; t++) if (counts[t] !== 0) sum += counts[t] * Math.abs(rep(t) - median);
  out[o + 1] = MEAN_AD_SCALE * (sum / n);
}
