import { withAddedWorkloads, type AddedShape, type PoolEntry } from './addedWorkloads.js';
import type { GeneratorConfig } from './generatorTypes.js';
import { DAY_MS, type Scenario, type Series, type Topology } from './generatorTopology.js';
import { Rng, hash } from './rng.js';

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
export const BUSY_POOL: readonly PoolEntry[] = [
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
 * size is the mean of the key's earlier batch days' (those of the 29 an hour-of-day baseline
 * sees) plus [LAST_Z_MIN, LAST_Z_MAX] of their sd. So "must not fire" is what the hour-of-day
 * baseline is expected to get right, not a coin toss on the day's size (a batch 2 sd over its
 * usual would be an anomaly of its own).
 */
const MEDIAN = 12.5;
const SPREAD = 0.28;
const LAST_Z_MIN = -1;
const LAST_Z_MAX = 0.5;
/** the earlier days the last day's size is drawn against: an hour-of-day baseline's 29 */
const HISTORY_DAYS = 29;
/** tcp.new_sockets rise by a share of the bytes' factor: 1 + SOCKET_SHARE * (factor - 1). */
const SOCKET_SHARE = 0.2;

/** The parameters of a batch workload's usual traffic (busy hours and weekly batches). */
export const BATCH_SHAPE: AddedShape = { level: [1e5, 1.5e6], sockRate: [2, 8], amp: [0.05, 0.2], noise: [0.15, 0.25] };

/** What a batch series carries: the key's stream, for its batch sizes, and the days between batches (1: daily). */
export type BusySpec = NonNullable<Series['busy']>;

const dayZ = (cfg: GeneratorConfig, busy: BusySpec, dayIndex: number) =>
  Math.min(2, Math.max(-2, new Rng(hash(cfg.seed, dayIndex, busy.stream, 0xb5e7)).normal()));

/** Whether day `dayIndex` has the key's batch: every `period`-th day counted back from the last. */
export function isBatchDay(cfg: GeneratorConfig, busy: BusySpec, dayIndex: number): boolean {
  return (cfg.days - 1 - dayIndex) % (busy.period ?? 1) === 0;
}

/** The batch key's factor on tcp.bytes and tcp.packets on batch day `dayIndex`. */
export function busyFactor(cfg: GeneratorConfig, busy: BusySpec, dayIndex: number): number {
  const z = dayZ(cfg, busy, dayIndex);
  if (dayIndex < cfg.days - 1) return MEDIAN * Math.exp(SPREAD * z);
  const period = busy.period ?? 1;
  const history: number[] = [];
  const from = Math.max(0, dayIndex - HISTORY_DAYS);
  for (let d = dayIndex - period * Math.floor((dayIndex - from) / period); d < dayIndex; d += period) {
    history.push(SPREAD * dayZ(cfg, busy, d));
  }
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

/**
 * Adds `cfg.busyHours` batch workloads (addedWorkloads.ts), each to one or two of its stores,
 * with a batch every day.
 */
export function withBusyHours(cfg: GeneratorConfig, topo: Topology, inboundDest: string | undefined, firstStream: number): Topology {
  return withAddedWorkloads(cfg, topo, {
    scenario: BUSY_HOUR, count: cfg.busyHours ?? 0, pool: BUSY_POOL, salt: 0xb05e, firstStream, inboundDest,
    maxDests: 2, shape: BATCH_SHAPE, mark: (stream) => ({ busy: { stream } }),
  });
}
