import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDay } from '../src/export/exportDay.js';
import { dayRowCounts, generateDay } from '../src/source/generator/generator.js';
import type { GeneratorConfig } from '../src/source/generator/generatorTypes.js';
import { runCliOk } from './helpers/cli.js';

const cfg: GeneratorConfig = { seed: 3, clusters: 2, workloads: 6, days: 2, endMs: Date.UTC(2026, 0, 31) };

describe('a day is generated and written in bounded parts', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('gives the same rows in series ranges as at once', () => {
    const whole = generateDay(cfg, 1);
    const counts = dayRowCounts(cfg, 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(whole.length);
    let row = 0;
    for (let from = 0; from < counts.length; from += 5) {
      const part = generateDay(cfg, 1, from, from + 5);
      expect(part.timestamp).toEqual(whole.timestamp.subarray(row, row + part.length));
      expect(part.workload).toEqual(whole.workload.subarray(row, row + part.length));
      expect(part.metrics[0]).toEqual(whole.metrics[0].subarray(row, row + part.length));
      row += part.length;
    }
    expect(row).toBe(whole.length);
  });

  it('splits a day into part files of at most partRows rows (whole series), with the same findings', async () => {
    const small = mkdtempSync(join(tmpdir(), 'egress-parts-'));
    const one = mkdtempSync(join(tmpdir(), 'egress-parts-'));
    dirs.push(small, one);
    const limit = 20_000;
    for (const dayIndex of [0, 1]) {
      const r = await exportDay({ cfg, dayIndex, outDir: small, partRows: limit });
      const counts = dayRowCounts(cfg, dayIndex);
      expect(r.parts.length).toBeGreaterThan(3);
      expect(r.rows).toBe(counts.reduce((a, b) => a + b, 0));
      for (const p of r.parts) expect(p.rows <= limit || p.rows === Math.max(...counts)).toBe(true);
      await exportDay({ cfg, dayIndex, outDir: one });
    }
    expect((readdirSync(one, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
    const a = runCliOk(['detect', '--data', one, '--format', 'ndjson', '--quiet']);
    const b = runCliOk(['detect', '--data', small, '--format', 'ndjson', '--quiet']);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('--interval 30s: the OpenTelemetry network collector\'s cadence', () => {
  it('reports one point per series every 30 s, each the delta of 30 s, and leaves two of three buckets empty', () => {
    const ten = generateDay(cfg, 0);
    const thirty = generateDay({ ...cfg, intervalMs: 30_000 }, 0);
    expect(thirty.length).toBeGreaterThan(ten.length / 3 - 200);
    expect(thirty.length).toBeLessThan(ten.length / 3 + 200);
    const day0 = cfg.endMs - 2 * 86_400_000;
    const buckets = new Set<number>();
    for (let i = 0; i < thirty.length; i++) {
      if (thirty.workload[i] !== thirty.workload[0] || thirty.process[i] !== thirty.process[0] || thirty.cluster[i] !== thirty.cluster[0] || thirty.dest[i] !== thirty.dest[0]) break;
      buckets.add(Math.floor((thirty.timestamp[i] - day0) / 10_000));
    }
    expect([...buckets].every((b) => b % 3 === 0)).toBe(true);
    const mean = (a: Float64Array) => { let s = 0; let n = 0; for (const x of a) if (x === x) { s += x; n++; } return s / n; };
    const ratio = mean(thirty.metrics[0]) / mean(ten.metrics[0]);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(3.5);
  });
});
