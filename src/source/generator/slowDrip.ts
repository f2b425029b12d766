import { withAddedWorkloads, type AddedShape, type PoolEntry } from './addedWorkloads.js';
import { HOUR_MS } from './busyHour.js';
import type { GeneratorConfig } from './generatorTypes.js';
import { ROWS_PER_DAY, SPIKE_RATE, STEP_MS, type Scenario, type Series, type Topology } from './generatorTopology.js';
import { Rng, hash } from './rng.js';

/** How long the drip lasts, up to the end of the range. */
export const DRIP_MS = 6 * HOUR_MS;

/** A slow drip is about the outbound rule (no `rule`); its window is the final 6 hours. */
export const SLOW_DRIP: Scenario = {
  name: 'slow-drip', window: [DRIP_MS, 0], expectedFinding: true,
  description: 'a slow exfiltration: tcp.bytes and tcp.packets 1.5 to 1.9 sd of the key\'s baseline over its usual ' +
    'level in every 10 s bucket for 6 hours, to a destination it always sends to; the published per-bucket 3 sigma ' +
    'rule is expected to miss it (the key\'s own spikes inflate its sd), a robust (median/MAD) baseline can catch it',
};

/**
 * Agents and sidecars that stream to one outside service all day over a connection they keep
 * open, first destination preferred: the channel a slow exfiltration hides in.
 */
export const DRIP_POOL: readonly PoolEntry[] = [
  ['config-sync-agent', 'rclone', ['s3.amazonaws.com', 'storage.googleapis.com']],
  ['telemetry-sidecar', 'otelcol-contrib', ['api.datadoghq.com', 'storage.googleapis.com']],
  ['crash-reporter', 'sentry-cli', ['sentry.io']],
  ['log-relay', 'vector', ['logs.papertrailapp.com']],
  ['webhook-relay', 'node', ['hooks.slack.com']],
  ['backup-sidecar', 'restic', ['storage.googleapis.com', 's3.amazonaws.com']],
  ['package-cache-agent', 'curl', ['registry.npmjs.org']],
  ['license-agent', 'java', ['api.keygen.sh']],
];

/**
 * Low noise and a flat day, so that the spikes, not the usual traffic, make most of the key's sd.
 * No new sockets: a Poisson count's tail passes mean + 3 sd in a few buckets an hour, which would
 * report the key now and then whatever its bytes do.
 */
const DRIP_SHAPE: AddedShape = { level: [3e4, 3e5], sockRate: 0, amp: [0.03, 0.08], noise: [0.06, 0.1] };
/** The drip's size, in sd of the key's tcp.bytes per point: under the rule's 3 with room for the usual noise. */
const SIGMAS: readonly [number, number] = [1.5, 1.9];
/**
 * Spikes a day (uniform), one point each, and their factor on tcp.bytes and tcp.packets
 * (log-uniform). One point makes two anomalous pairs, so an hourly detection before the drip
 * reports the key only in the rare hour holding three spikes.
 */
const SPIKES: readonly [number, number] = [6, 12];
const SPIKE_FACTOR: readonly [number, number] = [25, 55];
/** generateDay's bytes per packet spread, 0.85 + 0.3 * u: its second moment */
const SPREAD_SQ = 1 + 0.3 ** 2 / 12;
/** the fleet-wide rare spike, 1.5 + a Pareto(3) factor: its first two moments */
const RARE_MEAN = 3;
const RARE_SQ = 9.75;

/** Steps of 10 s per point at the configuration's cadence. */
const stepsOf = (cfg: GeneratorConfig) => (cfg.intervalMs ?? STEP_MS) / STEP_MS;

/**
 * Marks in `out` (one entry per 10 s step of the day) the factor of the key's spikes on day
 * `dayIndex`, 1 elsewhere; returns it. Whole points at the cadence, from the key's stream; on the
 * last day none falls in the drip, so that what a detection sees there is the drip alone.
 */
export function dripSpikes(cfg: GeneratorConfig, drip: NonNullable<Series['drip']>, dayIndex: number, out: Float64Array): Float64Array {
  out.fill(1);
  const k = stepsOf(cfg);
  const points = ROWS_PER_DAY / k;
  const limit = dayIndex === cfg.days - 1 ? ROWS_PER_DAY - DRIP_MS / STEP_MS : ROWS_PER_DAY;
  const rng = new Rng(hash(cfg.seed, dayIndex, drip.stream, 0x5d1f));
  for (let e = SPIKES[0] + rng.int(SPIKES[1] - SPIKES[0] + 1); e > 0; e--) {
    const start = rng.int(points) * k;
    const factor = rng.logRange(SPIKE_FACTOR[0], SPIKE_FACTOR[1]);
    if (start + k <= limit) out.fill(factor, start, start + k);
  }
  return out;
}

/**
 * The mean and sd of the drip key's tcp.bytes per point without the drip, from its parameters
 * (the key is one series): the diurnal curve, the lognormal noise, the bytes per packet spread,
 * the fleet-wide rare spikes and the key's own, independent of one another.
 */
export function dripBaseline(cfg: GeneratorConfig, s: Series): { mean: number; sd: number } {
  const k = stepsOf(cfg);
  const [a, b] = SPIKE_FACTOR;
  const q = (((SPIKES[0] + SPIKES[1]) / 2) * k) / ROWS_PER_DAY;
  const spike = 1 + q * ((b - a) / Math.log(b / a) - 1);
  const spikeSq = 1 + q * ((b * b - a * a) / (2 * Math.log(b / a)) - 1);
  const rare = 1 + SPIKE_RATE * (RARE_MEAN - 1);
  const rareSq = 1 + SPIKE_RATE * (RARE_SQ - 1);
  const m1 = spike * rare;
  const m2 = (1 + (s.amp * s.amp) / 2) * Math.exp(s.noise * s.noise) * spikeSq * rareSq * SPREAD_SQ;
  return { mean: k * s.level * m1, sd: k * s.level * Math.sqrt(m2 - m1 * m1) };
}

/** The drip's tcp.bytes per point: `sigmas` of the key's sd. */
export function dripBytes(cfg: GeneratorConfig, s: Series): number {
  return s.drip ? s.drip.sigmas * dripBaseline(cfg, s).sd : 0;
}

/**
 * Adds `cfg.slowDrips` agent workloads (addedWorkloads.ts), each to one outside service, with
 * spikes every day and a drip over the final DRIP_MS.
 */
export function withSlowDrips(cfg: GeneratorConfig, topo: Topology, inboundDest: string | undefined, firstStream: number): Topology {
  return withAddedWorkloads(cfg, topo, {
    scenario: SLOW_DRIP, count: cfg.slowDrips ?? 0, pool: DRIP_POOL, salt: 0xd819, firstStream, inboundDest,
    maxDests: 1, shape: DRIP_SHAPE, mark: (stream, rng) => ({ drip: { stream, sigmas: rng.range(SIGMAS[0], SIGMAS[1]) } }),
  });
}
