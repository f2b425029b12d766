/**
 * `egress-anomaly bench` on a tiny dataset (compiled CLI; `npm run build` first). Only the shape of
 * what it prints is checked: timings belong in benchmarks/, not in tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliOk } from './helpers/cli.js';

let tmp: string;
let data: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-bench-'));
  data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '5', '--clusters', '1', '--workloads', '3', '--end', '2026-01-03T00:00:00Z',
    '--workers', '2', '--quiet']);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('bench', () => {
  it('reports every worker count as JSON, and names the fastest', () => {
    const r = runCliOk(['bench', '--data', data, '--workers', '1,2', '--runs', '2', '--format', 'json', '--quiet']);
    const report = JSON.parse(r.stdout) as {
      rows: number; rowsRead: number; rowGroupsPruned: number; files: number; at: string; runs: number; lifetimeMaxRssBytes: number;
      settings: { workers: number; runsMs: number[]; medianMs: number; firstMs: number; rowsPerSecond: number; rowsRead: number; peakRssBytes: number; findings: number }[];
      fastest: { workers: number };
    };
    expect(report.files).toBe(2);
    expect(report.rows).toBeGreaterThan(0);
    expect(report.rowsRead).toBe(report.rows);
    expect(report.rowGroupsPruned).toBe(0);
    expect(report.at).toBe('2026-01-03T00:00:00.000Z');
    expect(report.runs).toBe(2);
    expect(report.settings.map((s) => s.workers)).toEqual([1, 2]);
    for (const s of report.settings) {
      expect(s.runsMs).toHaveLength(2);
      expect(s.medianMs).toBeGreaterThan(0);
      expect(s.firstMs).toBe(s.runsMs[0]);
      expect(s.rowsRead).toBe(report.rowsRead);
      expect(s.rowsPerSecond).toBeCloseTo(s.rowsRead / (s.medianMs / 1000), 6);
      expect(s.peakRssBytes).toBeGreaterThan(0);
      expect(s.findings).toBe(report.settings[0].findings);
    }
    expect([1, 2]).toContain(report.fastest.workers);
    expect(report.lifetimeMaxRssBytes).toBeGreaterThan(0);
  });

  it('divides rows read, not rows in the data, by the time when row groups are pruned', () => {
    // T at the start of the second day: that day's file lies after T, so it is pruned, not read
    const r = runCliOk(['bench', '--data', data, '--workers', '1', '--runs', '1', '--at', '2026-01-02T00:00:00Z', '--format', 'json', '--quiet']);
    const report = JSON.parse(r.stdout) as { rows: number; rowsRead: number; rowGroups: number; rowGroupsPruned: number; settings: { rowsPerSecond: number; rowsRead: number; medianMs: number }[] };
    expect(report.rowGroupsPruned).toBeGreaterThan(0);
    expect(report.rowsRead).toBeGreaterThan(0);
    expect(report.rowsRead).toBeLessThan(report.rows);
    const [s] = report.settings;
    expect(s.rowsRead).toBe(report.rowsRead);
    expect(s.rowsPerSecond).toBeCloseTo(report.rowsRead / (s.medianMs / 1000), 6);
  });

  it('prints a table with rows per second and peak RSS per setting', () => {
    const r = runCliOk(['bench', '--data', data, '--workers', '2', '--runs', '1', '--at', '2026-01-02T12:00:00Z']);
    expect(r.stdout).toMatch(/T=2026-01-02T12:00:00\.000Z/);
    expect(r.stdout).toMatch(/^bench: \d+ rows in the data, 2 files/m);
    expect(r.stdout).toMatch(/^rows read at T: \d+ \(\d+ of \d+ row groups; \d+ pruned, not read\)$/m);
    expect(r.stdout).toMatch(/^workers\s+median s\s+first s\s+rows\/s \(median\)\s+peak RSS/m);
    expect(r.stdout).toMatch(/^2\s+\d+\.\d+\s+\d+\.\d+\s+[\d.]+ [kM]? ?rows\/s\s+[\d.]+ [KMG]i?B/m);
    expect(r.stdout).toMatch(/^fastest: --workers 2 /m);
    expect(r.stderr).toMatch(/--workers 2 run 1\/1/);
  });

  it('rejects a bad worker list with exit code 2, naming the option', () => {
    const r = runCli(['bench', '--data', data, '--workers', '1,x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
