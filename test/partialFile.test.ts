import { describe, expect, it } from 'vitest';
import { PartialMerger } from '../src/reduce/mergePartials.js';
import { PartialFileReader, PartialFileWriter, type PartialHeaderFields } from '../src/state/partialFile.js';
import { BUCKET_STRIDE, MOMENT_STRIDE, addMoment, addBucket, newMoments } from '../src/state/moments.js';
import { emptyStats, type PartialState } from '../src/state/partialState.js';
import { decodeTaskState, encodeTaskState, type EncodedTask } from '../src/state/taskPartial.js';
import type { ScanWindow } from '../src/plan/scanWindow.js';
import { rng } from './helpers/rng.js';

const M = ['tcp.bytes', 'udp.bytes'];
const W: ScanWindow = { baselineStart: 0, baselineEnd: 100_000, cellMs: 100_000, recentStart: 100_000, recentEnd: 150_000, spanMs: 10_000 };

/** A task's partial as a worker makes one: some keys and buckets empty, values of every magnitude. */
function partial(seed: number, sparse: boolean): PartialState {
  const next = rng(seed);
  const keys = 3;
  const series = 4;
  const buckets = 5;
  const baseline = newMoments(keys * M.length);
  for (let k = 0; k < keys - 1; k++) {
    for (let j = 0; j < M.length; j++) for (let i = 0; i < 5; i++) addMoment(baseline, (k * M.length + j) * MOMENT_STRIDE, [1e9 + next(), 1e-300, 0, 3.5][i % 4]);
  }
  const recent = new Float64Array(series * buckets * M.length * BUCKET_STRIDE);
  for (let s = 0; s < series; s++) for (let b = 0; b < buckets; b += 2) addBucket(recent, ((s * buckets + b) * M.length + (s % 2)) * BUCKET_STRIDE, next() * 1e6);
  const stats = { ...emptyStats(M.length), rowsRead: 1234, rowsInRange: 1200, rowsMissingKey: 3, invalidValues: [1, 0], maxTimestamp: 149_999, minTimestamp: 5 };
  const p: PartialState = {
    metrics: M, workloads: ['w0', 'w1', 'w2'], processes: ['p', 'p', 'ü: "q"'], cellOrigin: 0, cellCount: 1, baseline,
    clusters: ['c0', 'c1'], seriesCluster: Int32Array.of(0, 1, 0, 1), seriesKey: Int32Array.of(0, 0, 1, 2), firstBucket: 10, bucketCount: buckets, recent, stats,
  };
  if (!sparse) return p;
  const rows: number[] = [];
  for (let r = 0; r < series * buckets; r++) if (recent.subarray(r * M.length * BUCKET_STRIDE, (r + 1) * M.length * BUCKET_STRIDE).some((v) => v !== 0)) rows.push(r);
  const packed = new Float64Array(rows.length * M.length * BUCKET_STRIDE);
  rows.forEach((r, u) => packed.set(recent.subarray(r * M.length * BUCKET_STRIDE, (r + 1) * M.length * BUCKET_STRIDE), u * M.length * BUCKET_STRIDE));
  return { ...p, recent: packed, recentRows: Int32Array.from(rows) };
}

const HEADER = (tasks: number[]): PartialHeaderFields => ({ kind: 'tasks', fingerprint: 'f'.repeat(64), shard: 0, shards: 1, metrics: M, tasks, records: 0, meta: { any: 'thing' } });

async function write(fields: PartialHeaderFields, tasks: EncodedTask[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const w = new PartialFileWriter(fields, async (c) => { chunks.push(c.slice()); });
  for (const t of tasks) w.addTask(t);
  await w.finish();
  return Buffer.concat(chunks);
}

async function readAll(bytes: Uint8Array): Promise<EncodedTask[]> {
  const r = await PartialFileReader.open(bytes);
  const out: EncodedTask[] = [];
  for await (const t of r.tasks()) out.push(t);
  return out;
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('partial files', () => {
  it('give back partials the reducer merges into the very bits of the originals', async () => {
    const originals = [partial(1, false), partial(2, true), partial(3, false)];
    const bytes = await write(HEADER([4, 5, 6]), originals.map((p, i) => encodeTaskState(p, 4 + i, `f${i}.parquet`, -Infinity)));
    const back = await readAll(bytes);
    expect(back.map((t) => [t.task, t.path, t.start])).toEqual([[4, 'f0.parquet', -Infinity], [5, 'f1.parquet', -Infinity], [6, 'f2.parquet', -Infinity]]);
    const a = new PartialMerger(M, W);
    const b = new PartialMerger(M, W);
    for (const p of originals) a.add(p);
    for (const t of back) b.add(decodeTaskState(t, M));
    const ra = a.result();
    const rb = b.result();
    expect(bits(rb.baseline)).toBe(bits(ra.baseline));
    expect(bits(rb.recent)).toBe(bits(ra.recent));
    expect(rb.workloads).toEqual(ra.workloads);
    expect(rb.processes).toEqual(ra.processes);
    expect(rb.clusters).toEqual(ra.clusters);
    expect(rb.stats).toEqual(ra.stats);
    // not vacuous: the states hold data
    expect(ra.stats.rowsRead).toBe(3 * 1234);
    expect(ra.recent.some((v) => v !== 0)).toBe(true);
  });

  it('are the same bytes for the same tasks, and hold no empty rows', async () => {
    const enc = encodeTaskState(partial(1, false), 0, 'x', 0);
    expect(enc.baselineRows.length).toBe(2);
    expect(enc.recentRows.length).toBe(12);
    const one = await write(HEADER([0]), [enc]);
    const two = await write(HEADER([0]), [encodeTaskState(partial(1, true), 0, 'x', 0)]);
    expect(Buffer.from(two).equals(Buffer.from(one))).toBe(true);
    expect((await readAll(await write(HEADER([]), []))).length).toBe(0);
  });

  it('refuse a flipped bit in a task, a changed header and a truncated file', async () => {
    const bytes = await write(HEADER([0, 1]), [encodeTaskState(partial(1, false), 0, 'x', 0), encodeTaskState(partial(2, false), 1, 'y', 0)]);
    const buf = Buffer.from(bytes);
    // a baseline mean's bits, in the second batch
    const needle = Buffer.from(new Float64Array([partial(2, false).baseline[1]]).buffer);
    const at = buf.lastIndexOf(needle);
    expect(at).toBeGreaterThan(0);
    const flipped = Buffer.from(buf);
    flipped[at] ^= 1;
    await expect(readAll(flipped)).rejects.toThrow(/task 1 does not match its digest \(corrupt\)/);
    const header = Buffer.from(buf);
    const meta = header.indexOf('"thing"');
    header[meta + 1] = 'T'.charCodeAt(0);
    await expect(PartialFileReader.open(header)).rejects.toThrow(/header does not match its digest/);
    await expect(PartialFileReader.open(buf.subarray(0, buf.length - 100))).rejects.toThrow(/not a complete Arrow IPC file \(truncated\?\)/);
    await expect(PartialFileReader.open(Buffer.from('not arrow at all'))).rejects.toThrow(/not a complete Arrow IPC file/);
  });

  it('refuse tasks out of the order their header lists', async () => {
    const chunks: Uint8Array[] = [];
    const w = new PartialFileWriter(HEADER([0, 1]), async (c) => { chunks.push(c); });
    expect(() => w.addTask(encodeTaskState(partial(1, false), 1, 'x', 0))).toThrow(/got task 1, expected 0/);
    w.abort();
  });
});
