/**
 * export --busy-hours N: batch workloads with a daily busy hour in the clock hour of the range's
 * final hour. Checked from the generated rows (not via src/scan): the flat 30-day baseline of
 * the published rule fires on them, a baseline of the same hour on the 29 previous days does not.
 */
import { describe, expect, it } from 'vitest';
import { generateDay, generatorNames, scenarioLabels, seriesCount } from '../src/source/generator/generator.js';
import { BUSY_POOL } from '../src/source/generator/busyHour.js';
import type { DayRows, GeneratorConfig } from '../src/source/generator/generatorTypes.js';
import { runCliOk } from './helpers/cli.js';
import { exportOptIn, expectOptInRefused, tempDirs } from './helpers/optInExport.js';
import {
  HOUR_MS, TCP, bucketMeans, digest, flatBaseline, hourOfDayBaseline, keyRows, moments, rowsByName, type Moments,
} from './helpers/generatedKeys.js';

const endMs = Date.UTC(2025, 5, 1);
const small: GeneratorConfig = { seed: 7, clusters: 2, workloads: 6, days: 3, endMs };
const DESCRIPTION = 'a daily batch at the same hour every day: the flat baseline fires on it, the hour-of-day baseline must not';
const COLUMNS = ['timestamp', 'cluster', 'workload', 'process', 'dest', 'destProcess'] as const;

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectSameRows(a: DayRows, b: DayRows): void {
  expect(a.length).toBe(b.length);
  for (const k of COLUMNS) expect(bytesOf(a[k]).equals(bytesOf(b[k]))).toBe(true);
  a.metrics.forEach((m, i) => expect(bytesOf(m).equals(bytesOf(b.metrics[i]!))).toBe(true));
}

describe('--busy-hours 0 (the default): the generator as it was', () => {
  it('generates the same rows, labels and names as without the option, and as before it existed', () => {
    for (const cfg of [small, { ...small, seed: 3, clusters: 1, workloads: 4, intervalMs: 30_000 }]) {
      const zero = { ...cfg, busyHours: 0 };
      for (let d = 0; d < cfg.days; d++) expectSameRows(generateDay(zero, d), generateDay(cfg, d));
      expect(scenarioLabels(zero)).toEqual(scenarioLabels(cfg));
      expect(generatorNames(zero)).toEqual(generatorNames(cfg));
      expect(seriesCount(zero)).toBe(seriesCount(cfg));
      expect(scenarioLabels(zero).some((l) => l.scenario === 'busy-hour')).toBe(false);
    }
    // the small fleet's every row, label and name, as generated before --busy-hours was added
    expect(digest(small)).toBe('2b7051a0749e49ec');
    expect(digest({ ...small, busyHours: 0 })).toBe('2b7051a0749e49ec');
  });
});

describe('--busy-hours 3', () => {
  const cfg: GeneratorConfig = { ...small, busyHours: 3 };
  const labels = scenarioLabels(cfg);
  const busy = labels.filter((l) => l.scenario === 'busy-hour');
  const busyNames = new Set(BUSY_POOL.map(([w]) => w));

  it('labels three busy hours, about the outbound rule, over the final hour, after the other labels unchanged', () => {
    expect(busy).toHaveLength(3);
    expect(labels.slice(0, labels.length - 3)).toEqual(scenarioLabels(small));
    const names = generatorNames(cfg);
    for (const l of busy) {
      expect(Object.keys(l).sort()).toEqual(['cluster', 'description', 'expectedFinding', 'from', 'process', 'scenario', 'to', 'workload']);
      expect(l).toMatchObject({
        scenario: 'busy-hour', expectedFinding: false, description: DESCRIPTION,
        from: new Date(endMs - HOUR_MS).toISOString(), to: new Date(endMs).toISOString(),
      });
      expect(generatorNames(small).clusters).toContain(l.cluster);
      expect(busyNames.has(l.workload)).toBe(true);
      expect(generatorNames(small).workloads).not.toContain(l.workload);
      expect(names.workloads).toContain(l.workload);
      expect(names.processes).toContain(l.process);
    }
    expect(new Set(busy.map((l) => l.workload)).size).toBe(3);
    // deterministic from the seed, and N busy hours are the first N of more
    expect(scenarioLabels({ ...cfg })).toEqual(labels);
    expect(scenarioLabels({ ...cfg, busyHours: 2 }).filter((l) => l.scenario === 'busy-hour')).toEqual(busy.slice(0, 2));
    expect(scenarioLabels({ ...cfg, seed: 8 }).filter((l) => l.scenario === 'busy-hour').map((l) => l.workload)).not.toEqual(busy.map((l) => l.workload));
  });

  it('leaves every other series\' rows as they were, by name; the new ones send to their stores, not to the inbound burst\'s destination', () => {
    const workloads = new Set(busy.map((l) => l.workload));
    for (const d of [0, cfg.days - 1]) {
      const before = rowsByName(small, d);
      const after = rowsByName(cfg, d, (w) => !workloads.has(w));
      expect(after.size).toBe(before.size);
      let differ = 0;
      for (const [k, v] of before) if (after.get(k) !== v) differ++;
      expect(differ).toBe(0);
    }
    const names = generatorNames(cfg);
    const last = generateDay(cfg, cfg.days - 1);
    const inboundDest = labels.find((l) => l.scenario === 'inbound-burst')?.['dest.workload.name'];
    const stores = new Map(BUSY_POOL.map(([w, , dests]) => [w, dests]));
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < last.length; i++) {
      const w = names.workloads[last.workload[i]!]!;
      const dest = names.dests[last.dest[i]!]!;
      if (workloads.has(w)) seen.set(w, (seen.get(w) ?? new Set()).add(dest));
      // no other workload sends to a busy-hour workload
      expect(workloads.has(dest)).toBe(false);
    }
    for (const w of workloads) {
      const dests = [...seen.get(w)!];
      expect(dests.length).toBeGreaterThanOrEqual(1);
      expect(dests.every((d) => stores.get(w)!.includes(d) && d !== inboundDest)).toBe(true);
    }
  });
});

const TCP_BYTES = TCP.indexOf('tcp.bytes');

/**
 * Per busy-hour key (workload, process, pooled across clusters as the rule pools its baseline):
 * the count of final-hour 10 s buckets whose tcp.bytes mean exceeds mean + 3 sample sd of the
 * flat baseline (every row before the final hour) and of the hour-of-day baseline (the rows of
 * [T - 1h - d * 24h, T - d * 24h), d = 1..29).
 */
function busyHourCounts(cfg: GeneratorConfig): Map<string, { flat: number; hourOfDay: number }> {
  const labels = scenarioLabels(cfg).filter((l) => l.scenario === 'busy-hour');
  const T = cfg.endMs;
  const limit = (m: Moments) => m.mean + 3 * m.sd;
  const out = new Map<string, { flat: number; hourOfDay: number }>();
  for (const [key, k] of keyRows(cfg, new Set(labels.map((l) => l.workload)))) {
    const means = [...bucketMeans(k, TCP_BYTES, T - HOUR_MS, T).values()];
    const flat = moments(k, TCP_BYTES, flatBaseline(T));
    const hod = moments(k, TCP_BYTES, hourOfDayBaseline(T, false));
    expect(hod.n).toBeGreaterThan(29 * 300 / ((cfg.intervalMs ?? 10_000) / 10_000));
    out.set(key, { flat: means.filter((m) => m > limit(flat)).length, hourOfDay: means.filter((m) => m > limit(hod)).length });
  }
  expect([...out.keys()].sort()).toEqual(labels.map((l) => `${l.workload}|${l.process}`).sort());
  return out;
}

describe('busy hours against the flat and the hour-of-day baselines, computed from the rows', () => {
  const cases: [clusters: number, workloads: number, seed: number][] = [];
  for (const [clusters, workloads] of [[3, 20], [2, 4]] as const) for (let seed = 1; seed <= 6; seed++) cases.push([clusters, workloads, seed]);

  it.each(cases)('%i clusters, %i workloads, seed %i: the flat baseline fires on every busy hour, the hour-of-day one on none', (clusters, workloads, seed) => {
    const counts = busyHourCounts({ seed, clusters, workloads, days: 30, endMs, busyHours: 3 });
    expect(counts.size).toBe(3);
    for (const [key, c] of counts) {
      expect({ key, flatOver5: c.flat > 5 }).toEqual({ key, flatOver5: true });
      expect({ key, hourOfDayOver5: c.hourOfDay > 5 }).toEqual({ key, hourOfDayOver5: false });
    }
  });

  it('holds at the OpenTelemetry cadence too (one point every 30 s)', () => {
    const counts = busyHourCounts({ seed: 2, clusters: 3, workloads: 20, days: 30, endMs, busyHours: 3, intervalMs: 30_000 });
    for (const c of counts.values()) {
      expect(c.flat).toBeGreaterThan(5);
      expect(c.hourOfDay).toBeLessThanOrEqual(5);
    }
  });
});

describe('export --busy-hours', () => {
  const tmp = tempDirs('egress-busy-');
  const END = '2026-01-31T00:00:00Z';

  it('writes the busy-hour labels and records the option in the manifest; 0 leaves the manifest\'s config as it was', () => {
    const common = ['--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', END, '--workers', '1', '--quiet'];
    const { opted, plain } = exportOptIn(tmp, 'busy-hours', 2, common);
    const busy = opted.labels.filter((l) => l.scenario === 'busy-hour');
    expect(busy).toHaveLength(2);
    expect(opted.labels.slice(0, plain.labels.length)).toEqual(plain.labels);
    expect(busy.every((l) => l.to === END.replace('Z', '.000Z'))).toBe(true);
    expect(opted.config.busyHours).toBe(2);
    expect('busyHours' in plain.config).toBe(false);
  });

  it('rejects a count out of range, and the option with another source', () => {
    expectOptInRefused(tmp, 'busy-hours', ['-1', '101', 'x']);
  });
});
