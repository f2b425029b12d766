import type { GeneratedNames, GeneratorConfig } from './generatorTypes.js';
import {
  EXFIL, MAX_ADDED, NEW_PROCESS_DEST, buildTopology, sortSeries, validate, type DestTarget, type Series, type Topology,
} from './generatorTopology.js';
import { withBusyHours } from './busyHour.js';
import { withSlowDrips } from './slowDrip.js';
import { withWeeklyBatches } from './weeklyBatch.js';
import { INBOUND_BURST, pickInboundBurst } from './inboundBurst.js';
import { NEW_EDGE, NEW_UDP_EDGE, UPSTREAM_RESOLVERS, pickNewEdge, plainProcess } from './newEdges.js';
import { Rng, hash } from './rng.js';

let cached: { key: string; topo: Topology } | undefined;

/**
 * The generated fleet: series, names and scenario targets, built once per seed and size. The
 * opt-in scenarios' series take streams after the fleet's, a range each, so that one's rows do
 * not depend on whether another is on.
 */
export function topology(cfg: GeneratorConfig): Topology {
  validate(cfg);
  const key = `${cfg.seed}|${cfg.clusters}|${cfg.workloads}|${cfg.busyHours ?? 0}|${cfg.weeklyBatches ?? 0}|${cfg.slowDrips ?? 0}`;
  if (cached?.key !== key) {
    const topo = withDestScenarios(cfg, buildTopology(cfg));
    const inboundDest = topo.destTargets.find((t) => t.scenario === INBOUND_BURST)?.dest;
    const first = topo.series.reduce((m, s) => Math.max(m, s.stream), -1) + 1;
    const busy = withBusyHours(cfg, topo, inboundDest, first);
    const weekly = withWeeklyBatches(cfg, busy, inboundDest, first + 4 * MAX_ADDED);
    cached = { key, topo: withSlowDrips(cfg, weekly, inboundDest, first + 8 * MAX_ADDED) };
  }
  return cached.topo;
}

/**
 * Adds the destination-side scenarios. They draw from their own random stream and their series
 * from streams after the others', so the series the source-side scenarios made stay as they were.
 */
function withDestScenarios(cfg: GeneratorConfig, topo: Topology): Topology {
  const { names, series, targets } = topo;
  const rng = new Rng(hash(cfg.seed, 0xde57, cfg.clusters, cfg.workloads));
  const destProcess = (d: number) => names.destProcesses[topo.destProcessOfDest[d]!]!;
  const scenarioDests = new Set(series.filter((s) => s.scenario).map((s) => s.dest));
  const destTargets: DestTarget[] = [];

  const inbound = pickInboundBurst(series, scenarioDests);
  if (inbound) {
    for (const s of inbound.series) s.burst = { scenario: INBOUND_BURST, factor: inbound.factor };
    const dest = names.dests[inbound.dest]!;
    const n = inbound.series.length;
    destTargets.push({
      scenario: INBOUND_BURST, cluster: names.clusters[inbound.cluster]!, workload: dest, process: destProcess(inbound.dest),
      dest, destProcess: destProcess(inbound.dest),
      description: `tcp.bytes and tcp.packets ${inbound.factor}x the baseline to ${dest} from ` +
        `${n === 1 ? 'its one source series' : `each of its ${n} source series`} in the cluster for 15 minutes; ` +
        'the sources\' traffic to other destinations unchanged',
    });
  }

  const keyOf = (s: Series) => `${s.workload}:${s.process}`;
  const busy = new Set([
    ...targets.map((t) => `${t.workload}:${t.process}`),
    ...series.filter((s) => s.burst).map(keyOf),
  ]);
  const candidates = new Map<string, Series>();
  for (const s of series) {
    if (!busy.has(keyOf(s)) && plainProcess(names.processes[s.process]!)) candidates.set(`${keyOf(s)}:${s.cluster}`, s);
  }
  const all = names.dests.map((_, d) => d).filter((d) => names.dests[d] !== NEW_PROCESS_DEST && d !== inbound?.dest);
  const exfilDests = new Set(series.filter((s) => s.scenario === EXFIL).map((s) => s.dest));
  const added: Series[] = [];
  const specs = [
    { scenario: NEW_EDGE, allowed: all.filter((d) => !scenarioDests.has(d)), preferred: all.filter((d) => names.workloads.includes(names.dests[d]!)) },
    { scenario: NEW_UDP_EDGE, allowed: all.filter((d) => !exfilDests.has(d)), preferred: all.filter((d) => UPSTREAM_RESOLVERS.includes(names.dests[d]!)) },
  ];
  for (const { scenario, allowed, preferred } of specs) {
    const from = [...candidates.values()].filter((s) => !added.some((a) => a.workload === s.workload));
    const edge = pickNewEdge(rng, series, from, allowed, preferred, scenario, series.length + added.length);
    if (!edge) continue;
    added.push(edge.series);
    destTargets.push({
      scenario, cluster: names.clusters[edge.source.cluster]!, workload: names.workloads[edge.source.workload]!,
      process: names.processes[edge.source.process]!, dest: names.dests[edge.dest]!, destProcess: destProcess(edge.dest),
      description: scenario.description,
    });
  }
  series.push(...added);
  sortSeries(series);
  return { ...topo, destTargets };
}

export function generatorNames(cfg: GeneratorConfig): GeneratedNames {
  const { names } = topology(cfg);
  return {
    clusters: [...names.clusters], workloads: [...names.workloads],
    processes: [...names.processes], dests: [...names.dests], destProcesses: [...names.destProcesses],
  };
}

export function seriesCount(cfg: GeneratorConfig): number {
  return topology(cfg).series.length;
}
