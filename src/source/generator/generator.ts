import {
  METRIC_NAMES,
  type DayRows,
  type GeneratorConfig,
  type ScenarioLabel,
} from './generatorTypes.js';
import { Rng, hash } from './rng.js';
import {
  DAY_MS, DNS_TUNNEL, EXFIL, MAX_JITTER_MS, NULL_RATE, ROWS_PER_DAY, SHORT_BURST, SPIKE_RATE, STEP_MS, TWO_PI,
  type Series,
} from './generatorTopology.js';
import { topology } from './fleet.js';
import { HOUR_MS, busyFactor, busySocketFactor, busyWindow, isBatchDay } from './busyHour.js';
import { DRIP_MS, dripBytes, dripSpikes } from './slowDrip.js';

export { generatorNames, seriesCount } from './fleet.js';

/** Marks in `mask` the intervals of the day on which series `s` reports; returns their count. */
function planRows(cfg: GeneratorConfig, s: Series, dayIndex: number, mask: Uint8Array): number {
  const last = dayIndex === cfg.days - 1;
  if (s.scenario?.fresh) {
    mask.fill(0);
    if (!last) return 0;
    const from = ROWS_PER_DAY - s.scenario.window[0] / STEP_MS;
    mask.fill(1, from);
    return cadence(cfg, mask, ROWS_PER_DAY - from);
  }
  mask.fill(1);
  const rng = new Rng(hash(cfg.seed, dayIndex, s.stream, 0x6a95));
  if (rng.next() >= s.gapChance) return cadence(cfg, mask, ROWS_PER_DAY);
  // Keep the final hour of scenario series (a drip's final hours) intact so the labelled behaviour is always present.
  const kept = !last ? 0 : s.drip ? DRIP_MS : s.scenario || s.busy ? HOUR_MS : 0;
  const end = ROWS_PER_DAY - kept / STEP_MS;
  let count = ROWS_PER_DAY;
  for (let g = 1 + rng.int(3); g > 0; g--) {
    const len = 6 + rng.int(31);
    const start = rng.int(end - len);
    for (let i = start; i < start + len; i++) {
      count -= mask[i]!;
      mask[i] = 0;
    }
  }
  return cadence(cfg, mask, count);
}

/** Steps of 10 s per reported point. */
function intervalSteps(cfg: GeneratorConfig): number {
  return (cfg.intervalMs ?? STEP_MS) / STEP_MS;
}

/** Keeps one step in intervalSteps (a series reports every 30 s, say); returns the rows left. */
function cadence(cfg: GeneratorConfig, mask: Uint8Array, count: number): number {
  const k = intervalSteps(cfg);
  if (k === 1) return count;
  let left = 0;
  for (let i = 0; i < mask.length; i++) {
    if (i % k !== 0) mask[i] = 0;
    left += mask[i]!;
  }
  return left;
}

/** Rows each series reports on the day, in series (and so file) order. */
export function dayRowCounts(cfg: GeneratorConfig, dayIndex: number): Int32Array {
  const topo = topology(cfg);
  const mask = new Uint8Array(ROWS_PER_DAY);
  return Int32Array.from(topo.series, (s) => planRows(cfg, s, dayIndex, mask));
}

/**
 * The day's rows of series [from, to) (all by default). Every series has its own random stream,
 * so a day generated in several series ranges is the same rows as the day generated at once.
 */
export function generateDay(cfg: GeneratorConfig, dayIndex: number, from = 0, to = Infinity): DayRows {
  const topo = topology(cfg);
  if (!Number.isInteger(dayIndex) || dayIndex < 0 || dayIndex >= cfg.days) {
    throw new RangeError(`dayIndex must be an integer in 0..${cfg.days - 1}, got ${dayIndex}`);
  }
  const end = Math.min(to, topo.series.length);
  const dayStart = cfg.endMs - (cfg.days - dayIndex) * DAY_MS;
  const last = dayIndex === cfg.days - 1;
  const mask = new Uint8Array(ROWS_PER_DAY);
  let spikes: Float64Array | undefined;
  let length = 0;
  for (let si = from; si < end; si++) length += planRows(cfg, topo.series[si]!, dayIndex, mask);

  const timestamp = new Float64Array(length);
  const cluster = new Uint16Array(length);
  const workload = new Uint16Array(length);
  const process = new Uint16Array(length);
  const dest = new Uint16Array(length);
  const destProcess = new Uint16Array(length);
  const metrics = METRIC_NAMES.map(() => new Float64Array(length));
  const [tcpBytes, tcpSockets, tcpPackets, udpBytes, udpPackets] = metrics as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

  let row = 0;
  for (let si = from; si < end; si++) {
    const s = topo.series[si]!;
    const n = planRows(cfg, s, dayIndex, mask);
    if (n === 0) continue;
    cluster.fill(s.cluster, row, row + n);
    workload.fill(s.workload, row, row + n);
    process.fill(s.process, row, row + n);
    dest.fill(s.dest, row, row + n);
    destProcess.fill(topo.destProcessOfDest[s.dest]!, row, row + n);

    const rng = new Rng(hash(cfg.seed, dayIndex, s.stream, 0x3d1a));
    const jLo = -Math.min(s.offsetMs, MAX_JITTER_MS);
    const jSpan = Math.min(STEP_MS - 1 - s.offsetMs, MAX_JITTER_MS) - jLo + 1;
    const halfVar = (s.noise * s.noise) / 2;
    const udp = s.udpRate > 0;
    // a point every k steps carries the delta of k steps
    const k = intervalSteps(cfg);
    const sc = last ? s.scenario : undefined;
    const winFrom = sc ? cfg.endMs - sc.window[0] : Infinity;
    const winTo = sc ? cfg.endMs - sc.window[1] : -Infinity;
    const udpOnly = sc?.udpOnly === true;
    const burst = last ? s.burst : undefined;
    const burstFrom = burst ? cfg.endMs - burst.scenario.window[0] : Infinity;
    const burstTo = burst ? cfg.endMs - burst.scenario.window[1] : -Infinity;
    const factor = burst?.factor ?? 1;
    const batch = s.busy !== undefined && isBatchDay(cfg, s.busy, dayIndex);
    const [busyFrom, busyTo] = batch ? busyWindow(dayStart) : [Infinity, -Infinity];
    const busyBytes = batch ? busyFactor(cfg, s.busy!, dayIndex) : 1;
    const busySockets = busySocketFactor(busyBytes);
    // the drip key's own spikes, every day; the drip itself over the final hours
    const keySpikes = s.drip ? dripSpikes(cfg, s.drip, dayIndex, (spikes ??= new Float64Array(ROWS_PER_DAY))) : undefined;
    const dripFrom = s.drip && last ? cfg.endMs - DRIP_MS : Infinity;
    const drip = s.drip && last ? dripBytes(cfg, s) : 0;
    const dripPackets = drip / s.pktSize;

    for (let i = 0; i < ROWS_PER_DAY; i++) {
      if (mask[i] === 0) continue;
      const ts = dayStart + i * STEP_MS + s.offsetMs + jLo + Math.floor(rng.next() * jSpan);
      const diurnal = 1 + s.amp * Math.sin((TWO_PI * (ts - dayStart)) / DAY_MS + s.phase);
      let activity = Math.exp(s.noise * rng.normal() - halfVar);
      const dripping = ts >= dripFrom;
      if (rng.next() < SPIKE_RATE) {
        const spike = 1.5 + Math.pow(1 - rng.next(), -1 / 3);
        if (!dripping) activity *= spike;
      }
      // the batch: a larger level (so bytes per packet stay as they are), more new sockets
      const busy = ts >= busyFrom && ts < busyTo;
      const spiked = keySpikes === undefined ? activity : activity * keySpikes[i]!;
      const packets = Math.round((k * s.level * (busy ? busyBytes : 1) * diurnal * spiked) / s.pktSize);
      let bytes = Math.round(packets * s.pktSize * (0.85 + 0.3 * rng.next()));
      let pkts = packets;
      let sockets = rng.poisson(k * s.sockRate * (busy ? busySockets : 1) * diurnal * (0.5 + 0.5 * activity));
      let uPkts = NaN;
      let uBytes = NaN;
      if (udp) {
        uPkts = Math.round(k * s.udpRate * diurnal * Math.exp(s.noise * rng.normal() - halfVar));
        uBytes = Math.round(uPkts * s.udpPktSize * (0.9 + 0.2 * rng.next()));
      }
      const u = rng.next();
      if (ts >= winFrom && ts < winTo) {
        if (sc === EXFIL) {
          bytes *= 35;
          pkts *= 30;
        } else if (sc === DNS_TUNNEL) {
          uBytes *= 30;
          uPkts *= 12;
        } else if (sc === SHORT_BURST) {
          sockets += Math.round(40 * s.sockRate + 25);
        }
      } else if (u < NULL_RATE) {
        switch (Math.floor(u * (5 / NULL_RATE))) {
          case 0: bytes = NaN; break;
          case 1: sockets = NaN; break;
          case 2: pkts = NaN; break;
          case 3: uBytes = NaN; break;
          default: uPkts = NaN;
        }
      }
      if (udpOnly) {
        bytes = NaN;
        sockets = NaN;
        pkts = NaN;
      }
      if (ts >= burstFrom && ts < burstTo) {
        bytes = Math.round(bytes * factor);
        pkts = Math.round(pkts * factor);
      }
      if (dripping) {
        bytes = Math.round(bytes + drip);
        pkts = Math.round(pkts + dripPackets);
      }
      timestamp[row] = ts;
      tcpBytes[row] = bytes;
      tcpSockets[row] = sockets;
      tcpPackets[row] = pkts;
      udpBytes[row] = uBytes;
      udpPackets[row] = uPkts;
      row++;
    }
  }
  return { length, timestamp, cluster, workload, process, dest, destProcess, metrics };
}

/**
 * The outbound rule's labels (no `rule` field), then the destination-side scenarios' labels, then
 * the opt-in scenarios' (busy hours, weekly batches, slow drips), about the outbound rule too.
 */
export function scenarioLabels(cfg: GeneratorConfig): ScenarioLabel[] {
  const { names, targets, destTargets, addedTargets = [] } = topology(cfg);
  const iso = (msBeforeEnd: number) => new Date(cfg.endMs - msBeforeEnd).toISOString();
  const outbound = targets.map(({ scenario: sc, cluster, workload, process }): ScenarioLabel => ({
    scenario: sc.name,
    cluster: names.clusters[cluster]!,
    workload: names.workloads[workload]!,
    process: names.processes[process]!,
    from: iso(sc.window[0]),
    to: iso(sc.window[1]),
    expectedFinding: sc.expectedFinding,
    description: sc.description,
  }));
  const dest = destTargets.map((t): ScenarioLabel => ({
    scenario: t.scenario.name,
    rule: t.scenario.rule!,
    cluster: t.cluster,
    workload: t.workload,
    process: t.process,
    'dest.workload.name': t.dest,
    'dest.process.name': t.destProcess,
    from: iso(t.scenario.window[0]),
    to: iso(t.scenario.window[1]),
    expectedFinding: t.scenario.expectedFinding,
    description: t.description,
  }));
  const added = addedTargets.map(({ scenario: sc, cluster, workload, process }): ScenarioLabel => ({
    scenario: sc.name,
    cluster,
    workload,
    process,
    from: iso(sc.window[0]),
    to: iso(sc.window[1]),
    expectedFinding: sc.expectedFinding,
    description: sc.description,
  }));
  return [...outbound, ...dest, ...added];
}
