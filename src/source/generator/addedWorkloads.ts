import { destProcessOf } from './destProcesses.js';
import type { GeneratorConfig } from './generatorTypes.js';
import {
  STEP_MS, WORKLOAD_POOL, sortSeries, type Scenario, type Series, type Topology,
} from './generatorTopology.js';
import { Rng, TWO_PI, hash } from './rng.js';

/** A workload an opt-in scenario adds: its name, its process and the stores it may send to, first preferred. */
export type PoolEntry = readonly [workload: string, process: string, dests: readonly string[]];

/** [lo, hi) of the key's parameters: level and sockRate log-uniform, amp and noise uniform. */
export interface AddedShape {
  level: readonly [number, number];
  /** 0: one connection kept open, no new sockets */
  sockRate: readonly [number, number] | 0;
  amp: readonly [number, number];
  noise: readonly [number, number];
}

export interface AddedSpec {
  scenario: Scenario;
  count: number;
  pool: readonly PoolEntry[];
  /** the scenario's random streams: hash(seed, salt, ...) orders the pool, salt + 1 + i draws workload i */
  salt: number;
  /** the first series stream of the scenario's range */
  firstStream: number;
  /** the inbound burst's destination, never sent to (its baseline would change) */
  inboundDest: string | undefined;
  maxDests: number;
  shape: AddedShape;
  /** what marks the workload's series as the scenario's, from its key stream; draws after the shared ones */
  mark: (stream: number, rng: Rng) => Pick<Series, 'busy' | 'drip'>;
}

const sortedIndex = (xs: string[]) => {
  const sorted = [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { sorted, index: new Map(sorted.map((n, i) => [n, i])) };
};

/**
 * Adds `spec.count` workloads from the scenario's pool, each one process in one existing cluster,
 * to one or more of its stores, and labels each (topology's addedTargets). Each draws from its
 * own random stream (the i-th workload's from a stream of its own, so N workloads are the first N
 * of N + 1), and its series from the scenario's range of streams, so the other series' values stay
 * as they were; their indexes are renumbered, since the new names sort among the old. As they are
 * added after the fleet's scenarios, no other scenario picks them.
 */
export function withAddedWorkloads(cfg: GeneratorConfig, topo: Topology, spec: AddedSpec): Topology {
  const { count: n, pool, salt, shape } = spec;
  if (n === 0) return topo;
  const { names } = topo;
  const order = new Rng(hash(cfg.seed, salt, cfg.clusters, cfg.workloads)).shuffle(pool.map((_, i) => i));
  const taken = new Set(names.workloads);

  interface Added { cluster: string; workload: string; process: string; dest: string; params: Omit<Series, 'cluster' | 'workload' | 'process' | 'dest'> }
  const added: Added[] = [];
  const addedTargets = [...(topo.addedTargets ?? [])];
  for (let i = 0; i < n; i++) {
    const [base, process, stores] = pool[order[i % order.length]!]!;
    // past the pool, a second round of names (as the fleet names its own): etl-batch-2, ...
    let round = Math.floor(i / order.length);
    let workload = round ? `${base}-${round + 1}` : base;
    while (taken.has(workload)) workload = `${base}-${++round + 1}`;
    taken.add(workload);
    const rng = new Rng(hash(cfg.seed, salt + 1 + i, cfg.clusters, cfg.workloads));
    const cluster = names.clusters[rng.int(names.clusters.length)]!;
    const open = stores.filter((d) => d !== spec.inboundDest);
    const dests = open.slice(0, Math.min(spec.maxDests, rng.next() < 0.5 ? 1 : 2));
    const level = rng.logRange(shape.level[0], shape.level[1]);
    const sockRate = shape.sockRate === 0 ? 0 : rng.logRange(shape.sockRate[0], shape.sockRate[1]);
    const amp = rng.range(shape.amp[0], shape.amp[1]);
    const phase = rng.range(0, TWO_PI);
    const noise = rng.range(shape.noise[0], shape.noise[1]);
    const stream = spec.firstStream + i * 4;
    const params = dests.map((dest, di) => {
      const weight = dests.length > 1 ? rng.logRange(0.6, 1.4) : 1;
      return {
        cluster, workload, process, dest,
        params: {
          level: level * weight, sockRate: sockRate * Math.sqrt(weight), udpRate: 0, amp, phase, noise,
          scenario: undefined,
          pktSize: rng.range(900, 1400), udpPktSize: rng.range(80, 220),
          offsetMs: rng.int(STEP_MS), gapChance: rng.next() < 0.3 ? rng.range(0.2, 0.8) : 0,
          stream: stream + di,
        },
      };
    });
    const mark = spec.mark(stream, rng);
    for (const p of params) added.push({ ...p, params: { ...p.params, ...mark } });
    addedTargets.push({ scenario: spec.scenario, cluster, workload, process });
  }

  // renumber: the new names sort among the old ones
  const workloads = sortedIndex([...names.workloads, ...added.map((a) => a.workload)]);
  const processes = sortedIndex([...names.processes, ...added.map((a) => a.process)]);
  const dests = sortedIndex([...names.dests, ...added.map((a) => a.dest)]);
  const poolProcess = new Map(WORKLOAD_POOL);
  const destProcesses = sortedIndex(dests.sorted.map((d) => destProcessOf(d, poolProcess)));
  const clusterOf = new Map(names.clusters.map((c, i) => [c, i]));
  const w = (i: number) => workloads.index.get(names.workloads[i]!)!;
  const p = (i: number) => processes.index.get(names.processes[i]!)!;
  const d = (i: number) => dests.index.get(names.dests[i]!)!;
  const series: Series[] = topo.series.map((s) => ({ ...s, workload: w(s.workload), process: p(s.process), dest: d(s.dest) }));
  for (const a of added) {
    series.push({
      ...a.params,
      cluster: clusterOf.get(a.cluster)!, workload: workloads.index.get(a.workload)!,
      process: processes.index.get(a.process)!, dest: dests.index.get(a.dest)!,
    });
  }
  sortSeries(series);
  return {
    ...topo,
    names: {
      clusters: names.clusters, workloads: workloads.sorted, processes: processes.sorted, dests: dests.sorted,
      destProcesses: destProcesses.sorted,
    },
    series,
    targets: topo.targets.map((t) => ({ ...t, workload: w(t.workload), process: p(t.process) })),
    addedTargets,
    destProcessOfDest: dests.sorted.map((x) => destProcesses.index.get(destProcessOf(x, poolProcess))!),
  };
}
