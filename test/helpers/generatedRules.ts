/**
 * The rule family computed directly on generated DayRows at T = cfg.endMs, baseline the whole
 * range before the last hour: independent of src/scan, to check what the labelled scenarios put
 * into the rows. Keys are numbers from the caller's key function; results are keyed
 * `${cluster index}|${key}`.
 */
import { generateDay } from '../../src/source/generator/generator.js';
import type { DayRows, GeneratorConfig } from '../../src/source/generator/generatorTypes.js';

const HOUR_MS = 3_600_000;
const METRICS = 5;

export type RowKey = (r: DayRows, i: number) => number;

/** Count of (10 s bucket, metric) pairs of the last hour above baseline mean + 3 sample sd, per (cluster, key). */
export function anomalyCounts(cfg: GeneratorConfig, keyOf: RowKey): Map<string, number> {
  const recentFrom = cfg.endMs - HOUR_MS;
  // per key: count, mean, M2 per metric (Welford)
  const base = new Map<number, Float64Array>();
  const buckets = new Map<string, Float64Array>();
  for (let d = 0; d < cfg.days; d++) {
    const r = generateDay(cfg, d);
    for (let i = 0; i < r.length; i++) {
      const k = keyOf(r, i);
      if (r.timestamp[i]! >= recentFrom) {
        const b = `${r.cluster[i]}|${k}|${Math.floor(r.timestamp[i]! / 10_000)}`;
        let s = buckets.get(b);
        if (!s) buckets.set(b, (s = new Float64Array(2 * METRICS)));
        for (let j = 0; j < METRICS; j++) {
          const v = r.metrics[j]![i]!;
          if (!Number.isNaN(v)) { s[2 * j]! += v; s[2 * j + 1]!++; }
        }
        continue;
      }
      let acc = base.get(k);
      if (!acc) base.set(k, (acc = new Float64Array(3 * METRICS)));
      for (let j = 0; j < METRICS; j++) {
        const v = r.metrics[j]![i]!;
        if (Number.isNaN(v)) continue;
        acc[3 * j]!++;
        const delta = v - acc[3 * j + 1]!;
        acc[3 * j + 1]! += delta / acc[3 * j]!;
        acc[3 * j + 2]! += delta * (v - acc[3 * j + 1]!);
      }
    }
  }
  const counts = new Map<string, number>();
  for (const [b, s] of buckets) {
    const [cluster, key] = b.split('|');
    const acc = base.get(Number(key));
    let n = 0;
    for (let j = 0; acc && j < METRICS; j++) {
      if (acc[3 * j]! < 2 || s[2 * j + 1] === 0) continue;
      const sd = Math.sqrt(acc[3 * j + 2]! / (acc[3 * j]! - 1));
      if (s[2 * j]! / s[2 * j + 1]! > acc[3 * j + 1]! + 3 * sd) n++;
    }
    const id = `${cluster}|${key}`;
    counts.set(id, (counts.get(id) ?? 0) + n);
  }
  return counts;
}

/**
 * Edges (source workload, dest workload) with a non-null value of metric `m` in the last hour
 * and none before it in the range (any cluster), as `${cluster index}|${workload}|${dest}`.
 */
export function newEdges(cfg: GeneratorConfig, m: number): Set<string> {
  const recentFrom = cfg.endMs - HOUR_MS;
  const seen = new Set<number>();
  const recent = new Set<string>();
  for (let d = 0; d < cfg.days; d++) {
    const r = generateDay(cfg, d);
    const values = r.metrics[m]!;
    for (let i = 0; i < r.length; i++) {
      if (Number.isNaN(values[i])) continue;
      if (r.timestamp[i]! < recentFrom) seen.add(r.workload[i]! * 65_536 + r.dest[i]!);
      else recent.add(`${r.cluster[i]}|${r.workload[i]}|${r.dest[i]}`);
    }
  }
  return new Set([...recent].filter((e) => {
    const [, w, dest] = e.split('|').map(Number);
    return !seen.has(w! * 65_536 + dest!);
  }));
}
