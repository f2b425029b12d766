import { describe, it, expect } from 'vitest';
import { generateDay, generatorNames, scenarioLabels, seriesCount } from '../src/source/generator/generator.js';
import { METRIC_NAMES, type DayRows, type GeneratorConfig, type ScenarioLabel } from '../src/source/generator/generatorTypes.js';
import { builtinRules } from '../src/rule/builtinRules.js';
import { anomalyCounts, newEdges } from './helpers/generatedRules.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const endMs = Date.UTC(2025, 5, 1);
const cfg: GeneratorConfig = { seed: 1, clusters: 3, workloads: 20, days: 30, endMs };
const small: GeneratorConfig = { seed: 7, clusters: 2, workloads: 6, days: 3, endMs };
const INBOUND = '10442d8b-0701-4c25-911d-d67b906e713c';
const NEW_TCP_EDGE = '13f081d6-7052-428a-bbb0-892c79ca7c65';
const NEW_UDP_EDGE = '49b7daca-4e3c-4899-ba15-9a175e056fa9';
const M = Object.fromEntries(METRIC_NAMES.map((m, i) => [m, i])) as Record<(typeof METRIC_NAMES)[number], number>;

const lastDay = generateDay(cfg, cfg.days - 1);
const names = generatorNames(cfg);
const labels = scenarioLabels(cfg);

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) => bytesOf(a).equals(bytesOf(b));

function expectSameRows(a: DayRows, b: DayRows): void {
  expect(a.length).toBe(b.length);
  for (const k of ['timestamp', 'cluster', 'workload', 'process', 'dest', 'destProcess'] as const) expect(sameBytes(a[k], b[k])).toBe(true);
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
    const lists = { cluster: names.clusters, workload: names.workloads, process: names.processes, dest: names.dests, destProcess: names.destProcesses };
    for (const k of ['cluster', 'workload', 'process', 'dest', 'destProcess'] as const) {
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
    const outbound = labels.filter((l) => l.rule === undefined);
    expect(outbound.map((l) => l.scenario)).toEqual(['exfiltration-burst', 'dns-tunnel', 'new-process', 'short-burst']);
    expect(outbound.map((l) => l.expectedFinding)).toEqual([true, true, false, false]);
    for (const l of outbound) {
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
    const weekNames = generatorNames(week);
    const outbound = anomalyCounts(week, (r, i) => r.workload[i]! * 65_536 + r.process[i]!);
    const countFor = (cluster: string, workload: string, process: string): number => outbound.get(
      `${weekNames.clusters.indexOf(cluster)}|${weekNames.workloads.indexOf(workload) * 65_536 + weekNames.processes.indexOf(process)}`) ?? 0;
    const counts = Object.fromEntries(wl.filter((l) => l.rule === undefined).map((l) => [l.scenario, countFor(l.cluster, l.workload, l.process)]));
    expect(counts['exfiltration-burst']).toBeGreaterThanOrEqual(170);
    expect(counts['dns-tunnel']).toBeGreaterThanOrEqual(230);
    expect(counts['new-process']).toBe(0);
    expect(counts['short-burst']).toBeGreaterThanOrEqual(2);
    expect(counts['short-burst']).toBeLessThanOrEqual(5);
  });

  it('writes one dest.process.name per destination, the server behind it, the same on every call', () => {
    const byDest = new Map<number, number>();
    let clash = 0;
    for (let i = 0; i < lastDay.length; i++) {
      const p = byDest.get(lastDay.dest[i]!);
      if (p === undefined) byDest.set(lastDay.dest[i]!, lastDay.destProcess[i]!);
      else if (p !== lastDay.destProcess[i]) clash++;
    }
    expect(clash).toBe(0);
    const of = (dest: string) => names.destProcesses[byDest.get(names.dests.indexOf(dest))!];
    expect(of('kube-dns')).toBe('coredns');
    for (const d of names.dests.filter((x) => ['postgres', 'redis', 'user-service'].includes(x))) {
      expect(of(d)).toBe({ postgres: 'postgres', redis: 'redis-server', 'user-service': 'java' }[d]);
    }
    // generated again after another fleet evicted the cached one, and in a series range
    generateDay(small, 0);
    const part = generateDay(cfg, cfg.days - 1, 0, 10);
    expect(sameBytes(part.destProcess, lastDay.destProcess.subarray(0, part.length))).toBe(true);
  });

  it('labels the destination-side scenarios with their rules and destinations', () => {
    const dest = labels.filter((l) => l.rule !== undefined);
    expect(dest.map((l) => l.scenario)).toEqual(['inbound-burst', 'new-edge', 'new-udp-edge']);
    const ids = new Set(builtinRules().map((r) => r.id));
    for (const l of dest) {
      expect(ids.has(l.rule!)).toBe(true);
      expect(l.expectedFinding).toBe(true);
      expect(names.clusters).toContain(l.cluster);
      expect(names.dests).toContain(l['dest.workload.name']);
      expect(names.destProcesses).toContain(l['dest.process.name']);
      expect(Date.parse(l.from)).toBeGreaterThanOrEqual(endMs - HOUR_MS);
      expect(Date.parse(l.to)).toBeLessThanOrEqual(endMs);
    }
    const [inbound, tcp, udp] = dest as [ScenarioLabel, ScenarioLabel, ScenarioLabel];
    expect([inbound.rule, tcp.rule, udp.rule]).toEqual([INBOUND, NEW_TCP_EDGE, NEW_UDP_EDGE]);
    expect([inbound.workload, inbound.process]).toEqual([inbound['dest.workload.name'], inbound['dest.process.name']]);
    const exfil = labels[0]!;
    const exfilDests = new Set(rowsOf(lastDay, exfil.cluster, exfil.workload, exfil.process).map((i) => names.dests[lastDay.dest[i]!]));
    expect(exfilDests.has(inbound['dest.workload.name']!)).toBe(false);
    for (const l of [tcp, udp]) {
      expect(names.workloads).toContain(l.workload);
      expect(rowsOf(lastDay, l.cluster, l.workload, l.process).length).toBeGreaterThan(0);
    }
    expect(tcp.workload).not.toBe(udp.workload);
  });
});

describe('the destination-side scenarios, against the rules computed from the rows', () => {
  // A one-week range has the same fleet and labels as the 30-day one, and is enough of a baseline.
  const week: GeneratorConfig = { ...cfg, days: 7 };
  const wl = scenarioLabels(week);
  const wn = generatorNames(week);
  const byScenario = (name: string) => wl.find((l) => l.scenario === name)!;
  const edgeName = (e: string) => {
    const [c, w, d] = e.split('|').map(Number);
    return `${wn.clusters[c!]}|${wn.workloads[w!]}|${wn.dests[d!]}`;
  };

  it('inbound-burst: the destination\'s bucket means exceed mean + 3 sd in more than 5 pairs, its sources\' outbound keys not', () => {
    const l = byScenario('inbound-burst');
    const c = wn.clusters.indexOf(l.cluster);
    const d = wn.dests.indexOf(l['dest.workload.name']!);
    const dp = wn.destProcesses.indexOf(l['dest.process.name']!);
    const inbound = anomalyCounts(week, (r, i) => r.dest[i]! * 65_536 + r.destProcess[i]!);
    expect(inbound.get(`${c}|${d * 65_536 + dp}`)).toBeGreaterThan(100);
    const last = generateDay(week, week.days - 1);
    const sources = new Set<number>();
    let inWindow = 0;
    for (let i = 0; i < last.length; i++) {
      if (last.cluster[i] !== c || last.dest[i] !== d) continue;
      sources.add(last.workload[i]! * 65_536 + last.process[i]!);
      if (last.timestamp[i]! >= Date.parse(l.from) && last.timestamp[i]! < Date.parse(l.to)) inWindow++;
    }
    expect(inWindow).toBeGreaterThan(80 * sources.size);
    const outbound = anomalyCounts(week, (r, i) => r.workload[i]! * 65_536 + r.process[i]!);
    for (const k of sources) expect(outbound.get(`${c}|${k}`) ?? 0).toBeLessThanOrEqual(5);
    // nor do the keys that start a new edge, at their modest volume
    for (const e of [byScenario('new-edge'), byScenario('new-udp-edge')]) {
      const k = wn.workloads.indexOf(e.workload) * 65_536 + wn.processes.indexOf(e.process);
      expect(outbound.get(`${wn.clusters.indexOf(e.cluster)}|${k}`) ?? 0).toBeLessThanOrEqual(5);
    }
  });

  it('new-edge and new-udp-edge: the only edges seen in the last hour and never before, but the new process\'s', () => {
    const tcp = byScenario('new-edge');
    const udp = byScenario('new-udp-edge');
    const xmrig = byScenario('new-process');
    const last = generateDay(week, week.days - 1);
    const xmrigDest = wn.dests[last.dest[rowsOf(last, xmrig.cluster, xmrig.workload, xmrig.process)[0]!]!];
    const name = (l: ScenarioLabel, dest = l['dest.workload.name']) => `${l.cluster}|${l.workload}|${dest}`;
    // the new process's edge is new by construction too
    expect([...newEdges(week, M['tcp.packets'])].map(edgeName).sort()).toEqual([name(tcp), name(xmrig, xmrigDest)].sort());
    expect([...newEdges(week, M['udp.packets'])].map(edgeName)).toEqual([name(udp)]);
    const rows = rowsOf(last, udp.cluster, udp.workload, udp.process)
      .filter((i) => wn.dests[last.dest[i]!] === udp['dest.workload.name']);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((i) => Number.isNaN(last.metrics[M['tcp.packets']]![i]) && last.metrics[M['udp.packets']]![i]! >= 0)).toBe(true);
  });
});

describe('configuration errors', () => {
  it('rejects invalid configurations and day indexes', () => {
    expect(() => generateDay(cfg, cfg.days)).toThrow(RangeError);
    expect(() => generateDay(cfg, -1)).toThrow(RangeError);
    expect(() => seriesCount({ ...cfg, endMs: endMs + 1 })).toThrow(RangeError);
    expect(() => seriesCount({ ...cfg, workloads: 0 })).toThrow(RangeError);
  });
});
