/**
 * export --slow-drips N: agent workloads with spiky traffic and a sustained extra flow over the
 * range's final 6 hours. Checked from the generated rows: every bucket of the drip stays under
 * the flat baseline's mean + 3 sd, yet the drip is in every one, where a median/MAD baseline sees it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatorNames, scenarioLabels, seriesCount } from '../src/source/generator/generator.js';
import { topology } from '../src/source/generator/fleet.js';
import { DRIP_MS, DRIP_POOL, dripBaseline, dripBytes } from '../src/source/generator/slowDrip.js';
import type { GeneratorConfig } from '../src/source/generator/generatorTypes.js';
import type { Series } from '../src/source/generator/generatorTopology.js';
import {
  DAY_MS, HOUR_MS, anomalyCount, bucketMeans, digest, flatBaseline, keyRows, moments, rowsByName, rowsDiffering, type KeyRows,
} from './helpers/generatedKeys.js';
import { runCliOk } from './helpers/cli.js';
import { exportOptIn, expectOptInRefused, tempDirs } from './helpers/optInExport.js';

const endMs = Date.UTC(2025, 5, 1);
const small: GeneratorConfig = { seed: 7, clusters: 2, workloads: 6, days: 3, endMs };
const BYTES = 0;
const PACKETS = 2;

const dripLabels = (cfg: GeneratorConfig) => scenarioLabels(cfg).filter((l) => l.scenario === 'slow-drip');
const dripSeries = (cfg: GeneratorConfig, workload: string): Series => {
  const topo = topology(cfg);
  return topo.series.find((s) => topo.names.workloads[s.workload] === workload)!;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** A metric's non-null values at the rows `keep` keeps. */
const values = (k: KeyRows, metric: number, keep: (t: number) => boolean) =>
  k.ts.flatMap((t, i) => (keep(t) && !Number.isNaN(k.metrics[metric]![i]!) ? [k.metrics[metric]![i]!] : []));

describe('--slow-drips 0 (the default): the generator as it was', () => {
  it('generates the same rows, labels and names as without the option, and as before it existed', () => {
    for (const cfg of [small, { ...small, seed: 3, clusters: 1, workloads: 4, intervalMs: 30_000 }, { ...small, busyHours: 2, weeklyBatches: 1 }]) {
      const zero = { ...cfg, slowDrips: 0 };
      for (let d = 0; d < cfg.days; d++) expect(rowsDiffering(rowsByName(zero, d), rowsByName(cfg, d))).toBe(0);
      expect(scenarioLabels(zero)).toEqual(scenarioLabels(cfg));
      expect(generatorNames(zero)).toEqual(generatorNames(cfg));
      expect(seriesCount(zero)).toBe(seriesCount(cfg));
      expect(digest(zero)).toBe(digest(cfg));
    }
    expect(digest({ ...small, slowDrips: 0, weeklyBatches: 0, busyHours: 0 })).toBe('2b7051a0749e49ec');
  });
});

describe('--slow-drips 3', () => {
  const cfg: GeneratorConfig = { ...small, days: 4, slowDrips: 3 };
  const plain: GeneratorConfig = { ...cfg, slowDrips: 0 };
  const labels = scenarioLabels(cfg);
  const drips = dripLabels(cfg);
  const pool = new Map(DRIP_POOL.map(([w, , dests]) => [w, dests]));

  it('labels three slow drips, about the outbound rule, over the final 6 hours, as findings a detection should report', () => {
    expect(drips).toHaveLength(3);
    expect(labels.slice(0, labels.length - 3)).toEqual(scenarioLabels(plain));
    for (const l of drips) {
      expect(Object.keys(l).sort()).toEqual(['cluster', 'description', 'expectedFinding', 'from', 'process', 'scenario', 'to', 'workload']);
      expect(l).toMatchObject({
        scenario: 'slow-drip', expectedFinding: true,
        from: new Date(endMs - 6 * HOUR_MS).toISOString(), to: new Date(endMs).toISOString(),
      });
      expect(l.description).toContain('the published per-bucket 3 sigma rule is expected to miss it');
      expect(pool.has(l.workload)).toBe(true);
      expect(generatorNames(plain).workloads).not.toContain(l.workload);
    }
    expect(DRIP_MS).toBe(6 * HOUR_MS);
    expect(dripLabels({ ...cfg, slowDrips: 2 })).toEqual(drips.slice(0, 2));
    // after the other opt-in scenarios' labels, and the same with them
    const all = scenarioLabels({ ...cfg, busyHours: 1, weeklyBatches: 1 });
    expect(all.slice(-3)).toEqual(drips);
    expect(all.slice(-5, -3).map((l) => l.scenario)).toEqual(['busy-hour', 'weekly-batch']);
  });

  it('leaves every other series\' rows as they were; each drip key is one series, to one of its services', () => {
    const ours = new Set(drips.map((l) => l.workload));
    const withOthers = { ...cfg, busyHours: 2, weeklyBatches: 2 };
    for (const d of [0, cfg.days - 1]) {
      expect(rowsDiffering(rowsByName(plain, d), rowsByName(cfg, d, (w) => !ours.has(w)))).toBe(0);
      expect(rowsDiffering(rowsByName(cfg, d, (w) => ours.has(w)), rowsByName(withOthers, d, (w) => ours.has(w)))).toBe(0);
    }
    const topo = topology(cfg);
    for (const l of drips) {
      const series = topo.series.filter((s) => topo.names.workloads[s.workload] === l.workload);
      expect(series).toHaveLength(1);
      expect(pool.get(l.workload)).toContain(topo.names.dests[series[0]!.dest]);
      expect(series[0]!.drip!.sigmas).toBeGreaterThanOrEqual(1.5);
      expect(series[0]!.drip!.sigmas).toBeLessThan(1.9);
    }
  });
});

describe('slow drips against the key\'s own baseline, computed from the rows', () => {
  const cases: [clusters: number, workloads: number, seed: number, intervalMs: number][] = [];
  for (let seed = 1; seed <= 4; seed++) cases.push([3, 20, seed, 10_000], [2, 4, seed, 10_000]);
  cases.push([2, 6, 5, 30_000]);

  it.each(cases)('%i clusters, %i workloads, seed %i, every %i ms: under mean + 3 sd in every bucket, yet in every bucket', (clusters, workloads, seed, intervalMs) => {
    const cfg: GeneratorConfig = { seed, clusters, workloads, days: 20, endMs, slowDrips: 3, intervalMs };
    const T = cfg.endMs;
    const rows = keyRows(cfg, new Set(dripLabels(cfg).map((l) => l.workload)));
    expect(rows.size).toBe(3);
    const before = (t: number) => t < T - DRIP_MS;
    const drip = (t: number) => t >= T - DRIP_MS;
    for (const [key, k] of rows) {
      const s = dripSeries(cfg, k.workload);
      const extra = dripBytes(cfg, s);
      const bytes = moments(k, BYTES, before);
      // the generator's sd, from its parameters, is the rows'
      expect({ key, sd: Math.abs(dripBaseline(cfg, s).sd / bytes.sd - 1) < 0.1 }).toEqual({ key, sd: true });
      expect(extra / bytes.sd).toBeGreaterThan(1.35);
      expect(extra / bytes.sd).toBeLessThan(2.1);

      // under mean + 3 sd, of the rows before the drip and of the flat baseline at the end
      for (const m of [BYTES, PACKETS]) {
        for (const base of [moments(k, m, before), moments(k, m, flatBaseline(T))]) {
          const z = Math.max(...bucketMeans(k, m, T - DRIP_MS, T).values()) - base.mean;
          expect({ key, m, under3sd: z < 3 * base.sd }).toEqual({ key, m, under3sd: true });
        }
      }
      expect(anomalyCount(k, T, flatBaseline(T))).toBe(0);

      // in every bucket: the usual traffic without its spikes is well under the drip's size
      const inDrip = values(k, BYTES, drip);
      expect(inDrip.length).toBeGreaterThan(0.99 * (DRIP_MS / intervalMs));
      expect(Math.min(...inDrip)).toBeGreaterThan(extra);
      const sameHours = (t: number) => before(t) && (t % DAY_MS) >= DAY_MS - DRIP_MS;
      const usual = values(k, BYTES, sameHours);
      expect(usual.filter((v) => v > extra).length / usual.length).toBeLessThan(0.01);
      expect(Math.abs((median(inDrip) - median(usual)) / extra - 1)).toBeLessThan(0.1);

      // spikes every day inflate the sd, not the median and MAD: a robust baseline sees the drip
      const base = values(k, BYTES, before);
      const med = median(base);
      const mad = 1.4826 * median(base.map((v) => Math.abs(v - med)));
      expect(bytes.sd).toBeGreaterThan(4 * mad);
      expect((median(inDrip) - med) / mad).toBeGreaterThan(8);
      for (let d = 0; d < cfg.days - 1; d++) {
        const day = T - (cfg.days - d) * DAY_MS;
        const spikes = values(k, BYTES, (t) => t >= day && t < day + DAY_MS).filter((v) => v > bytes.mean + 3 * bytes.sd);
        expect({ key, d, spiked: spikes.length > 0 }).toEqual({ key, d, spiked: true });
      }
    }
  });
});

describe('export --slow-drips', () => {
  const tmp = tempDirs('egress-drip-');

  it('writes the labels and records the option; detect with the flat baseline reports no drip, and score counts them missed', () => {
    const common = ['--days', '9', '--seed', '5', '--clusters', '2', '--workloads', '5', '--end', '2026-02-01T00:00:00Z', '--workers', '2', '--quiet'];
    const { opted, plain } = exportOptIn(tmp, 'slow-drips', 3, common, ['--days', '1', '--quiet']);
    const { out, labels } = opted;
    const drips = labels.filter((l) => l.scenario === 'slow-drip');
    expect(drips).toHaveLength(3);
    expect(drips.every((l) => l.from === '2026-01-31T18:00:00.000Z' && l.to === '2026-02-01T00:00:00.000Z' && l.expectedFinding)).toBe(true);
    expect(opted.config.slowDrips).toBe(3);
    expect('slowDrips' in plain.config).toBe(false);

    const findings = join(out, 'findings.ndjson');
    runCliOk(['detect', '--data', out, '--format', 'ndjson', '--out', findings, '--quiet']);
    const text = readFileSync(findings, 'utf8');
    // the rule works on this data: the fleet's own exfiltration burst is reported
    expect(text).toContain(labels.find((l) => l.scenario === 'exfiltration-burst')!.workload);
    for (const l of drips) expect(text).not.toContain(`"${l.workload}"`);
    const score = JSON.parse(runCliOk(['score', '--findings', findings, '--labels', join(out, 'labels.json'), '--format', 'json']).stdout) as
      { scenarios: { scenario: string; expected: string; truePositives: number; falseNegatives: number }[] };
    expect(score.scenarios.find((s) => s.scenario === 'slow-drip')).toMatchObject({ expected: 'should fire', truePositives: 0, falseNegatives: 3 });
  });

  it('rejects a count out of range, and the option with another source', () => {
    expectOptInRefused(tmp, 'slow-drips', ['-1', '101', '1.5']);
  });
});
