/**
 * The generator's rows of chosen workloads, by rule key, and the outbound rule's anomaly count on
 * them computed from the rows (not via src/scan): for the opt-in scenarios' tests.
 */
import { createHash } from 'node:crypto';
import { dayRowCounts, generateDay, generatorNames, scenarioLabels } from '../../src/source/generator/generator.js';
import { METRIC_NAMES, type GeneratorConfig } from '../../src/source/generator/generatorTypes.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const SPAN_MS = 10_000;
/** the tcp metrics, in METRIC_NAMES order: the ones the opt-in scenarios change */
export const TCP = ['tcp.bytes', 'tcp.new_sockets', 'tcp.packets'] as const;
const TCP_INDEX = TCP.map((m) => METRIC_NAMES.indexOf(m));

const COLUMNS = ['timestamp', 'cluster', 'workload', 'process', 'dest', 'destProcess'] as const;

/** Every day's rows, the labels and the names of a configuration, hashed. */
export function digest(cfg: GeneratorConfig): string {
  const h = createHash('sha256');
  for (let d = 0; d < cfg.days; d++) {
    const r = generateDay(cfg, d);
    for (const a of [...COLUMNS.map((k) => r[k]), ...r.metrics]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(JSON.stringify(scenarioLabels(cfg)));
  h.update(JSON.stringify(generatorNames(cfg)));
  return h.digest('hex').slice(0, 16);
}

/** The day's rows by name: `cluster|workload|process|dest|destProcess|timestamp` -> the metrics, as text. */
export function rowsByName(cfg: GeneratorConfig, dayIndex: number, keep: (workload: string) => boolean = () => true): Map<string, string> {
  const n = generatorNames(cfg);
  const r = generateDay(cfg, dayIndex);
  const out = new Map<string, string>();
  for (let i = 0; i < r.length; i++) {
    const workload = n.workloads[r.workload[i]!]!;
    if (!keep(workload)) continue;
    const key = `${n.clusters[r.cluster[i]!]}|${workload}|${n.processes[r.process[i]!]}|${n.dests[r.dest[i]!]}|` +
      `${n.destProcesses[r.destProcess[i]!]}|${r.timestamp[i]}`;
    out.set(key, r.metrics.map((m) => String(m[i])).join(','));
  }
  return out;
}

/** How many rows are in one of `a` and `b` only, or in both with other values. */
export function rowsDiffering(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): number {
  let differ = 0;
  for (const [k, v] of a) if (b.get(k) !== v) differ++;
  for (const k of b.keys()) if (!a.has(k)) differ++;
  return differ;
}

/** One key's rows, every day, in time order within each series: timestamps and the tcp metrics (NaN: null). */
export interface KeyRows {
  cluster: string;
  workload: string;
  process: string;
  ts: number[];
  /** by TCP's order */
  metrics: [number[], number[], number[]];
}

/** The rows of every series of the named workloads, by `workload|process` (the rule's key; each of these in one cluster). */
export function keyRows(cfg: GeneratorConfig, workloads: ReadonlySet<string>): Map<string, KeyRows> {
  const names = generatorNames(cfg);
  const wanted = new Set([...workloads].map((w) => names.workloads.indexOf(w)));
  // which series are the wanted ones: the last day's rows are in series order, and every series reports then
  const last = generateDay(cfg, cfg.days - 1);
  const series: number[] = [];
  let row = 0;
  dayRowCounts(cfg, cfg.days - 1).forEach((n, si) => {
    if (n > 0 && wanted.has(last.workload[row]!)) series.push(si);
    row += n;
  });
  const out = new Map<string, KeyRows>();
  for (let d = 0; d < cfg.days; d++) {
    for (const si of series) {
      const r = generateDay(cfg, d, si, si + 1);
      for (let i = 0; i < r.length; i++) {
        const workload = names.workloads[r.workload[i]!]!;
        const process = names.processes[r.process[i]!]!;
        const key = `${workload}|${process}`;
        let k = out.get(key);
        if (!k) out.set(key, (k = { cluster: names.clusters[r.cluster[i]!]!, workload, process, ts: [], metrics: [[], [], []] }));
        k.ts.push(r.timestamp[i]!);
        TCP_INDEX.forEach((m, j) => k.metrics[j].push(r.metrics[m]![i]!));
      }
    }
  }
  return out;
}

export interface Moments { n: number; mean: number; sd: number }

/** Mean and sample sd of a metric's non-null values at the rows `inBaseline` keeps. */
export function moments(k: KeyRows, metric: number, inBaseline: (t: number) => boolean): Moments {
  let n = 0;
  let sum = 0;
  let sq = 0;
  k.ts.forEach((t, i) => {
    const v = k.metrics[metric]![i]!;
    if (Number.isNaN(v) || !inBaseline(t)) return;
    n++;
    sum += v;
    sq += v * v;
  });
  const mean = sum / n;
  return { n, mean, sd: Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1))) };
}

/** Each 10 s bucket's mean of a metric over [from, to): bucket start -> mean (the key is in one cluster). */
export function bucketMeans(k: KeyRows, metric: number, from: number, to: number): Map<number, number> {
  const acc = new Map<number, [number, number]>();
  k.ts.forEach((t, i) => {
    const v = k.metrics[metric]![i]!;
    if (t < from || t >= to || Number.isNaN(v)) return;
    const b = Math.floor(t / SPAN_MS) * SPAN_MS;
    const s = acc.get(b) ?? [0, 0];
    s[0] += v;
    s[1]++;
    acc.set(b, s);
  });
  return new Map([...acc].map(([b, [s, n]]) => [b, s / n]));
}

/**
 * The outbound rule's count at T: anomalous (bucket, tcp metric) pairs of the hour before T whose
 * value exceeds mean + 3 sd of the baseline rows `inBaseline` keeps.
 */
export function anomalyCount(k: KeyRows, T: number, inBaseline: (t: number) => boolean): number {
  let count = 0;
  TCP.forEach((_, m) => {
    const { mean, sd } = moments(k, m, inBaseline);
    for (const v of bucketMeans(k, m, T - HOUR_MS, T).values()) if (v > mean + 3 * sd) count++;
  });
  return count;
}

/** The flat baseline: [T - 30 d, T - 1 h). */
export const flatBaseline = (T: number) => (t: number) => t >= T - 30 * DAY_MS && t < T - HOUR_MS;

/**
 * The hour-of-day baseline: [T - 1 h - d days, T - d days) for d = 1..29; with `weekdaySplit`,
 * only the days of the same kind as the window's (Monday to Friday, or Saturday and Sunday, UTC).
 */
export function hourOfDayBaseline(T: number, weekdaySplit: boolean): (t: number) => boolean {
  const weekend = (t: number) => [0, 6].includes(new Date(t).getUTCDay());
  const kind = weekend(T - HOUR_MS);
  return (t) => {
    const d = Math.ceil((T - HOUR_MS - t) / DAY_MS);
    if (d < 1 || d > 29 || t < T - HOUR_MS - d * DAY_MS || t >= T - d * DAY_MS) return false;
    return !weekdaySplit || weekend(T - HOUR_MS - d * DAY_MS) === kind;
  };
}
