import { destProcessOf } from './destProcesses.js';
import type { GeneratorConfig } from './generatorTypes.js';
import {
  DAY_MS, STEP_MS, WORKLOAD_POOL, sortSeries, type Scenario, type Series, type Topology,
} from './generatorTopology.js';
import { Rng, TWO_PI, hash } from './rng.js';

export const HOUR_MS = 3_600_000;

/** A busy hour is about the outbound rule (no `rule`); its window is the final hour of the range. */
export const BUSY_HOUR: Scenario = {
  name: 'busy-hour', window: [HOUR_MS, 0], expectedFinding: false,
  description: 'a daily batch at the same hour every day: the flat baseline fires on it, the hour-of-day baseline must not',
};

/**
 * Batch workloads, their process and the stores they write to, first one preferred: a nightly
 * job reads a database and writes an object store (or the reverse), at one clock hour a day.
 */
export const BUSY_POOL: readonly [workload: string, process: string, dests: readonly string[]][] = [
  ['nightly-reporter', 'python', ['postgres', 's3.amazonaws.com']],
  ['etl-batch', 'java', ['postgres', 's3.amazonaws.com', 'kafka']],
  ['backup-agent', 'restic', ['s3.amazonaws.com', 'postgres']],
  ['db-snapshotter', 'pg_dump', ['postgres', 's3.amazonaws.com']],
  ['warehouse-loader', 'java', ['s3.amazonaws.com', 'postgres']],
  ['invoice-batch', 'java', ['postgres', 'mongodb']],
  ['log-archiver', 'python', ['elasticsearch', 's3.amazonaws.com']],
  ['ml-trainer', 'python', ['s3.amazonaws.com', 'mongodb']],
  ['ledger-reconciler', 'java', ['postgres', 'kafka']],
  ['media-archiver', 'rclone', ['s3.amazonaws.com', 'mongodb']],
];

/**
 * The batch's size: tcp.bytes and tcp.packets times exp(ln(MEDIAN) + SPREAD * z) in the busy
 * hour, z a standard normal per key and day, kept to +-2 (so about 7x to 22x, mostly 8x to 20x),
 * the same for every destination of the key. The last day's batch is an ordinary one: its log
 * size is the mean of the key's earlier days' (the 29 an hour-of-day baseline sees) plus
 * [LAST_Z_MIN, LAST_Z_MAX] of their sd. So "must not fire" is what the hour-of-day baseline is
 * expected to get right, not a coin toss on the day's size (a batch 2 sd over its usual would be
 * an anomaly of its own).
 */
const MEDIAN = 12.5;
const SPREAD = 0.28;
const LAST_Z_MIN = -1;
const LAST_Z_MAX = 0.5;
/** the earlier days the last day's size is drawn against: an hour-of-day baseline's 29 */
const HISTORY_DAYS = 29;
/** tcp.new_sockets rise by a share of the bytes' factor: 1 + SOCKET_SHARE * (factor - 1). */
const SOCKET_SHARE = 0.2;

/** What a busy-hour series carries: the key's stream, for its day-to-day batch sizes. */
export type BusySpec = NonNullable<Series['busy']>;

const dayZ = (cfg: GeneratorConfig, busy: BusySpec, dayIndex: number) =>
  Math.min(2, Math.max(-2, new Rng(hash(cfg.seed, dayIndex, busy.stream, 0xb5e7)).normal()));

/** The busy-hour key's factor on tcp.bytes and tcp.packets on day `dayIndex`. */
export function busyFactor(cfg: GeneratorConfig, busy: BusySpec, dayIndex: number): number {
  const z = dayZ(cfg, busy, dayIndex);
  if (dayIndex < cfg.days - 1) return MEDIAN * Math.exp(SPREAD * z);
  const history: number[] = [];
  for (let d = Math.max(0, dayIndex - HISTORY_DAYS); d < dayIndex; d++) history.push(SPREAD * dayZ(cfg, busy, d));
  const mean = history.length ? history.reduce((a, b) => a + b, 0) / history.length : 0;
  const sd = history.length > 1
    ? Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / (history.length - 1))
    : SPREAD;
  const t = (z + 2) / 4; // the day's z (in [-2, 2]), mapped onto [LAST_Z_MIN, LAST_Z_MAX]
  return MEDIAN * Math.exp(mean + sd * (LAST_Z_MIN + (LAST_Z_MAX - LAST_Z_MIN) * t));
}

/** tcp.new_sockets' factor in the busy hour, for a bytes factor. */
export function busySocketFactor(factor: number): number {
  return 1 + SOCKET_SHARE * (factor - 1);
}

/** [from, to) of the busy hour on the day starting at dayStart: the clock hour of the range's final hour. */
export function busyWindow(dayStart: number): [number, number] {
  return [dayStart + DAY_MS - HOUR_MS, dayStart + DAY_MS];
}

export type BusyTarget = NonNullable<Topology['busyTargets']>[number];

const sortedIndex = (xs: string[]) => {
  const sorted = [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { sorted, index: new Map(sorted.map((n, i) => [n, i])) };
};

/**
 * Adds `cfg.busyHours` batch workloads, each one process in one existing cluster, to one or two
 * of its stores. Each draws from its own random stream (the i-th workload's from a stream of
 * its own, so N busy hours are the first N of N + 1), and its series from streams after every
 * other series', so the other series' values stay as they were; their indexes are renumbered,
 * since the new names sort among the old. They never send to the inbound burst's destination
 * (its baseline would change), and as they are added last no other scenario picks them.
 */
export function withBusyHours(cfg: GeneratorConfig, topo: Topology, inboundDest: string | undefined): Topology {
  const n = cfg.busyHours ?? 0;
  if (n === 0) return topo;
  const { names } = topo;
  const order = new Rng(hash(cfg.seed, 0xb05e, cfg.clusters, cfg.workloads)).shuffle(BUSY_POOL.map((_, i) => i));
  const taken = new Set(names.workloads);
  const firstStream = topo.series.reduce((m, s) => Math.max(m, s.stream), -1) + 1;

  interface Added { cluster: string; workload: string; process: string; dest: string; params: Omit<Series, 'cluster' | 'workload' | 'process' | 'dest'> }
  const added: Added[] = [];
  const busyTargets: BusyTarget[] = [];
  for (let i = 0; i < n; i++) {
    const [base, process, stores] = BUSY_POOL[order[i % order.length]!]!;
    // past the pool, a second round of names (as the fleet names its own): etl-batch-2, ...
    let round = Math.floor(i / order.length);
    let workload = round ? `${base}-${round + 1}` : base;
    while (taken.has(workload)) workload = `${base}-${++round + 1}`;
    taken.add(workload);
    const rng = new Rng(hash(cfg.seed, 0xb05e + 1 + i, cfg.clusters, cfg.workloads));
    const cluster = names.clusters[rng.int(names.clusters.length)]!;
    const open = stores.filter((d) => d !== inboundDest);
    const dests = open.slice(0, rng.next() < 0.5 ? 1 : 2);
    const level = rng.logRange(1e5, 1.5e6);
    const sockRate = rng.logRange(2, 8);
    const amp = rng.range(0.05, 0.2);
    const phase = rng.range(0, TWO_PI);
    const noise = rng.range(0.15, 0.25);
    const stream = firstStream + i * 4;
    dests.forEach((dest, di) => {
      const weight = dests.length > 1 ? rng.logRange(0.6, 1.4) : 1;
      added.push({
        cluster, workload, process, dest,
        params: {
          level: level * weight, sockRate: sockRate * Math.sqrt(weight), udpRate: 0, amp, phase, noise,
          scenario: undefined,
          pktSize: rng.range(900, 1400), udpPktSize: rng.range(80, 220),
          offsetMs: rng.int(STEP_MS), gapChance: rng.next() < 0.3 ? rng.range(0.2, 0.8) : 0,
          stream: stream + di,
          busy: { stream },
        },
      });
    });
    busyTargets.push({ cluster, workload, process });
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
    busyTargets,
    destProcessOfDest: dests.sorted.map((x) => destProcesses.index.get(destProcessOf(x, poolProcess))!),
  };
}
