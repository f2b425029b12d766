/**
 * The exporter's key runs of a row group ([workload, process, rows], in row order) as baseline
 * slots: `slotOf` names each run's slot. Without `starts`, base[i] is row i's slot; with it, only
 * each run's first row is set and starts[0..runs] holds the runs' first rows, then n, for folds
 * that take a run at a time (nothing is written per row). Returns the number of runs.
 */
export function layoutRuns(
  runs: [string, string, number][], n: number, slotOf: (workload: string, process: string) => number,
  base: Int32Array, starts: Int32Array | null,
): number {
  let i = 0;
  let count = 0;
  let listed = 0;
  for (const [w, p, rows] of runs) {
    listed += rows;
    const end = Math.min(n, i + rows);
    if (end === i) continue;
    const slot = slotOf(w, p);
    if (starts === null) base.fill(slot, i, end);
    else {
      base[i] = slot;
      starts[count] = i;
    }
    count++;
    i = end;
  }
  if (listed !== n) throw new Error(`scan: the file's layout lists ${listed} rows for a row group of ${n}`);
  if (starts !== null) starts[count] = n;
  return count;
}
