import { describe, it, expect } from 'vitest';
import { generateDay, generatorNames, scenarioLabels, seriesCount } from '../src/source/generator/generator.js';
import { METRIC_NAMES, type DayRows, type GeneratorConfig } from '../src/source/generator/generatorTypes.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const endMs = Date.UTC(2025, 5, 1);
const cfg: GeneratorConfig = { seed: 1, clusters: 3, workloads: 20, days: 30, endMs };
const small: GeneratorConfig = { seed: 7, clusters: 2, workloads: 6, days: 3, endMs };
const M = Object.fromEntries(METRIC_NAMES.map((m, i) => [m, i])) as Record<(typeof METRIC_NAMES)[number], number>;

const lastDay = generateDay(cfg, cfg.days - 1);
const names = generatorNames(cfg);
const labels = scenarioLabels(cfg);

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) => bytesOf(a).equals(bytesOf(b));

function expectSameRows(a: DayRows, b: DayRows): void {
  expect(a.length).toBe(b.length);
  for (const k of ['timestamp', 'cluster', 'workload', 'process', 'dest'] as const) expect(sameBytes(a[k], b[k])).toBe(true);
  a.metrics.forEach((m, i) => expect(sameBytes(m, b.metrics[i]!)).toBe(true));
}

function rowsOf(rows: DayRows, cluster: string, workload: string, process: string): number[] {
  const c = names.clusters.indexOf(cluster);
  const w = names.workloads.indexOf(workload);
  const p = names.processes.indexOf(process);
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows.cluster[i] === c && rows.workload[i] === w && rows.process[i] === p) out.push(i);
  }
  return out;
}

describe('generator', () => {
  it('is deterministic and generates each day independently of the others', () => {
    const again = generateDay({ ...small }, 1);
    generateDay(cfg, 3);
    const day0 = generateDay(small, 0);
    expectSameRows(generateDay(small, 1), again);
    expectSameRows(generateDay(small, 0), day0);
    expect(sameBytes(generateDay({ ...small, seed: 8 }, 1).timestamp, again.timestamp)).toBe(false);
  });

  it('gives a stable series count near 60 for the default configuration', () => {
    expect(seriesCount(cfg)).toBeGreaterThanOrEqual(55);
    expect(seriesCount(cfg)).toBeLessThanOrEqual(65);
    for (let seed = 2; seed < 12; seed++) {
      const n = seriesCount({ ...cfg, seed });
      expect(n).toBeGreaterThanOrEqual(50);
      expect(n).toBeLessThanOrEqual(75);
    }
    expect(lastDay.length).toBeGreaterThan(seriesCount(cfg) * 8000);
  });

  it('returns sorted, unique names that the rows index', () => {
    for (const list of Object.values(names)) {
      expect([...list].sort()).toEqual(list);
      expect(new Set(list).size).toBe(list.length);
    }
    expect(names.clusters).toHaveLength(3);
    expect(names.workloads).toHaveLength(20);
    expect(names.workloads).toContain('coredns');
    const lists = { cluster: names.clusters, workload: names.workloads, process: names.processes, dest: names.dests };
    for (const k of ['cluster', 'workload', 'process', 'dest'] as const) {
      const list = lists[k];
      expect(lastDay[k].every((v) => v < list.length)).toBe(true);
      expect(new Set(lastDay[k]).size).toBe(list.length);
    }
    expect(generatorNames({ ...cfg, workloads: 100 }).workloads).toHaveLength(100);
  });

  it('sorts rows by workload, process, cluster, dest, timestamp', () => {
    const r = lastDay;
    let bad = 0;
    for (let i = 1; i < r.length; i++) {
      const d = r.workload[i]! - r.workload[i - 1]! || r.process[i]! - r.process[i - 1]!
        || r.cluster[i]! - r.cluster[i - 1]! || r.dest[i]! - r.dest[i - 1]!;
      if (d < 0 || (d === 0 && r.timestamp[i]! <= r.timestamp[i - 1]!)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('keeps integer timestamps inside the day, unaligned to 10 s, about one per 10 s', () => {
    const day = 4;
    const r = generateDay(cfg, day);
    const start = endMs - (cfg.days - day) * DAY_MS;
    let outside = 0;
    let aligned = 0;
    let fractional = 0;
    for (let i = 0; i < r.length; i++) {
      const t = r.timestamp[i]!;
      if (t < start || t >= start + DAY_MS) outside++;
      if (t % 10_000 === 0) aligned++;
      if (!Number.isInteger(t)) fractional++;
    }
    expect(outside).toBe(0);
    expect(fractional).toBe(0);
    expect(aligned).toBeLessThan(r.length * 0.01);
    const gaps = new Set<number>();
    for (let i = 1; i < 2000; i++) if (r.dest[i] === r.dest[i - 1]) gaps.add(r.timestamp[i]! - r.timestamp[i - 1]!);
    expect(gaps.size).toBeGreaterThan(10);
  });

  it('produces non-negative values, NaN udp for tcp-only processes, and udp for coredns', () => {
    const r = lastDay;
    const coredns = names.processes.indexOf('coredns');
    const java = names.processes.indexOf('java');
    let negative = 0;
    let nulls = 0;
    let javaUdp = 0;
    let dnsUdp = 0;
    let dnsRows = 0;
    for (let i = 0; i < r.length; i++) {
      for (const m of r.metrics) {
        if (m[i]! < 0) negative++;
        if (Number.isNaN(m[i])) nulls++;
      }
      if (r.process[i] === java && !(Number.isNaN(r.metrics[M['udp.bytes']]![i]) && Number.isNaN(r.metrics[M['udp.packets']]![i]))) javaUdp++;
      if (r.process[i] === coredns) {
        dnsRows++;
        if (r.metrics[M['udp.packets']]![i]! > r.metrics[M['tcp.packets']]![i]!) dnsUdp++;
      }
    }
    expect(negative).toBe(0);
    expect(javaUdp).toBe(0);
    expect(dnsRows).toBeGreaterThan(0);
    expect(dnsUdp).toBeGreaterThan(dnsRows * 0.99);
    const tcpNulls = r.metrics.slice(0, 3).reduce((n, m) => n + m.filter(Number.isNaN).length, 0);
    expect(tcpNulls).toBeGreaterThan(0);
    expect(tcpNulls).toBeLessThan(r.length * 0.003);
    expect(nulls).toBeGreaterThan(tcpNulls);
  });

  it('keeps bytes per packet realistic', () => {
    const r = lastDay;
    const bytes = r.metrics[M['tcp.bytes']]!;
    const packets = r.metrics[M['tcp.packets']]!;
    let bad = 0;
    let checked = 0;
    const endHour = endMs - HOUR_MS;
    for (let i = 0; i < r.length; i++) {
      if (r.timestamp[i]! >= endHour || !(packets[i]! > 50)) continue;
      checked++;
      const size = bytes[i]! / packets[i]!;
      if (size < 400 || size > 1700) bad++;
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(bad).toBe(0);
  });

  it('labels the four scenarios inside the final hour of the range', () => {
    expect(labels.map((l) => l.scenario)).toEqual(['exfiltration-burst', 'dns-tunnel', 'new-process', 'short-burst']);
    expect(labels.map((l) => l.expectedFinding)).toEqual([true, true, false, false]);
    for (const l of labels) {
      expect(names.clusters).toContain(l.cluster);
      expect(names.workloads).toContain(l.workload);
      expect(names.processes).toContain(l.process);
      expect(Date.parse(l.from)).toBeGreaterThanOrEqual(endMs - HOUR_MS);
      expect(Date.parse(l.to)).toBeLessThanOrEqual(endMs);
      expect(Date.parse(l.from)).toBeLessThan(Date.parse(l.to));
      expect(rowsOf(lastDay, l.cluster, l.workload, l.process).length).toBeGreaterThan(0);
    }
    expect(labels[1]!.process).toBe('coredns');
    expect(scenarioLabels(cfg)).toEqual(labels);
  });

  it('emits the new process only in the final hour of the last day', () => {
    const l = labels.find((x) => x.scenario === 'new-process')!;
    const rows = rowsOf(lastDay, l.cluster, l.workload, l.process);
    expect(rows.length).toBeGreaterThan(200);
    expect(rows.every((i) => lastDay.timestamp[i]! >= Date.parse(l.from))).toBe(true);
    for (const day of [0, cfg.days - 2]) {
      const r = generateDay(cfg, day);
      expect(rowsOf(r, l.cluster, l.workload, l.process)).toHaveLength(0);
      const p = names.processes.indexOf(l.process);
      expect(r.process.includes(p)).toBe(false);
    }
  });

  it('makes the true scenarios exceed mean + 3 sigma of the baseline, and the short burst brief', () => {
    // Reference rule at T = endMs over a one-week baseline, enough to check the injected strength.
    const week: GeneratorConfig = { ...cfg, days: 7 };
    const wl = scenarioLabels(week);
    const n = new Map<string, Float64Array>();
    const keyOf = (w: number, p: number) => `${w}:${p}`;
    const weekNames = generatorNames(week);
    for (let d = 0; d < week.days; d++) {
      const r = generateDay(week, d);
      for (let i = 0; i < r.length; i++) {
        if (r.timestamp[i]! >= endMs - HOUR_MS) continue;
        const k = keyOf(r.workload[i]!, r.process[i]!);
        let acc = n.get(k);
        if (!acc) n.set(k, (acc = new Float64Array(15)));
        r.metrics.forEach((m, j) => {
          const v = m[i]!;
          if (Number.isNaN(v)) return;
          acc[j * 3]!++;
          const delta = v - acc[j * 3 + 1]!;
          acc[j * 3 + 1]! += delta / acc[j * 3]!;
          acc[j * 3 + 2]! += delta * (v - acc[j * 3 + 1]!);
        });
      }
    }
    const r = generateDay(week, week.days - 1);
    const countFor = (cluster: string, workload: string, process: string): number => {
      const c = weekNames.clusters.indexOf(cluster);
      const w = weekNames.workloads.indexOf(workload);
      const p = weekNames.processes.indexOf(process);
      const acc = n.get(keyOf(w, p));
      if (!acc) return 0;
      const buckets = new Map<number, Float64Array>();
      for (let i = 0; i < r.length; i++) {
        if (r.cluster[i] !== c || r.workload[i] !== w || r.process[i] !== p || r.timestamp[i]! < endMs - HOUR_MS) continue;
        const b = Math.floor(r.timestamp[i]! / 10_000);
        let s = buckets.get(b);
        if (!s) buckets.set(b, (s = new Float64Array(10)));
        r.metrics.forEach((m, j) => {
          if (!Number.isNaN(m[i])) { s[j * 2]! += m[i]!; s[j * 2 + 1]!++; }
        });
      }
      let count = 0;
      for (const s of buckets.values()) {
        for (let j = 0; j < 5; j++) {
          const sd = Math.sqrt(acc[j * 3 + 2]! / (acc[j * 3]! - 1));
          if (s[j * 2 + 1]! > 0 && s[j * 2]! / s[j * 2 + 1]! > acc[j * 3 + 1]! + 3 * sd) count++;
        }
      }
      return count;
    };
    const counts = Object.fromEntries(wl.map((l) => [l.scenario, countFor(l.cluster, l.workload, l.process)]));
    expect(counts['exfiltration-burst']).toBeGreaterThanOrEqual(170);
    expect(counts['dns-tunnel']).toBeGreaterThanOrEqual(230);
    expect(counts['new-process']).toBe(0);
    expect(counts['short-burst']).toBeGreaterThanOrEqual(2);
    expect(counts['short-burst']).toBeLessThanOrEqual(5);
  });

  it('rejects invalid configurations and day indexes', () => {
    expect(() => generateDay(cfg, cfg.days)).toThrow(RangeError);
    expect(() => generateDay(cfg, -1)).toThrow(RangeError);
    expect(() => seriesCount({ ...cfg, endMs: endMs + 1 })).toThrow(RangeError);
    expect(() => seriesCount({ ...cfg, workloads: 0 })).toThrow(RangeError);
  });
});
