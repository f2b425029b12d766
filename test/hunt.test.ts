import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Piscina } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFindings, type Finding } from '../src/evaluate/finding.js';
import { detect } from '../src/pipeline/detect.js';
import { hunt } from '../src/pipeline/hunt.js';
import { inspectAll } from '../src/pipeline/inspectAll.js';
import { createPool } from '../src/pool/createPool.js';
import { DEFAULT_PARAMS, type RuleParams } from '../src/rule/rule.js';
import { CLI } from './helpers/cli.js';
import { rng } from './helpers/rng.js';

const END = Date.UTC(2026, 0, 5);
const H = 3_600_000;
let dir: string;
let pool: Piscina;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hunt-'));
  execFileSync(process.execPath, [CLI, 'export', '--out', join(dir, 'data'), '--days', '4', '--seed', '5', '--clusters', '2',
    '--workloads', '4', '--end', new Date(END).toISOString(), '--quiet']);
  pool = createPool('scan', 2);
});

afterAll(async () => {
  await pool?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const P = (over: Partial<RuleParams> = {}): RuleParams => ({ ...DEFAULT_PARAMS, baselineMs: 3 * 24 * H, minCount: 2, ...over });

async function detectEach(data: string, from: number, to: number, step: number, params: RuleParams): Promise<Finding[]> {
  const files = await inspectAll(data, params.metricPatterns);
  const out: Finding[] = [];
  for (let t = from; t <= to; t += step) out.push(...(await detect({ files, params, atMs: t, pool })).findings);
  return out.sort(compareFindings);
}

async function huntAll(data: string, from: number, to: number, step: number, params: RuleParams, stateDir?: string, warnings: string[] = []) {
  const files = await inspectAll(data, params.metricPatterns);
  const evaluated: number[] = [];
  const r = await hunt({ files, params, pool, fromMs: from, toMs: to, stepMs: step, stateDir, onWarning: (m) => warnings.push(m),
    onEvaluated: (_state, atMs) => evaluated.push(atMs) });
  return { ...r, findings: r.findings.sort(compareFindings), evaluated };
}

describe('hunt', () => {
  it('reports exactly what detect reports at each T, for several random grids', async () => {
    const next = rng(42);
    const cases: [number, number, RuleParams][] = [
      [END - 6 * H, H, P()],
      [END - 5 * H - 20 * 60_000, 25 * 60_000, P()],
      [END - 3 * H + 10_000, 50 * 60_000, P({ windowMs: 2 * H, baselineMs: 2 * 24 * H })],
    ];
    for (let i = 0; i < 2; i++) {
      const step = (1 + Math.floor(next() * 12)) * 10 * 60_000;
      cases.push([END - Math.floor(next() * 30) * 10 * 60_000 - 2 * H, step, P({ minCount: Math.floor(next() * 4) })]);
    }
    const compared = new Set<string>();
    for (const [from, step, params] of cases) {
      const to = Math.min(END, from + 3 * H);
      const want = await detectEach(join(dir, 'data'), from, to, step, params);
      const got = await huntAll(join(dir, 'data'), from, to, step, params);
      expect(got.onePass).toBe(true);
      expect(got.evaluated).toEqual(Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step));
      expect(JSON.stringify(got.findings)).toBe(JSON.stringify(want));
      for (const f of want) compared.add(f.detection_time);
    }
    // not vacuous: detect found something, at more than one T
    expect(compared.size).toBeGreaterThan(1);
  });

  it('falls back to one detection per T when T is off the bucket grid, with the same answer', async () => {
    const from = END - 2 * H + 5_000;
    const warnings: string[] = [];
    const got = await huntAll(join(dir, 'data'), from, END, H, P(), undefined, warnings);
    expect(got.onePass).toBe(false);
    expect(warnings.join()).toMatch(/not all multiples of --span/);
    expect(JSON.stringify(got.findings)).toBe(JSON.stringify(await detectEach(join(dir, 'data'), from, END, H, P())));
  });

  it('gives the same answer on rows shuffled into another layout', async () => {
    const shuffled = join(dir, 'shuffled');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM read_parquet('${join(dir, 'data')}/**/*.parquet') ORDER BY hash("timestamp", "dest.workload.name", "k8s.cluster.name", "source.process.name")) TO '${shuffled}' (FORMAT parquet, PER_THREAD_OUTPUT true, ROW_GROUP_SIZE 50000)`);
    const from = END - 4 * H;
    const want = await detectEach(join(dir, 'data'), from, END, H, P());
    const got = await huntAll(shuffled, from, END, H, P());
    expect(want.length).toBeGreaterThan(0);
    expect(JSON.stringify(got.findings)).toBe(JSON.stringify(want));
  });

  describe('--baseline-model hour-of-day', () => {
    const hod = (over: Partial<RuleParams> = {}) => P({ baselineModel: 'hour-of-day', minCount: 1, ...over });

    it('reports exactly what detect reports at each T, on grids of one hour, finer and coarser, and a longer window', async () => {
      const cases: [number, number, RuleParams][] = [
        [END - 6 * H, H, hod()],
        [END - 5 * H - 20 * 60_000, 25 * 60_000, hod()],
        [END - 9 * H + 10_000, 150 * 60_000, hod({ windowMs: 2 * H })],
      ];
      const compared = new Set<string>();
      for (const [from, step, params] of cases) {
        const to = Math.min(END, from + 4 * H);
        const want = await detectEach(join(dir, 'data'), from, to, step, params);
        const got = await huntAll(join(dir, 'data'), from, to, step, params);
        expect(got.onePass).toBe(true);
        expect(JSON.stringify(got.findings)).toBe(JSON.stringify(want));
        for (const f of want) compared.add(f.detection_time);
      }
      expect(compared.size).toBeGreaterThan(1);
      // not the flat rule's answer: the model changes what is found
      const flat = await huntAll(join(dir, 'data'), END - 6 * H, END - 2 * H, H, P({ minCount: 1 }));
      const phased = await huntAll(join(dir, 'data'), END - 6 * H, END - 2 * H, H, hod());
      expect(JSON.stringify(phased.findings)).not.toBe(JSON.stringify(flat.findings));
    });

    it('with --weekday-split, from a Friday into a Saturday: exactly what detect reports at each T', async () => {
      const data = join(dir, 'weekdays');
      execFileSync(process.execPath, [CLI, 'export', '--out', data, '--days', '10', '--seed', '8', '--clusters', '1',
        '--workloads', '4', '--end', new Date(END).toISOString(), '--quiet']);
      // 2026-01-03 is a Saturday
      const saturday = Date.UTC(2026, 0, 3);
      const params = hod({ weekdaySplit: true, baselineMs: 8 * 24 * H });
      const want = await detectEach(data, saturday - 3 * H, saturday + 3 * H, H, params);
      const got = await huntAll(data, saturday - 3 * H, saturday + 3 * H, H, params);
      expect(want.length).toBeGreaterThan(0);
      expect(JSON.stringify(got.findings)).toBe(JSON.stringify(want));
    });

    it('gives the same answer with --state, the second run from the saved days', async () => {
      const state = join(dir, 'state-hod');
      const params = hod({ baselineMs: 2 * 24 * H });
      const from = END - 23 * H;
      const plain = await huntAll(join(dir, 'data'), from, END, H, params);
      const first = await huntAll(join(dir, 'data'), from, END, H, params, state);
      const second = await huntAll(join(dir, 'data'), from, END, H, params, state);
      expect(plain.findings.length).toBeGreaterThan(0);
      expect(JSON.stringify(first.findings)).toBe(JSON.stringify(plain.findings));
      expect(JSON.stringify(second.findings)).toBe(JSON.stringify(plain.findings));
      expect(second.daysFromState).toBe(2);
    });
  });

  describe('with --state', () => {
    const from = END - 23 * H;
    const params = P({ baselineMs: 2 * 24 * H });

    it('gives the same answer with state, reuses unchanged days and rebuilds a changed one', async () => {
      const data = join(dir, 'state-data');
      cpSync(join(dir, 'data'), data, { recursive: true });
      const state = join(dir, 'state');
      const plain = await huntAll(data, from, END, H, params);
      const first = await huntAll(data, from, END, H, params, state);
      const second = await huntAll(data, from, END, H, params, state);
      expect(JSON.stringify(first.findings)).toBe(JSON.stringify(plain.findings));
      expect(JSON.stringify(second.findings)).toBe(JSON.stringify(plain.findings));
      expect(first.daysFromState).toBe(0);
      expect(second.daysFromState).toBe(2);
      expect(second.rowsRead).toBeLessThan(first.rowsRead / 2);

      const day = readdirSync(data).filter((d) => d.startsWith('day=')).sort()[1];
      const file = join(data, day, 'part-0.parquet');
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const third = await huntAll(data, from, END, H, params, state);
      expect(third.daysFromState).toBe(1);
      expect(JSON.stringify(third.findings)).toBe(JSON.stringify(plain.findings));
    });

    it('warns about a torn state file or manifest and still gives the right answer', async () => {
      const data = join(dir, 'data');
      const state = join(dir, 'state-torn');
      const plain = await huntAll(data, from, END, H, params);
      await huntAll(data, from, END, H, params, state);
      const victim = readdirSync(state).filter((f) => f.endsWith('.arrow')).sort()[0];
      truncateSync(join(state, victim), 100);
      const warnings: string[] = [];
      const torn = await huntAll(data, from, END, H, params, state, warnings);
      expect(warnings.join('\n')).toMatch(/cannot be used: its hash does not match/);
      expect(torn.daysFromState).toBe(1);
      expect(JSON.stringify(torn.findings)).toBe(JSON.stringify(plain.findings));

      writeFileSync(join(state, 'manifest.json'), '{"version": 1, "days": ');
      const w2: string[] = [];
      const broken = await huntAll(data, from, END, H, params, state, w2);
      expect(w2.join('\n')).toMatch(/is unreadable/);
      expect(broken.daysFromState).toBe(0);
      expect(JSON.stringify(broken.findings)).toBe(JSON.stringify(plain.findings));
    });
  });
});
