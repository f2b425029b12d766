import { describe, expect, it } from 'vitest';
import { Accumulator } from '../src/scan/accumulator.js';
import { forEachBucketRow, type PartialState } from '../src/state/partialState.js';
import { BUCKET_STRIDE, bucketMean } from '../src/state/moments.js';
import type { ScanWindow } from '../src/plan/scanWindow.js';
import { batchOf, type Row } from './helpers/batch.js';

const H = 3_600_000;
const S = 10_000;
const METRICS = ['tcp.bytes'];
// a hunt-like window: 3 days of 10 s buckets
const W: ScanWindow = { baselineStart: 0, baselineEnd: 0, cellMs: H, recentStart: 0, recentEnd: 72 * H, spanMs: S };

/** series "cluster/workload" -> absolute bucket -> [count, mean], from a partial, dense or sparse */
function buckets(p: PartialState): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  forEachBucketRow(p, (s, b, o) => {
    if (p.recent[o] === 0) return;
    const name = `${p.clusters[p.seriesCluster[s]]}/${p.workloads[p.seriesKey[s]]}`;
    out.set(`${name}@${p.firstBucket + b}`, [p.recent[o], bucketMean(p.recent, o)]);
  });
  return out;
}

function row(ts: number, cluster: string, workload: string, v: number): Row {
  return { ts, cluster, workload, process: 'p', 'tcp.bytes': v };
}

describe('Accumulator recent buckets', () => {
  it('holds only the buckets a task touches and gives every row to its bucket whatever the order of batches', () => {
    // batches that go up in time, then back before the first, then far ahead: the held range grows both ways
    const batches: Row[][] = [
      [row(30 * H, 'c1', 'a', 1), row(30 * H + 5, 'c1', 'a', 3), row(30 * H + S, 'c2', 'b', 7)],
      [row(31 * H, 'c1', 'a', 2)],
      [row(2 * H, 'c2', 'b', 4), row(2 * H + 9 * S, 'c1', 'a', 5)],
      [row(71 * H + 59 * 60_000, 'c3', 'z', 6), row(30 * H + 1, 'c1', 'a', 5)],
    ];
    const acc = new Accumulator(METRICS, W);
    for (const b of batches) acc.add(batchOf(b, METRICS));
    const got = buckets(acc.finish());
    const want = new Map<string, [number, number]>();
    const all = batches.flat();
    for (const r of all) {
      const k = `${r.cluster}/${r.workload}@${Math.floor(r.ts / S)}`;
      const vals = all.filter((x) => `${x.cluster}/${x.workload}@${Math.floor(x.ts / S)}` === k).map((x) => x['tcp.bytes'] as number);
      want.set(k, [vals.length, vals.reduce((a, b) => a + b, 0) / vals.length]);
    }
    expect(got).toEqual(want);
    expect(got.get(`c1/a@${30 * 360}`)).toEqual([3, 3]);
  });

  it('places every row whatever the mix: series interleaved row by row, new series and a wider range in the same batch', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const batches: Row[][] = [];
    for (let k = 0; k < 6; k++) {
      const rows: Row[] = [];
      // each batch may name up to 8 workloads (each in any of 3 clusters) more than the last, anywhere in up to 8 + 13 k hours
      for (let i = 0; i < 300; i++) {
        const series = rand(8 * (k + 1));
        rows.push(row(rand(Math.min(72, 8 + 13 * k) * 360) * S + rand(S), `c${rand(3)}`, `w${series}`, rand(1000) / 8));
      }
      batches.push(rows);
    }
    const acc = new Accumulator(METRICS, W);
    for (const b of batches) acc.add(batchOf(b, METRICS));
    const want = new Map<string, [number, number]>();
    const sums = new Map<string, number[]>();
    for (const r of batches.flat()) {
      const k = `${r.cluster}/${r.workload}@${Math.floor(r.ts / S)}`;
      sums.set(k, [...(sums.get(k) ?? []), r['tcp.bytes'] as number]);
    }
    for (const [k, vals] of sums) want.set(k, [vals.length, vals.reduce((a, b) => a + b, 0) / vals.length]);
    expect(buckets(acc.finish())).toEqual(want);
  });

  it('sends a task that touches few of the window\'s buckets as sparse rows, in series then bucket order', () => {
    const acc = new Accumulator(METRICS, W);
    acc.add(batchOf([row(40 * H, 'c1', 'a', 1), row(10 * H, 'c1', 'a', 2), row(20 * H, 'c2', 'b', 3)], METRICS));
    const p = acc.finish();
    expect(p.bucketCount).toBe(72 * 360);
    expect(Array.from(p.recentRows!)).toEqual([10 * 360, 40 * 360, p.bucketCount + 20 * 360]);
    expect(p.recent.length).toBe(3 * BUCKET_STRIDE);
  });

  it('sends a task that fills most buckets densely, with the same contents', () => {
    const w: ScanWindow = { ...W, recentEnd: H };
    const rows: Row[] = [];
    for (let b = 359; b >= 0; b--) rows.push(row(b * S, 'c1', 'a', b));
    const acc = new Accumulator(METRICS, w);
    acc.add(batchOf(rows.slice(0, 100), METRICS));
    acc.add(batchOf(rows.slice(100), METRICS));
    const p = acc.finish();
    expect(p.recentRows).toBeUndefined();
    expect(p.recent.length).toBe(360 * BUCKET_STRIDE);
    for (let b = 0; b < 360; b++) expect([p.recent[b * BUCKET_STRIDE], bucketMean(p.recent, b * BUCKET_STRIDE)]).toEqual([1, b]);
  });
});
