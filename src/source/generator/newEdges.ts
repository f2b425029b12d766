import {
  MINUTE_MS, PROCESS_DESTS, SIDECARS, STEP_MS, type Scenario, type Series,
} from './generatorTopology.js';
import type { Rng } from './rng.js';

export const NEW_TCP_EDGE_RULE_ID = '13f081d6-7052-428a-bbb0-892c79ca7c65';
export const NEW_UDP_EDGE_RULE_ID = '49b7daca-4e3c-4899-ba15-9a175e056fa9';

export const NEW_EDGE: Scenario = {
  name: 'new-edge', rule: NEW_TCP_EDGE_RULE_ID, window: [40 * MINUTE_MS, 0], fresh: true, expectedFinding: true,
  description: 'a workload starts tcp traffic to a destination it never talked to before, at a modest volume ' +
    '(below its usual per-destination level, so the outbound rule stays quiet)',
};
export const NEW_UDP_EDGE: Scenario = {
  name: 'new-udp-edge', rule: NEW_UDP_EDGE_RULE_ID, window: [25 * MINUTE_MS, 0], fresh: true, udpOnly: true, expectedFinding: true,
  description: 'a workload starts udp-only traffic (tcp.* null) to a destination it never talked to before, ' +
    'such as an upstream resolver, bypassing kube-dns; a modest volume',
};

/** Share of the source's (and the destination's) mean per-series level the new edge carries. */
const SHARE = 0.3;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * A series for a new edge from key (workload, process, cluster) `source` to `dest`: the source's
 * diurnal shape, a fraction of its volume, never more than half the destination's usual level.
 */
function edgeSeries(rng: Rng, series: readonly Series[], source: Series, dest: number, scenario: Scenario, stream: number): Series {
  const own = series.filter((s) => s.workload === source.workload && s.process === source.process && s.cluster === source.cluster);
  const into = series.filter((s) => s.dest === dest);
  const level = Math.min(SHARE * mean(own.map((s) => s.level)), into.length ? 0.5 * mean(into.map((s) => s.level)) : Infinity);
  const udpInto = into.filter((s) => s.udpRate > 0);
  const udpRate = !scenario.udpOnly ? 0
    : Math.min(rng.logRange(5, 30), udpInto.length ? 0.5 * mean(udpInto.map((s) => s.udpRate)) : Infinity);
  return {
    cluster: source.cluster, workload: source.workload, process: source.process, dest, scenario,
    level, sockRate: SHARE * mean(own.map((s) => s.sockRate)), udpRate,
    amp: source.amp, phase: source.phase, noise: source.noise,
    pktSize: rng.range(500, 1400), udpPktSize: rng.range(80, 220),
    offsetMs: rng.int(STEP_MS), gapChance: 0, stream,
  };
}

export interface NewEdge { source: Series; dest: number; series: Series }

/**
 * A source key (a plain, tcp-only application process) and a destination its workload has never
 * sent to, from any process or cluster, among the fleet's destinations (so no new names appear):
 * preferably one of `preferred`, else any allowed. Undefined when no key has such a destination.
 */
export function pickNewEdge(
  rng: Rng, series: readonly Series[], candidates: readonly Series[],
  allowedDests: readonly number[], preferred: readonly number[], scenario: Scenario, stream: number,
): NewEdge | undefined {
  const usedBy = new Map<number, Set<number>>();
  for (const s of series) {
    let set = usedBy.get(s.workload);
    if (!set) usedBy.set(s.workload, (set = new Set()));
    set.add(s.dest);
  }
  const fresh = (s: Series) => allowedDests.filter((d) => !usedBy.get(s.workload)!.has(d));
  const sources = candidates.filter((s) => fresh(s).length > 0);
  if (sources.length === 0) return undefined;
  const source = sources[rng.int(sources.length)]!;
  const open = fresh(source);
  const best = open.filter((d) => preferred.includes(d));
  const pool = best.length ? best : open;
  const dest = pool[rng.int(pool.length)]!;
  return { source, dest, series: edgeSeries(rng, series, source, dest, scenario, stream) };
}

/** Processes that run in every workload or speak udp: not the plain tcp application a new edge starts from. */
export function plainProcess(process: string): boolean {
  return process !== 'coredns' && process !== 'telegraf' && !SIDECARS.includes(process);
}

/** The resolvers coredns forwards to: where a workload bypassing kube-dns would send its queries. */
export const UPSTREAM_RESOLVERS = PROCESS_DESTS.coredns!;
