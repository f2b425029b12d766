/**
 * export --weekly-batches N: batch workloads with a batch in the clock hour of the range's final
 * hour, once a week on the final day's UTC weekday. Checked from the generated rows: the flat
 * baseline fires on them; with a Saturday final day, the same hour on earlier weekend days does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDay, generatorNames, scenarioLabels, seriesCount } from '../src/source/generator/generator.js';
import { topology } from '../src/source/generator/fleet.js';
import { busyFactor } from '../src/source/generator/busyHour.js';
import { WEEKLY_POOL } from '../src/source/generator/weeklyBatch.js';
import type { GeneratorConfig } from '../src/source/generator/generatorTypes.js';
import {
  DAY_MS, HOUR_MS, anomalyCount, digest, flatBaseline, hourOfDayBaseline, keyRows, moments, rowsByName, rowsDiffering,
} from './helpers/generatedKeys.js';
import { runCliOk } from './helpers/cli.js';
import { exportOptIn, expectOptInRefused, tempDirs } from './helpers/optInExport.js';

const endMs = Date.UTC(2025, 5, 1);
/** a Sunday 00:00 UTC: the final day is a Saturday */
const SUNDAY = Date.UTC(2026, 1, 1);
const small: GeneratorConfig = { seed: 7, clusters: 2, workloads: 6, days: 3, endMs };
const DESCRIPTION = 'a weekly batch at the same hour on the same weekday: the flat baseline fires on it; ' +
  'hour-of-day with --weekday-split must not when the batch day is a weekend day';

const weeklyLabels = (cfg: GeneratorConfig) => scenarioLabels(cfg).filter((l) => l.scenario === 'weekly-batch');

describe('--weekly-batches 0 (the default): the generator as it was', () => {
  it('generates the same rows, labels and names as without the option, and as before it existed', () => {
    for (const cfg of [small, { ...small, seed: 3, clusters: 1, workloads: 4, intervalMs: 30_000 }, { ...small, busyHours: 2 }]) {
      const zero = { ...cfg, weeklyBatches: 0 };
      for (let d = 0; d < cfg.days; d++) expect(rowsDiffering(rowsByName(zero, d), rowsByName(cfg, d))).toBe(0);
      expect(scenarioLabels(zero)).toEqual(scenarioLabels(cfg));
      expect(generatorNames(zero)).toEqual(generatorNames(cfg));
      expect(seriesCount(zero)).toBe(seriesCount(cfg));
      expect(digest(zero)).toBe(digest(cfg));
    }
    // the small fleet's every row, label and name, as generated before the opt-in scenarios were added
    expect(digest({ ...small, weeklyBatches: 0 })).toBe('2b7051a0749e49ec');
  });
});

describe('--weekly-batches 3', () => {
  const cfg: GeneratorConfig = { ...small, days: 9, weeklyBatches: 3 };
  const plain: GeneratorConfig = { ...cfg, weeklyBatches: 0 };
  const labels = scenarioLabels(cfg);
  const weekly = weeklyLabels(cfg);
  const pool = new Map(WEEKLY_POOL.map(([w, , dests]) => [w, dests]));

  it('labels three weekly batches, about the outbound rule, over the final hour, after the other labels unchanged', () => {
    expect(weekly).toHaveLength(3);
    expect(labels.slice(0, labels.length - 3)).toEqual(scenarioLabels(plain));
    const names = generatorNames(cfg);
    for (const l of weekly) {
      expect(Object.keys(l).sort()).toEqual(['cluster', 'description', 'expectedFinding', 'from', 'process', 'scenario', 'to', 'workload']);
      expect(l).toMatchObject({
        scenario: 'weekly-batch', expectedFinding: false, description: DESCRIPTION,
        from: new Date(endMs - HOUR_MS).toISOString(), to: new Date(endMs).toISOString(),
      });
      expect(pool.has(l.workload)).toBe(true);
      expect(generatorNames(plain).workloads).not.toContain(l.workload);
      expect(names.processes).toContain(l.process);
    }
    expect(new Set(weekly.map((l) => l.workload)).size).toBe(3);
    expect(weeklyLabels({ ...cfg, weeklyBatches: 2 })).toEqual(weekly.slice(0, 2));
    expect(weeklyLabels({ ...cfg, seed: 8 }).map((l) => l.workload)).not.toEqual(weekly.map((l) => l.workload));
  });

  it('leaves every other series\' rows as they were, and its own do not depend on the busy hours', () => {
    const ours = new Set(weekly.map((l) => l.workload));
    const withBusy = { ...cfg, busyHours: 3 };
    expect(weeklyLabels(withBusy)).toEqual(weekly);
    for (const d of [0, cfg.days - 1]) {
      expect(rowsDiffering(rowsByName(plain, d), rowsByName(cfg, d, (w) => !ours.has(w)))).toBe(0);
      expect(rowsDiffering(rowsByName(cfg, d, (w) => ours.has(w)), rowsByName(withBusy, d, (w) => ours.has(w)))).toBe(0);
    }
    const names = generatorNames(cfg);
    const last = generateDay(cfg, cfg.days - 1);
    const inboundDest = labels.find((l) => l.scenario === 'inbound-burst')?.['dest.workload.name'];
    for (let i = 0; i < last.length; i++) {
      const w = names.workloads[last.workload[i]!]!;
      if (ours.has(w)) expect(pool.get(w)!.filter((x) => x !== inboundDest)).toContain(names.dests[last.dest[i]!]);
    }
  });

  it('batches on the final day\'s weekday only, in the final clock hour, at about 8-20x', () => {
    const c: GeneratorConfig = { seed: 4, clusters: 2, workloads: 5, days: 23, endMs: SUNDAY, weeklyBatches: 3 };
    const rows = keyRows(c, new Set(weeklyLabels(c).map((l) => l.workload)));
    const topo = topology(c);
    const ratios: number[] = [];
    for (const k of rows.values()) {
      const spec = topo.series.find((s) => topo.names.workloads[s.workload] === k.workload)!.busy!;
      expect(spec.period).toBe(7);
      const day = (d: number) => c.endMs - (c.days - d) * DAY_MS;
      const hour = (d: number) => moments(k, 0, (t) => t >= day(d) + 23 * HOUR_MS && t < day(d) + DAY_MS).mean;
      const rest = (d: number) => moments(k, 0, (t) => t >= day(d) && t < day(d) + 23 * HOUR_MS).mean;
      const all = Array.from({ length: c.days }, (_, d) => d);
      const batchDays = all.filter((d) => new Date(day(d)).getUTCDay() === 6);
      expect(batchDays).toEqual(all.filter((d) => (c.days - 1 - d) % 7 === 0));
      const others = all.filter((d) => !batchDays.includes(d));
      const usualHour = others.reduce((a, d) => a + hour(d), 0) / others.length;
      const usualRest = all.reduce((a, d) => a + rest(d), 0) / all.length;
      for (const d of all) {
        expect(rest(d) / usualRest).toBeGreaterThan(0.9);
        expect(rest(d) / usualRest).toBeLessThan(1.1);
      }
      for (const d of others) {
        expect(hour(d) / usualHour).toBeGreaterThan(0.85);
        expect(hour(d) / usualHour).toBeLessThan(1.15);
      }
      for (const d of batchDays) {
        // the hour's mean is the factor's, up to the noise of 360 points
        expect(Math.abs(hour(d) / usualHour / busyFactor(c, spec, d) - 1)).toBeLessThan(0.1);
        ratios.push(hour(d) / usualHour);
      }
    }
    expect(ratios).toHaveLength(3 * 4);
    expect(Math.min(...ratios)).toBeGreaterThan(6.5);
    expect(Math.max(...ratios)).toBeLessThan(24);
    const sorted = [...ratios].sort((a, b) => a - b);
    expect(sorted[2]!).toBeGreaterThan(8);
    expect(sorted[sorted.length - 3]!).toBeLessThan(20);
  });
});

describe('weekly batches against the flat and the hour-of-day baselines, computed from the rows', () => {
  const cases: [clusters: number, workloads: number, seed: number][] = [];
  for (const [clusters, workloads] of [[3, 20], [2, 4]] as const) for (let seed = 1; seed <= 6; seed++) cases.push([clusters, workloads, seed]);

  it.each(cases)('%i clusters, %i workloads, seed %i, final day a Saturday: the flat baseline fires on every weekly batch, the weekend one on none', (clusters, workloads, seed) => {
    const cfg: GeneratorConfig = { seed, clusters, workloads, days: 30, endMs: SUNDAY, weeklyBatches: 3 };
    const rows = keyRows(cfg, new Set(weeklyLabels(cfg).map((l) => l.workload)));
    expect(rows.size).toBe(3);
    for (const [key, k] of rows) {
      expect({ key, flatOver5: anomalyCount(k, SUNDAY, flatBaseline(SUNDAY)) > 5 }).toEqual({ key, flatOver5: true });
      expect({ key, weekendOver5: anomalyCount(k, SUNDAY, hourOfDayBaseline(SUNDAY, true)) > 5 }).toEqual({ key, weekendOver5: false });
    }
  });

  it('the weekend baseline holds 8 days, 4 of them batch days; without the split, 4 of 29', () => {
    const cfg: GeneratorConfig = { seed: 2, clusters: 3, workloads: 20, days: 30, endMs: SUNDAY, weeklyBatches: 1, intervalMs: 30_000 };
    const [k] = keyRows(cfg, new Set(weeklyLabels(cfg).map((l) => l.workload))).values();
    const days = (keep: (t: number) => boolean) => new Set(k!.ts.filter(keep).map((t) => Math.floor(t / DAY_MS))).size;
    const weekend = hourOfDayBaseline(SUNDAY, true);
    expect(days(weekend)).toBe(8);
    expect(days((t) => weekend(t) && new Date(t).getUTCDay() === 6)).toBe(4);
    expect(days(hourOfDayBaseline(SUNDAY, false))).toBe(29);
    expect(anomalyCount(k!, SUNDAY, flatBaseline(SUNDAY))).toBeGreaterThan(5);
    expect(anomalyCount(k!, SUNDAY, weekend)).toBeLessThanOrEqual(5);
  });
});

describe('export --weekly-batches', () => {
  const tmp = tempDirs('egress-weekly-');

  it('writes the labels and records the option; detect with the flat baseline reports every weekly batch on a Saturday', () => {
    const common = ['--days', '9', '--seed', '5', '--clusters', '2', '--workloads', '5', '--end', '2026-02-01T00:00:00Z', '--workers', '2', '--quiet'];
    const { opted, plain } = exportOptIn(tmp, 'weekly-batches', 2, common, ['--days', '1', '--quiet']);
    const { out, labels } = opted;
    const weekly = labels.filter((l) => l.scenario === 'weekly-batch');
    expect(weekly).toHaveLength(2);
    expect(weekly.every((l) => l.from === '2026-01-31T23:00:00.000Z' && l.to === '2026-02-01T00:00:00.000Z')).toBe(true);
    expect(opted.config.weeklyBatches).toBe(2);
    expect('weeklyBatches' in plain.config).toBe(false);

    const findings = join(out, 'findings.ndjson');
    runCliOk(['detect', '--data', out, '--format', 'ndjson', '--out', findings, '--quiet']);
    const reported = readFileSync(findings, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    for (const l of weekly) {
      expect(reported.some((f) => f.host === l.cluster && f['source.workload.name'] === l.workload && f['source.process.name'] === l.process)).toBe(true);
    }
  });

  it('rejects a count out of range, and the option with another source', () => {
    expectOptInRefused(tmp, 'weekly-batches', ['-1', '101', 'x']);
  });
});
