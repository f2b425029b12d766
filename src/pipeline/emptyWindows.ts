import type { FileInfo } from '../plan/inspectFile.js';
import { BUCKET_STRIDE, MOMENT_STRIDE } from '../state/moments.js';
import type { PartialState } from '../state/partialState.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** What the inputs' metadata says their rows cover, and whether it says so for every row group. */
export interface DataCoverage {
  lo: number;
  hi: number;
  known: boolean;
}

export function dataCoverage(files: FileInfo[]): DataCoverage {
  let lo = Infinity;
  let hi = -Infinity;
  let known = true;
  for (const f of files) {
    for (const rg of f.rowGroups) {
      if (rg.rows === 0) continue;
      if (rg.minTs === undefined || rg.maxTs === undefined) known = false;
      else {
        lo = Math.min(lo, rg.minTs);
        hi = Math.max(hi, rg.maxTs);
      }
    }
  }
  return { lo, hi, known };
}

function coverage(c: DataCoverage, state: PartialState): string {
  if (c.known && c.lo <= c.hi) return `the data covers ${iso(c.lo)} to ${iso(c.hi)}`;
  if (state.stats.minTimestamp <= state.stats.maxTimestamp) return `the rows read cover ${iso(state.stats.minTimestamp)} to ${iso(state.stats.maxTimestamp)}`;
  return 'no rows read hold a timestamp';
}

function anyCount(a: Float64Array, stride: number): boolean {
  for (let o = 0; o < a.length; o += stride) if (a[o] !== 0) return true;
  return false;
}

/**
 * A detection over windows that hold no rows reports nothing, which looks like good news: say so,
 * with what the data covers, so a wrong --at (or an example dated in another month) is seen.
 */
export function emptyWindowWarnings(files: FileInfo[] | DataCoverage, state: PartialState, atMs: number, windowMs: number, baselineMs: number): string[] {
  const cov = Array.isArray(files) ? dataCoverage(files) : files;
  const out: string[] = [];
  const recent = anyCount(state.recent, BUCKET_STRIDE);
  const baseline = anyCount(state.baseline, MOMENT_STRIDE);
  if (!recent && !baseline) {
    out.push(`no rows fall in the baseline or the recent window of T=${iso(atMs)} (${iso(atMs - baselineMs)} to ${iso(atMs)}); ${coverage(cov, state)}`);
  } else if (!recent) {
    out.push(`no rows fall in the recent window ${iso(atMs - windowMs)} to ${iso(atMs)}, so nothing can be reported; ${coverage(cov, state)}`);
  } else if (!baseline) {
    out.push(`no rows fall in the baseline ${iso(atMs - baselineMs)} to ${iso(atMs - windowMs)}, so no key has an average to compare with; ${coverage(cov, state)}`);
  }
  return out;
}
