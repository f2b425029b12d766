/**
 * Logical rows whose findings under `--baseline-model robust` differ from flat's by design, with
 * the edges of the median, MAD and sketch (see ROBUST_EXPECTED). Keys (cluster r1 unless named):
 * *  - burst/app: tcp.bytes 700 to 1300 with 2 % bursts of 1e6: flat's stdev hides 5000, robust's not;
 *  - idle/zero: an all-zero baseline: median 0, scale 0, so any recent 1 is anomalous (z = inf);
 *  - cron/sparse: 80 % zeros: MAD 0, the mean absolute deviation scales it;
 *  - beat/const: a constant 500: its median is 500 exactly (500 again is no anomaly, 501 is);
 *  - probe/tiny: values below the sketch's 1e-9 floor, clamped into its bin;
 *  - bulk/huge: values near 1e250 (their squares overflow: no matter to the median);
 *  - pair/even: two baseline values, the lower one the median;
 *  - lone/one: one baseline value: no scale, never anomalous;
 *  - poison/mixed: NaN, infinite, negative and null values among the baseline and recent ones;
 *  - rows at the window bounds (T - 30 d in, a millisecond before out, T - 1 h recent, T out),
 *    a baseline row with a null cluster (counts), rows with a null workload or process (skipped).
 */
import { BASELINE, SPAN, T0, WINDOW, mulberry32, range, tsAt, type LRow, type Value } from './edgeCases.js';

export const ROBUST_AT = T0;
export const ROBUST_METRICS = ['tcp.bytes', 'tcp.packets', 'udp.bytes'];

/** The designed findings, `cluster/workload/process=count`; flat finds neither burst/app, cron/sparse nor pair/even. */
export const ROBUST_EXPECTED = [
  'r1/beat/const=6', 'r1/bulk/huge=6', 'r1/burst/app=11', 'r1/cron/sparse=6', 'r1/idle/zero=7', 'r1/pair/even=6',
  'r1/poison/mixed=8', 'r1/probe/tiny=6', 'r2/burst/app=9',
];

export function robustRows(): LRow[] {
  const next = mulberry32(424242);
  const at = ROBUST_AT;
  const rows: LRow[] = [];
  const add = (ms: number, cluster: string | null, workload: string | null, process: string | null, m: Record<string, Value>) =>
    rows.push({ tsNs: tsAt(ms), cluster, workload, process, m });
  const baseTs = () => at - BASELINE + 1000 + Math.floor(next() * (BASELINE - WINDOW - 2000));
  const bucket = (k: number) => at - WINDOW + k * SPAN + 1 + Math.floor(next() * (SPAN - 2));
  const key = (w: string, p: string, n: number, value: (i: number) => Record<string, Value>, cluster = 'r1') => {
    for (let i = 0; i < n; i++) add(baseTs(), i % 17 === 3 ? null : cluster, w, p, value(i));
  };
  const recent = (w: string, p: string, value: (k: number) => Record<string, Value>, cluster = 'r1', ks = range(0, 360)) => {
    for (const k of ks) add(bucket(k), cluster, w, p, value(k));
  };

  key('burst', 'app', 600, (i) => ({ 'tcp.bytes': i % 50 === 7 ? 1e6 : 700 + Math.floor(next() * 600), 'tcp.packets': 100 + (i % 3) }));
  recent('burst', 'app', (k) => ({ 'tcp.bytes': k % 36 === 5 ? 5000 : 985 + Math.floor(next() * 30), 'tcp.packets': 101 }));
  recent('burst', 'app', (k) => ({ 'tcp.bytes': k % 40 === 9 ? 4000 + k : 1000 }), 'r2', range(0, 360).filter((k) => k % 2 === 1));

  key('idle', 'zero', 300, () => ({ 'tcp.bytes': 0, 'udp.bytes': 0 }));
  recent('idle', 'zero', (k) => ({ 'tcp.bytes': k >= 100 && k < 107 ? 1 : 0, 'udp.bytes': 0 }));

  key('cron', 'sparse', 400, (i) => ({ 'tcp.bytes': i % 5 === 0 ? 480 + (i % 40) : 0 }));
  recent('cron', 'sparse', (k) => ({ 'tcp.bytes': k % 60 === 1 ? 500 : k % 7 === 0 ? 100 : 0 }));

  key('beat', 'const', 250, () => ({ 'tcp.packets': 500 }));
  recent('beat', 'const', (k) => ({ 'tcp.packets': k >= 200 && k < 206 ? 501 : 500 }));

  key('probe', 'tiny', 200, (i) => ({ 'udp.bytes': (1 + (i % 9)) * 1e-12 }));
  recent('probe', 'tiny', (k) => ({ 'udp.bytes': k < 6 ? 2e-11 : 5e-12 }));

  key('bulk', 'huge', 300, (i) => ({ 'udp.bytes': 1e250 * (1 + (i % 11) / 100) }));
  recent('bulk', 'huge', (k) => ({ 'udp.bytes': k >= 300 && k < 306 ? 5e250 : 1.02e250 }));

  add(at - 5 * 3_600_000, 'r1', 'pair', 'even', { 'tcp.bytes': 10 });
  add(at - 6 * 3_600_000, 'r9', 'pair', 'even', { 'tcp.bytes': 20 });
  recent('pair', 'even', (k) => ({ 'tcp.bytes': k < 6 ? 30 : 12 }));

  add(at - 5 * 3_600_000, 'r1', 'lone', 'one', { 'tcp.bytes': 10 });
  recent('lone', 'one', (k) => ({ 'tcp.bytes': k < 20 ? 1e9 : 10 }));

  const poison: Value[] = [NaN, Infinity, -Infinity, -3, null];
  key('poison', 'mixed', 300, (i) => ({ 'tcp.bytes': i % 10 === 0 ? poison[(i / 10) % 5]! : 200 + (i % 21) }));
  recent('poison', 'mixed', (k) => ({ 'tcp.bytes': k % 50 === 2 ? 600 : k % 13 === 0 ? poison[k % 5]! : 205 }));

  // window bounds, on burst/app's baseline: in at T - 30 d, out a millisecond before; T - 1 h is recent, T is out
  add(at - BASELINE, 'r1', 'burst', 'app', { 'tcp.packets': 100 });
  add(at - BASELINE - 1, 'r1', 'burst', 'app', { 'tcp.packets': 1e9 });
  add(at - WINDOW - 1, 'r1', 'burst', 'app', { 'tcp.packets': 102 });
  add(at - WINDOW, 'r1', 'burst', 'app', { 'tcp.bytes': 7000 });
  add(at, 'r1', 'burst', 'app', { 'tcp.bytes': 7000, 'tcp.packets': 7000 });
  for (const k of range(0, 10)) {
    add(bucket(k), 'r1', null, 'app', { 'tcp.bytes': 1e7 });
    add(bucket(k), 'r1', 'burst', null, { 'tcp.bytes': 1e7 });
  }
  add(baseTs(), 'r1', null, 'const', { 'tcp.packets': 1e9 });
  return rows;
}
