/**
 * The five rules of the family (outbound, inbound, network edge, newly seen TCP / UDP edge): the
 * CLI against the DuckDB reference (test/reference/duckdbFamily.ts) on a dataset with every key
 * column, designed edge cases and sibling keys that fire for one rule only; the reference itself
 * against hand-computed findings; all five rules in one run against five single-rule runs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runCliAsync, type CliResult } from './helpers/cli.js';
import { rng } from './helpers/rng.js';
import { nearRoundingBoundary, parseMessage, relClose } from './reference/compareFindings.js';
import { closeReference, codeUnitCompare, referenceDetect, sqlString } from './reference/duckdbRule.js';
import {
  compareFamilyFindings, familyDetect, familyDetectAll, FAMILY_RULES, INBOUND, NETWORK_EDGE, NEW_TCP_EDGE, NEW_UDP_EDGE, OUTBOUND,
  type FamilyFinding, type FamilyRule,
} from './reference/duckdbFamily.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 2, 1);
const AT = new Date(T).toISOString();
const METRICS = ['tcp.bytes', 'tcp.packets', 'udp.bytes', 'udp.packets'] as const;
type Metric = (typeof METRICS)[number];
type S = string | null;
/** cluster, source workload, source process, dest workload, dest process */
type Id = [S, S, S, S, S];
interface Row { ts: number | null; id: Id; m: Partial<Record<Metric, number | null>> }

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let tmp: string;
const dirs = { hand: '', handZ: '', main: '' };

async function writeRows(dir: string, rows: Row[], files: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await conn.run(`CREATE OR REPLACE TEMP TABLE stage (part INTEGER, ts BIGINT, c VARCHAR, sw VARCHAR, sp VARCHAR, dw VARCHAR, dp VARCHAR, ` +
    `${METRICS.map((_, j) => `m${j} DOUBLE`).join(', ')})`);
  const app = await conn.createAppender('stage');
  rows.forEach((r, i) => {
    app.appendInteger(i % files);
    if (r.ts === null) app.appendNull();
    else app.appendBigInt(BigInt(r.ts));
    for (const s of r.id) if (s === null) app.appendNull(); else app.appendVarchar(s);
    for (const m of METRICS) { const v = r.m[m]; if (v === null || v === undefined) app.appendNull(); else app.appendDouble(v); }
    app.endRow();
  });
  app.flushSync();
  app.closeSync();
  const cols = ['k8s.cluster.name', 'source.workload.name', 'source.process.name', 'dest.workload.name', 'dest.process.name'];
  const select = `make_timestamp(ts * 1000) AS "timestamp", ` + ['c', 'sw', 'sp', 'dw', 'dp'].map((c, j) => `${c} AS "${cols[j]}"`).join(', ') +
    ', ' + METRICS.map((m, j) => `m${j} AS "${m}"`).join(', ');
  for (let p = 0; p < files; p++) {
    await conn.run(`COPY (SELECT ${select} FROM stage WHERE part = ${p} ORDER BY ts) TO ${sqlString(join(dir, `part-${p}.parquet`))} ` +
      `(FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  }
  return dir;
}

/** Three edges with known counts (new-entity), and null clusters and keys around them. */
function handRows(): Row[] {
  const c1 = (sw: S, dw: S, c: S = 'c1'): Id => [c, sw, 'p', dw, 'q'];
  const r = (ts: number | null, id: Id, tcp: number | null, udp: number | null): Row => ({ ts, id, m: { 'tcp.packets': tcp, 'udp.packets': udp } });
  return [
    r(T - 50 * 60_000, c1('a', 'b'), 4, 1), r(T - 40 * 60_000, c1('a', 'b'), 0, null), r(T - 30 * 60_000, c1('a', 'b'), 7, 3),
    r(T - 20 * 60_000, c1('a', 'b'), NaN, NaN), r(T - 10 * 60_000, c1('a', 'b', null), 1, 1), r(T, c1('a', 'b'), 1, 1),
    r(T - 5 * HOUR, c1('a', 'c', null), 5, null), r(T - 30 * 60_000, c1('a', 'c'), 2, 2), r(T - 20 * 60_000, c1('a', 'c'), 2, 2),
    r(T - 5 * HOUR, c1('b', 'c'), -1, 0), r(T - 30 * 60_000, c1('b', 'c'), 1, 1),
    r(T - 30 * 60_000, c1('b', 'c', 'c2'), 1, 1), r(T - 20 * 60_000, c1('b', 'c', 'c2'), 1, 1),
    r(T - 30 * 60_000, c1('b', null), 1, 1), r(T - 30 * 60_000, c1(null, 'c'), 1, 1), r(null, c1('z', 'z'), 1, 1),
  ];
}

/** zscore by hand: baseline 1, 2, 3 (avg 2, stdev 1) for inbound d/dp; 2, 4, 6 (avg 4, stdev 2) for edge e1 -> e2. */
function handZRows(): Row[] {
  const rows: Row[] = [];
  const r = (ts: number, id: Id, v: number) => rows.push({ ts, id, m: { 'tcp.bytes': v } });
  const inb: Id = ['c1', null, 's', 'd', 'dp'];
  const edge = (dw: string, c: S = 'c1'): Id => [c, 'e1', null, dw, null];
  [1, 2, 3].forEach((v, k) => r(T - (k + 2) * HOUR, inb, v));
  [2, 4, 6].forEach((v, k) => r(T - (k + 2) * HOUR, edge('e2', k === 2 ? null : 'c1'), v));
  [2, 4, 6].forEach((v, k) => r(T - (k + 2) * HOUR, edge('e3'), v));
  for (let s = 1; s <= 6; s++) {
    r(T - s * 10_000 + 1, inb, 10);
    r(T - s * 10_000 + 1, edge('e2'), 12);
    if (s <= 5) r(T - s * 10_000 + 1, edge('e3'), 12);
  }
  r(T - 60_000 + 500, inb, 20);
  r(T - 50_000 + 500, inb, NaN);
  r(T - 40_000 + 500, inb, -5);
  r(T - 30_000 + 500, [null, null, 's', 'd', 'dp'], 1000);
  r(T, inb, 1000);
  return rows;
}

const msg = (m: string, z: string, v: number, avg: number, sd: number) =>
  `${m} higher than average by ${z} Standard Deviations. ${m}=${v} avg_${m}=${avg} 'stdev_${m}'=${sd}`;

/** Normal traffic is uniform within 5 % of these, so 3 sigma (8.7 %) is never crossed without a spike. */
const NORMAL: Record<Metric, number> = { 'tcp.bytes': 1000, 'tcp.packets': 10, 'udp.bytes': 500, 'udp.packets': 5 };

function mainRows(): Row[] {
  const next = rng(20260301);
  const rows: Row[] = [];
  const point = (scale = 1, spiked: readonly Metric[] = []) =>
    Object.fromEntries(METRICS.map((m) => [m, Math.round(NORMAL[m] * (0.95 + 0.1 * next()) * (spiked.includes(m) ? scale : 1) * 1000) / 1000]));
  const baseline = (id: Id, edit: (m: Row['m'], k: number) => void = () => {}) => {
    for (let k = 1; k <= 288; k++) { const m = point(); edit(m, k); rows.push({ ts: T - HOUR - k * 900_000 + 777, id, m }); }
  };
  /** rows in the recent window's buckets `buckets` (0..359), spiking `spiked` by `scale` in buckets `spikes` */
  const recent = (id: Id, buckets: Iterable<number>, o: { spikes?: Set<number>; scale?: number; spiked?: Metric[]; edit?: (m: Row['m'], i: number) => void } = {}) => {
    for (const i of buckets) {
      const m = o.spikes?.has(i) ? point(o.scale, o.spiked) : point();
      o.edit?.(m, i);
      rows.push({ ts: T - HOUR + i * 10_000 + 1234 + (rows.length % 5000), id, m });
    }
  };
  const every = (step: number, from = 0, to = 360) => Array.from({ length: Math.ceil((to - from) / step) }, (_, k) => from + k * step);
  const A: Id = ['c1', 'frontend', 'nginx', 'api', 'gunicorn'];
  baseline(A, (m, k) => {
    if (k % 37 === 0) m['tcp.bytes'] = NaN;
    if (k % 41 === 0) m['tcp.packets'] = -3;
    if (k % 53 === 0) m['udp.bytes'] = Infinity;
  });
  recent(A, every(1));
  const B: Id = ['c2', 'frontend', 'nginx', 'api', 'gunicorn'];
  baseline(B); recent(B, every(1));
  const C: Id = ['c1', 'batch', 'python', 'api', 'gunicorn'];
  baseline(C); recent(C, every(2));
  const I: Id = ['c1', null, 'nginx', 'api', 'gunicorn'];
  baseline(I); recent(I, every(3));
  // inbound only: a source with no baseline of its own floods api/gunicorn in c1
  const D = every(50, 0).map((b) => b + 5);
  recent(['c1', 'scanner', 'nmap', 'api', 'gunicorn'], D, { spikes: new Set(D), scale: 30, spiked: ['tcp.bytes'] });
  const E: Id = ['c1', 'frontend', 'nginx', 'db', 'postgres'];
  baseline(E); recent(E, every(1));
  // edge only: a new process pair on the known edge frontend -> db
  const F = every(50, 10);
  recent(['c1', 'frontend', 'curl', 'db', 'psql'], F, { spikes: new Set(F), scale: 30, spiked: ['tcp.packets', 'udp.bytes'] });
  // outbound only: frontend/nginx to a new destination
  const X = every(40, 7);
  recent(['c1', 'frontend', 'nginx', 'exfil', 'nc'], X, { spikes: new Set(X), scale: 50, spiked: ['udp.bytes'] });
  const J: Id = ['c1', 'batch', null, 'db', 'postgres'];
  baseline(J); recent(J, every(3));
  const G: Id = ['c2', 'worker', 'celery', 'cache', 'redis'];
  const gSpikes = new Set(every(30, 3, 300));
  baseline(G); recent(G, every(1), { spikes: gSpikes, scale: 15, spiked: ['tcp.bytes', 'udp.packets'] });
  recent(G, gSpikes, { edit: (m) => { m['tcp.bytes'] = NaN; m['udp.packets'] = -7; } });
  const H: Id = ['c2', 'worker', 'celery', 'cache', null];
  baseline(H); recent(H, every(2));
  const K = every(30, 15, 180);
  recent(['c2', 'worker', 'celery', null, 'redis'], K, { spikes: new Set(K), scale: 40, spiked: ['tcp.packets'] });
  // baseline only in a null cluster, without udp.packets
  baseline([null, 'ghost', 'sh', 'ghostdst', 'sh'], (m) => { m['udp.packets'] = null; });
  recent(['c1', 'ghost', 'sh', 'ghostdst', 'sh'], every(1), { spikes: new Set(every(50)), scale: 20, spiked: ['tcp.bytes'] });
  recent([null, 'ghost', 'sh', 'ghostdst', 'sh'], every(50, 20), { spikes: new Set(every(50, 20)), scale: 20, spiked: ['tcp.bytes'] });
  const bad = [null, NaN, -1, Infinity];
  baseline(['c1', 'tnull', 'p', 'tnulldst', 'p'], (m, k) => { m['tcp.packets'] = bad[k % 4]!; });
  recent(['c1', 'tnull', 'p', 'tnulldst', 'p'], every(6), { edit: (m, i) => { m['tcp.packets'] = i % 60 === 0 ? NaN : i % 60 === 6 ? 0 : m['tcp.packets']!; } });
  baseline(['c1', 'tzero', 'p', 'tzerodst', 'p'], (m) => { m['tcp.packets'] = 0; });
  recent(['c1', 'tzero', 'p', 'tzerodst', 'p'], every(6), { edit: (m, i) => { m['tcp.packets'] = i % 48 === 0 ? 2 : 0; } });
  const edge = (c: S, sw: S, dw: S, ts: number, tcp: number | null = 1, udp: number | null = 1, sp: S = 'x', dp: S = 'y') =>
    rows.push({ ts, id: [c, sw, sp, dw, dp], m: { 'tcp.packets': tcp, 'udp.packets': udp } });
  for (let k = 0; k < 5; k++) edge('c1', 'newsrc', 'newdst', T - (k + 1) * 60_000, k === 0 ? 0 : 3, k === 1 ? NaN : 2);
  for (let k = 0; k < 9; k++) edge('c2', 'newsrc', 'newdst', T - (k + 1) * 61_000);
  for (let k = 0; k < 3; k++) edge(null, 'newsrc', 'newdst', T - (k + 1) * 62_000);
  edge('c1', 'Zsrc', 'newdst', T - 1000); edge('c1', 'Zsrc', 'newdst', T - 2000);
  edge('c1', 'a:b', 'c', T - 1000); edge('c1', 'a', 'b:c', T - 1000);
  for (let k = 0; k < 4; k++) edge('c1', 'nullproc', 'nulldst', T - (k + 1) * 1000, 1, 1, null, null);
  edge('c1', 'bnd30', 'd', T - 30 * 24 * HOUR, 1, null);
  edge('c1', 'bndold', 'd', T - 30 * 24 * HOUR - 1); edge('c1', 'bndwin', 'd', T - HOUR - 1); edge('c1', 'bndedge', 'd', T - HOUR);
  for (const w of ['bnd30', 'bndold', 'bndwin']) { edge('c1', w, 'd', T - 1000); edge('c1', w, 'd', T - 2000); }
  edge('c1', 'bnd30', 'd', T - 3000); edge('c1', 'bndold', 'd', T); edge(null, 'nots', 'd', 0);
  rows[rows.length - 1]!.ts = null;
  return rows;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-family-'));
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  dirs.hand = await writeRows(join(tmp, 'hand'), handRows(), 1);
  dirs.handZ = await writeRows(join(tmp, 'hand-z'), handZRows(), 2);
  dirs.main = await writeRows(join(tmp, 'main'), mainRows(), 3);
});

afterAll(() => {
  closeReference();
  conn?.closeSync();
  instance?.closeSync();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const FIELDS = (r: FamilyRule) => ['detection_time', 'host', ...r.key, 'count', 'anomalies', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id'];
const ruleOf = (id: unknown) => FAMILY_RULES.find((r) => r.id === id);
const keyOf = (f: FamilyFinding) => JSON.stringify([f.rule_id, ...Object.values(f).slice(1, 4)]);
const summary = (fs: FamilyFinding[]) => fs.map((f) => `${Object.values(f).slice(1, 4).join('/')}=${f.count}`);

/** Differences between the CLI's findings and the reference's; messages' numbers within 1e-9 relative. */
function compareFamily(expected: FamilyFinding[], got: FamilyFinding[]): string[] {
  const problems: string[] = [];
  const exp = new Map(expected.map((f) => [keyOf(f), f]));
  const seen = new Set<string>();
  got.forEach((g, i) => {
    const k = keyOf(g);
    const rule = ruleOf(g.rule_id);
    if (!rule) { problems.push(`${k}: unknown rule_id`); return; }
    if (Object.keys(g).join() !== FIELDS(rule).join()) problems.push(`${k}: fields ${Object.keys(g).join(', ')}`);
    if (i > 0 && compareFamilyFindings(got[i - 1]!, g) >= 0) problems.push(`order: ${keyOf(got[i - 1]!)} before ${k}`);
    const e = exp.get(k);
    if (seen.has(k)) problems.push(`duplicate ${k}`);
    seen.add(k);
    if (!e) { problems.push(`unexpected ${k}: count ${g.count}, e.g. ${JSON.stringify(g.anomalies?.[0])}`); return; }
    for (const f of ['detection_time', 'count', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id']) {
      if (g[f] !== e[f]) problems.push(`${k}: ${f} expected ${JSON.stringify(e[f])}, got ${JSON.stringify(g[f])}`);
    }
    if (rule.kind === 'new-entity' || !Array.isArray(g.anomalies) || g.anomalies.length !== e.anomalies.length) {
      if (JSON.stringify(g.anomalies) !== JSON.stringify(e.anomalies)) problems.push(`${k}: anomalies ${JSON.stringify(g.anomalies)}`);
      return;
    }
    if ([...g.anomalies].sort(codeUnitCompare).join('\n') !== g.anomalies.join('\n')) problems.push(`${k}: anomalies not in code-unit order`);
    const parsed = (xs: string[]) => xs.map(parseMessage).sort((a, b) =>
      typeof a === 'string' || typeof b === 'string' ? 0 : codeUnitCompare(a.metric, b.metric) || a.value - b.value);
    const [ge, gg] = [parsed(e.anomalies), parsed(g.anomalies)];
    ge.forEach((pe, j) => {
      const pg = gg[j]!;
      if (typeof pe === 'string' || typeof pg === 'string') { problems.push(`${k}: ${String(typeof pg === 'string' ? pg : pe)}`); return; }
      const zOk = pe.z === pg.z || (pe.z !== 'inf' && pg.z !== 'inf' && Math.abs(Number(pe.z) - Number(pg.z)) <= 0.01 + 1e-9 &&
        nearRoundingBoundary((pe.value - pe.avg) / pe.stdev));
      if (pe.metric !== pg.metric || !relClose(pe.value, pg.value) || !relClose(pe.avg, pg.avg) || !relClose(pe.stdev, pg.stdev) || !zOk) {
        problems.push(`${k}: message ${JSON.stringify(g.anomalies[j])}, expected about ${JSON.stringify(e.anomalies[j])}`);
      }
    });
  });
  for (const k of exp.keys()) if (!seen.has(k)) problems.push(`missing ${k}: count ${exp.get(k)!.count}`);
  return problems;
}

const detect = (rules: FamilyRule[], workers: number, extra: string[] = []): Promise<CliResult> =>
  runCliAsync(['detect', '--data', dirs.main, '--at', AT, ...rules.flatMap((r) => ['--rule', r.id]), '--format', 'ndjson', '--workers', String(workers), '--quiet', ...extra]);

function lines(r: CliResult, what: string): string[] {
  if (r.status !== 0) throw new Error(`${what}: CLI exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

describe('family reference self-check', () => {
  it('new-entity matches hand-computed counts', async () => {
    expect(summary(await familyDetect(conn, dirs.hand, NEW_TCP_EDGE, T))).toEqual(['c1/a/b=3', 'c1/b/c=1', 'c2/b/c=2']);
    const udp = await familyDetect(conn, dirs.hand, NEW_UDP_EDGE, T);
    expect(udp).toEqual([
      { detection_time: AT, host: 'c1', 'source.workload.name': 'a', 'dest.workload.name': 'b', count: 2, anomalies: ['udp.packets_count=2'],
        rule_id: NEW_UDP_EDGE.id, risk_score: 25, risk_message: 'Kubernetes newly seen UDP edge in kubernetes cluster c1', mitre_attack_id: 'T1204' },
      expect.objectContaining({ host: 'c1', 'source.workload.name': 'a', 'dest.workload.name': 'c', count: 2, anomalies: ['udp.packets_count=2'] }),
    ]);
    expect(Object.keys(udp[0]!)).toEqual(FIELDS(NEW_UDP_EDGE));
  });

  it('zscore matches hand-computed messages for the inbound and edge rules', async () => {
    const inbound = await familyDetect(conn, dirs.handZ, INBOUND, T);
    expect(inbound).toEqual([{
      detection_time: AT, host: 'c1', 'dest.workload.name': 'd', 'dest.process.name': 'dp', count: 6,
      anomalies: [msg('tcp.bytes', '13', 15, 2, 1), msg('tcp.bytes', '8', 10, 2, 1)], rule_id: INBOUND.id, risk_score: 25,
      risk_message: 'Kubernetes Anomalous Inbound Network Activity from Process in kubernetes cluster c1', mitre_attack_id: 'T1204',
    }]);
    expect(Object.keys(inbound[0]!)).toEqual(FIELDS(INBOUND));
    const edge = await familyDetect(conn, dirs.handZ, NETWORK_EDGE, T);
    expect(summary(edge)).toEqual(['c1/e1/e2=6']);
    expect(edge[0]!.anomalies).toEqual([msg('tcp.bytes', '4', 12, 4, 2)]);
    expect(await familyDetect(conn, dirs.handZ, OUTBOUND, T)).toEqual([]);
  });

  it('agrees with the outbound reference (duckdbRule.ts) on the outbound rule', async () => {
    const outbound = await familyDetect(conn, dirs.main, OUTBOUND, T);
    expect(outbound.length).toBeGreaterThan(0);
    // the last digit of a DuckDB mean depends on its summation order, so this compares within tolerance
    expect(compareFamily((await referenceDetect(dirs.main, T)) as unknown as FamilyFinding[], outbound)).toEqual([]);
  });

  it('the comparison flags a wrong count, a wrong number, a wrong order and a missing field, but not a last-digit difference', async () => {
    const ref = await familyDetect(conn, dirs.main, NETWORK_EDGE, T);
    const nudge = (f: FamilyFinding, k: number) =>
      ({ ...f, anomalies: f.anomalies.map((a) => a.replace(/avg_(\S+)=(\S+)/, (_, m: string, v: string) => `avg_${m}=${Number(v) * k}`)) });
    expect(compareFamily(ref, ref.map((f) => nudge(f, 1 + 1e-13)))).toEqual([]);
    expect(compareFamily(ref, [nudge(ref[0]!, 1 + 1e-6), ...ref.slice(1)])).toHaveLength(ref[0]!.anomalies.length);
    expect(compareFamily(ref, [{ ...ref[0]!, count: ref[0]!.count + 1 }, ...ref.slice(1)])).toHaveLength(1);
    expect(compareFamily(ref, [ref[1]!, ref[0]!, ...ref.slice(2)])).toHaveLength(1);
    const { risk_score: _, ...noScore } = ref[0]!;
    expect(compareFamily(ref, [noScore as FamilyFinding, ...ref.slice(1)]).length).toBeGreaterThan(0);
  });

  it('finds the designed keys in the main dataset', async () => {
    const got = await Promise.all(FAMILY_RULES.map(async (r) => summary(await familyDetect(conn, dirs.main, r, T))));
    const edges = ['c1/Zsrc/newdst=2', 'c1/a/b:c=1', 'c1/a:b/c=1', 'c1/bndedge/d=1', 'c1/bndold/d=2', 'c1/frontend/exfil=9'];
    expect(got).toEqual([
      ['c1/frontend/nginx=9', 'c1/ghost/sh=8', 'c1/tzero/p=8', 'c2/worker/celery=26'],
      ['c1/api/gunicorn=8', 'c1/ghostdst/sh=8', 'c1/tzerodst/p=8', 'c2/cache/redis=20'],
      ['c1/frontend/db=14', 'c1/ghost/ghostdst=8', 'c1/tzero/tzerodst=8', 'c2/worker/cache=20'],
      [...edges, 'c1/newsrc/newdst=5', 'c1/nullproc/nulldst=4', 'c1/scanner/api=8', 'c1/tnull/tnulldst=54', 'c2/newsrc/newdst=9'],
      ['c1/Zsrc/newdst=2', 'c1/a/b:c=1', 'c1/a:b/c=1', 'c1/bnd30/d=3', 'c1/bndedge/d=1', 'c1/bndold/d=2', 'c1/frontend/exfil=9',
        'c1/ghost/ghostdst=360', 'c1/newsrc/newdst=4', 'c1/nullproc/nulldst=4', 'c1/scanner/api=8', 'c2/newsrc/newdst=9'],
    ]);
  });
});

describe('CLI against the family reference', () => {
  for (const rule of FAMILY_RULES) {
    it(`agrees on ${rule.id} (${rule.kind}, ${rule.key.join(' + ')})`, async () => {
      const expected = await familyDetect(conn, dirs.main, rule, T);
      const got = lines(await detect([rule], 2), rule.id).map((l) => JSON.parse(l) as FamilyFinding);
      expect(compareFamily(expected, got)).toEqual([]);
    });
  }

  it('runs all five rules at once: the single runs merged, and the same bytes with 1 and 2 workers', async () => {
    const [one, two, ...singles] = await Promise.all([detect([...FAMILY_RULES], 1), detect([...FAMILY_RULES], 2), ...FAMILY_RULES.map((r) => detect([r], 2))]);
    const all = lines(one!, 'all five, 1 worker');
    expect(two!.stdout, 'all five, 2 workers').toBe(one!.stdout);
    const merged = singles.flatMap((s, i) => lines(s, FAMILY_RULES[i]!.id))
      .map((l) => ({ l, f: JSON.parse(l) as FamilyFinding })).sort((a, b) => compareFamilyFindings(a.f, b.f)).map((x) => x.l);
    expect(all).toEqual(merged);
    expect(compareFamily(await familyDetectAll(conn, dirs.main, FAMILY_RULES, T), all.map((l) => JSON.parse(l) as FamilyFinding))).toEqual([]);
  });

  it('with --baseline-model hour-of-day, the new-entity rules still see every baseline row: the single runs merged', async () => {
    const HOD = ['--baseline-model', 'hour-of-day'];
    const zscore = FAMILY_RULES.filter((r) => r.kind === 'zscore');
    const newEntity = FAMILY_RULES.filter((r) => r.kind === 'new-entity');
    const [all, ...singles] = await Promise.all([detect([...FAMILY_RULES], 2, HOD), ...zscore.map((r) => detect([r], 2, HOD)), ...newEntity.map((r) => detect([r], 2))]);
    const merged = singles.flatMap((s, i) => lines(s, `rule ${i}`))
      .map((l) => ({ l, f: JSON.parse(l) as FamilyFinding })).sort((a, b) => compareFamilyFindings(a.f, b.f)).map((x) => x.l);
    expect(lines(all!, 'all five, hour-of-day')).toEqual(merged);
    // the flat new-entity answer, not one from a single hour's baseline
    expect(compareFamily(await familyDetectAll(conn, dirs.main, newEntity, T), lines(all!, 'all five').map((l) => JSON.parse(l) as FamilyFinding)
      .filter((f) => newEntity.some((r) => r.id === f.rule_id)))).toEqual([]);
  });
});
