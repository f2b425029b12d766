/**
 * The scan's per-thread scratch buffers, grown as batches need and reused by every task on the
 * thread. Safe because a worker runs one task at a time (createPool: concurrentTasksPerWorker 1).
 */
export const scratch = {
  /** per row of a batch: timestamps (ms), workload, process and cluster ids, baseline slots, recent row indexes */
  ts: new Float64Array(0),
  w: new Int32Array(0),
  p: new Int32Array(0),
  c: new Int32Array(0),
  base: new Int32Array(0),
  recent: new Int32Array(0),
  /** per recent row: its bucket; and its metrics' values, one block of rows per metric */
  buckets: new Int32Array(0),
  values: new Float64Array(0),
};

/** Room for `n` rows in every per-row buffer. */
export function ensureScratch(n: number): void {
  if (scratch.ts.length >= n) return;
  const cap = Math.max(n, scratch.ts.length * 2, 1024);
  scratch.ts = new Float64Array(cap);
  scratch.w = new Int32Array(cap);
  scratch.p = new Int32Array(cap);
  scratch.c = new Int32Array(cap);
  scratch.base = new Int32Array(cap);
  scratch.recent = new Int32Array(cap);
}

/** The bucket buffer, with room for `n` recent rows. */
export function scratchBuckets(n: number): Int32Array {
  if (scratch.buckets.length < n) scratch.buckets = new Int32Array(Math.max(n, scratch.buckets.length * 2));
  return scratch.buckets;
}

/** The values buffer, with room for `n` values. */
export function scratchValues(n: number): Float64Array {
  if (scratch.values.length < n) scratch.values = new Float64Array(Math.max(n, scratch.values.length * 2));
  return scratch.values;
}
