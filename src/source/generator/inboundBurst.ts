import {
  DAY_MS, MINUTE_MS, TWO_PI, type Scenario, type Series,
} from './generatorTopology.js';

export const INBOUND_RULE_ID = '10442d8b-0701-4c25-911d-d67b906e713c';

export const INBOUND_BURST: Scenario = {
  name: 'inbound-burst', rule: INBOUND_RULE_ID, window: [55 * MINUTE_MS, 40 * MINUTE_MS], expectedFinding: true,
  description: 'tcp.bytes and tcp.packets to one destination, from each of its usual sources in the cluster, several times the baseline for 15 minutes',
};

const SIGMA = 3;
/**
 * How far above the inbound threshold the burst puts the expected bucket mean at its lowest in the
 * window. Little is needed (the rule wants 6 anomalous pairs of about 180, so half the buckets
 * over is plenty), and every bit more reaches the sources' outbound keys, which must stay under
 * their own threshold in all but 5 pairs.
 */
const INBOUND_MARGIN = 1.1;
/**
 * The least ratio of the factor the sources' outbound keys allow to the factor the inbound rule
 * needs (expected values) for the scenario to exist: below it, in fleets of a few workloads, the
 * burst would report its source to the outbound rule as well.
 */
const MIN_GAP = 2;

export interface InboundBurst {
  dest: number;
  cluster: number;
  factor: number;
  /** the series to the destination in the cluster, whose tcp.bytes and tcp.packets the burst multiplies */
  series: Series[];
}

/** Mean of a series' tcp.bytes (or tcp.packets) over a day, and of its square (diurnal and noise). */
function moments(s: Series, packets: boolean): [mean: number, meanSquare: number] {
  const m = packets ? s.level / s.pktSize : s.level;
  // bytes carry a further uniform(0.85, 1.15) factor per point
  return [m, m * m * (1 + (s.amp * s.amp) / 2) * Math.exp(s.noise * s.noise) * (packets ? 1 : 1.0075)];
}

/** mean + 3 sd of the points of these series pooled, as the rules' baselines pool them. */
function threshold(ss: readonly Series[], packets: boolean): number {
  let m = 0;
  let q = 0;
  for (const s of ss) {
    const [a, b] = moments(s, packets);
    m += a;
    q += b;
  }
  m /= ss.length;
  q /= ss.length;
  return m + SIGMA * Math.sqrt(Math.max(0, q - m * m));
}

/** A series' expected value `before` ms before the end of the range, noise aside. */
function expected(s: Series, packets: boolean, before: number): number {
  const diurnal = 1 + s.amp * Math.sin(TWO_PI * (1 - before / DAY_MS) + s.phase);
  return (packets ? s.level / s.pktSize : s.level) * diurnal;
}

function groupBy(series: readonly Series[], key: (s: Series) => string): Map<string, Series[]> {
  const out = new Map<string, Series[]>();
  for (const s of series) {
    const k = key(s);
    const list = out.get(k);
    if (list) list.push(s);
    else out.set(k, [s]);
  }
  return out;
}

/**
 * The destination and cluster whose burst the inbound rule sees most clearly against what its
 * sources' outbound keys see, from expected values: the burst multiplies the destination's whole
 * bucket mean, but only one of the several destinations in each source's. Undefined when every
 * destination is excluded or none leaves the outbound keys room enough (MIN_GAP).
 */
export function pickInboundBurst(series: readonly Series[], excludedDests: ReadonlySet<number>): InboundBurst | undefined {
  const keyOf = (s: Series) => `${s.workload}:${s.process}`;
  const byDest = groupBy(series.filter((s) => !excludedDests.has(s.dest)), (s) => String(s.dest));
  const byKey = groupBy(series, keyOf);
  const byKeyCluster = groupBy(series, (s) => `${keyOf(s)}:${s.cluster}`);
  const [w0, w1] = INBOUND_BURST.window;
  const times: number[] = [];
  for (let t = w0; t > w1; t -= MINUTE_MS) times.push(t);
  let best: (InboundBurst & { gap: number; kIn: number }) | undefined;
  for (const all of byDest.values()) {
    for (const [, inCluster] of groupBy(all, (s) => String(s.cluster))) {
      let kIn = 0;
      let kOut = Infinity;
      for (const packets of [false, true]) {
        const limit = threshold(all, packets);
        for (const t of times) {
          const mean = inCluster.reduce((a, s) => a + expected(s, packets, t), 0) / inCluster.length;
          kIn = Math.max(kIn, limit / mean);
        }
        for (const [k, base] of groupBy(inCluster, keyOf)) {
          const sourceLimit = threshold(byKey.get(k)!, packets);
          const recent = byKeyCluster.get(`${k}:${inCluster[0]!.cluster}`)!;
          for (const t of times) {
            let other = 0;
            let burst = 0;
            for (const s of recent) {
              if (base.includes(s)) burst += expected(s, packets, t);
              else other += expected(s, packets, t);
            }
            kOut = Math.min(kOut, (sourceLimit * recent.length - other) / burst);
          }
        }
      }
      const gap = kOut / kIn;
      if (!best || gap > best.gap) {
        best = { dest: inCluster[0]!.dest, cluster: inCluster[0]!.cluster, factor: 0, series: inCluster, gap, kIn };
      }
    }
  }
  if (!best || best.gap < MIN_GAP) return undefined;
  const { dest, cluster, series: burstSeries } = best;
  return { dest, cluster, factor: Math.round(best.kIn * INBOUND_MARGIN * 10) / 10, series: burstSeries };
}
