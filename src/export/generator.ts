import {
  METRIC_NAMES,
  type DayRows,
  type GeneratedNames,
  type GeneratorConfig,
  type ScenarioLabel,
} from './generatorTypes.js';

const DAY_MS = 86_400_000;
const STEP_MS = 10_000;
const ROWS_PER_DAY = DAY_MS / STEP_MS;
const MINUTE_MS = 60_000;
const MAX_JITTER_MS = 250;
const NULL_RATE = 0.001;
const SPIKE_RATE = 0.0005;
const TWO_PI = 2 * Math.PI;

const CLUSTER_POOL = [
  'prod-us-east-1', 'prod-eu-west-1', 'staging-1', 'prod-ap-southeast-1',
  'prod-us-west-2', 'dev-1', 'staging-2', 'prod-eu-central-1',
];

const WORKLOAD_POOL: [workload: string, process: string][] = [
  ['checkout-api', 'node'], ['payments-worker', 'java'], ['cart-service', 'node'],
  ['user-service', 'java'], ['recommendation-engine', 'python'], ['search-api', 'java'],
  ['inventory-service', 'java'], ['order-processor', 'java'], ['notification-worker', 'python'],
  ['email-sender', 'python'], ['frontend-web', 'nginx'], ['api-gateway', 'envoy'],
  ['auth-service', 'node'], ['billing-service', 'java'], ['catalog-api', 'node'],
  ['shipping-service', 'python'], ['fraud-detector', 'python'], ['image-resizer', 'python'],
  ['report-generator', 'python'], ['metrics-agent', 'telegraf'], ['log-shipper', 'fluent-bit'],
  ['ingress-nginx', 'nginx'], ['graphql-gateway', 'node'], ['pricing-service', 'java'],
  ['reviews-api', 'python'], ['ml-inference', 'python'], ['feature-flags', 'node'],
  ['analytics-etl', 'java'], ['webhook-dispatcher', 'node'], ['media-transcoder', 'ffmpeg'],
  ['cron-scheduler', 'python'], ['ledger-service', 'java'], ['kafka-connect', 'java'],
  ['search-indexer', 'java'], ['ad-server', 'java'], ['loyalty-service', 'node'],
  ['tax-calculator', 'python'], ['admin-portal', 'node'], ['session-proxy', 'envoy'],
];
const SIDECARS = ['envoy', 'fluent-bit'];

const DEST_POOL = [
  'postgres', 'redis', 's3.amazonaws.com', 'kube-dns', 'kafka', 'elasticsearch', 'memcached',
  'mongodb', 'rabbitmq', 'api.stripe.com', 'sqs.us-east-1.amazonaws.com', 'auth-service',
  'inventory-service', 'user-service', 'smtp.sendgrid.net',
];
const PROCESS_DESTS: Record<string, string[]> = {
  coredns: ['upstream-dns', 'vpc-resolver'],
  'fluent-bit': ['loki', 'elasticsearch', 'otel-collector'],
  telegraf: ['influxdb', 'otel-collector', 'prometheus'],
};

const NEW_PROCESS = 'xmrig';
const NEW_PROCESS_DEST = 'pool.supportxmr.com';

interface Scenario {
  name: ScenarioLabel['scenario'];
  /** [start, end) of the injected behaviour, in ms before endMs */
  window: readonly [number, number];
  expectedFinding: boolean;
  description: string;
}

const EXFIL: Scenario = {
  name: 'exfiltration-burst', window: [50 * MINUTE_MS, 35 * MINUTE_MS], expectedFinding: true,
  description: 'tcp.bytes about 35x and tcp.packets about 30x the baseline to every destination for 15 minutes',
};
const DNS_TUNNEL: Scenario = {
  name: 'dns-tunnel', window: [30 * MINUTE_MS, 10 * MINUTE_MS], expectedFinding: true,
  description: 'udp.bytes about 30x and udp.packets about 12x the baseline (DNS tunnelling) for 20 minutes',
};
const NEW_PROC: Scenario = {
  name: 'new-process', window: [45 * MINUTE_MS, 0], expectedFinding: false,
  description: `a process never seen before sends heavy traffic to ${NEW_PROCESS_DEST}; ` +
    'with no baseline the rule cannot report it (a known blind spot)',
};
const SHORT_BURST: Scenario = {
  name: 'short-burst', window: [20 * MINUTE_MS, 20 * MINUTE_MS - 2 * STEP_MS], expectedFinding: false,
  description: 'a tcp.new_sockets spike lasting two 10 s buckets: too few anomalous pairs to pass the count threshold',
};

interface KeyParams { level: number; sockRate: number; udpRate: number; amp: number; phase: number; noise: number }

interface Series extends KeyParams {
  cluster: number; workload: number; process: number; dest: number;
  scenario: Scenario | undefined;
  /** udpRate is the mean udp.packets per interval, 0 for tcp-only processes */
  pktSize: number; udpPktSize: number;
  offsetMs: number; gapChance: number;
}

interface Target { scenario: Scenario; cluster: number; workload: number; process: number }

interface Topology { names: GeneratedNames; series: Series[]; targets: Target[] }

function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function hash(seed: number, a: number, b: number, c: number): number {
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = mix32((seed >>> 0) ^ mix32(hi));
  h = mix32(h ^ a);
  h = mix32(h ^ b);
  return mix32(h ^ c);
}

/** splitmix32 stream. */
class Rng {
  private s: number;
  private spare = NaN;
  constructor(seed: number) { this.s = seed | 0; }
  next(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = Math.imul(this.s ^ (this.s >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  logRange(lo: number, hi: number): number { return lo * Math.pow(hi / lo, this.next()); }
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const t = TWO_PI * this.next();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }
  poisson(lambda: number): number {
    if (lambda >= 8) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) { k++; p *= this.next(); }
    return k;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

function validate(cfg: GeneratorConfig): void {
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!Number.isFinite(cfg.seed)) throw new RangeError(`seed must be a finite number, got ${cfg.seed}`);
  if (!int(cfg.clusters, 1, 1000)) throw new RangeError(`clusters must be an integer in 1..1000, got ${cfg.clusters}`);
  if (!int(cfg.workloads, 3, 10000)) throw new RangeError(`workloads must be an integer in 3..10000, got ${cfg.workloads}`);
  if (!int(cfg.days, 1, 3660)) throw new RangeError(`days must be an integer in 1..3660, got ${cfg.days}`);
  if (!Number.isSafeInteger(cfg.endMs) || cfg.endMs % DAY_MS !== 0) {
    throw new RangeError(`endMs must be an integer multiple of 24 h, got ${cfg.endMs}`);
  }
}

let cached: { key: string; topo: Topology } | undefined;

function topology(cfg: GeneratorConfig): Topology {
  validate(cfg);
  const key = `${cfg.seed}|${cfg.clusters}|${cfg.workloads}`;
  if (cached?.key !== key) cached = { key, topo: buildTopology(cfg) };
  return cached.topo;
}

const sortedIndex = (xs: string[]) => {
  const sorted = [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { sorted, index: new Map(sorted.map((n, i) => [n, i])) };
};

function buildTopology(cfg: GeneratorConfig): Topology {
  const rng = new Rng(hash(cfg.seed, 0x7090, cfg.clusters, cfg.workloads));
  const clusterNames = Array.from({ length: cfg.clusters }, (_, i) => CLUSTER_POOL[i] ?? `cluster-${i + 1}`);
  const clusters = sortedIndex(clusterNames);

  const pool = rng.shuffle([...WORKLOAD_POOL]);
  const picked: [string, string][] = [['coredns', 'coredns']];
  for (let i = 0; picked.length < cfg.workloads; i++) {
    const [name, proc] = pool[i % pool.length]!;
    const round = Math.floor(i / pool.length);
    picked.push([round ? `${name}-${round + 1}` : name, proc]);
  }
  picked.sort((a, b) => (a[0] < b[0] ? -1 : 1));

  // Quotas rather than independent draws keep the series count stable across seeds.
  const others = rng.shuffle(picked.map((_, i) => i).filter((i) => picked[i]![0] !== 'coredns'));
  const procCount = new Map<number, number>();
  const twoClusters = new Set<number>();
  const q3 = Math.round(others.length * 0.04);
  const q2 = Math.round(others.length * 0.1);
  others.forEach((w, k) => procCount.set(w, k < q3 ? 3 : k < q3 + q2 ? 2 : 1));
  if (cfg.clusters > 1) {
    rng.shuffle(others).slice(0, Math.round(others.length * 0.1)).forEach((w) => twoClusters.add(w));
  }
  const destDeck = rng.shuffle(Array.from({ length: others.length + 2 * q3 + q2 }, (_, i) => {
    const f = i / (others.length + 2 * q3 + q2);
    return f < 0.05 ? 4 : f < 0.2 ? 3 : 2;
  }));

  interface Group {
    workload: string; process: string; clusters: string[]; dests: string[];
    weights: number[]; pktSizes: number[]; udpPktSizes: number[]; scales: number[]; key: KeyParams;
  }
  const groups: Group[] = [];
  for (let w = 0; w < picked.length; w++) {
    const [workload, primary] = picked[w]!;
    const dns = workload === 'coredns';
    const procs = [primary, ...SIDECARS.filter((p) => p !== primary)].slice(0, procCount.get(w) ?? 1);
    const wClusters = dns
      ? clusterNames
      : rng.shuffle([...clusterNames]).slice(0, twoClusters.has(w) ? 2 : 1);
    const amp = rng.range(0.1, 0.4);
    const phase = rng.range(0, TWO_PI);
    const scales = wClusters.map((_, i) => (i === 0 ? 1 : rng.range(0.85, 1)));
    for (const process of procs) {
      const fixed = PROCESS_DESTS[process];
      const nDests = fixed ? 2 : destDeck.pop() ?? 2;
      const dests = rng.shuffle([...(fixed ?? DEST_POOL)]).slice(0, nDests);
      const weights = dests.map(() => (nDests > 1 ? rng.logRange(0.5, 1.5) : 1));
      const pktSizes = dests.map(() => rng.range(500, 1400));
      const udpPktSizes = dests.map(() => rng.range(80, 220));
      const udp = process === 'coredns' ? rng.logRange(400, 1500) : process === 'telegraf' ? rng.logRange(20, 120) : 0;
      groups.push({
        workload, process, clusters: wClusters, dests, weights, pktSizes, udpPktSizes, scales,
        key: {
          level: dns ? rng.logRange(3e3, 2e4) : rng.logRange(3e4, 3e6),
          sockRate: dns ? rng.logRange(0.2, 1) : rng.logRange(0.5, 12),
          udpRate: udp,
          amp: process === primary ? amp : amp * rng.range(0.6, 1),
          phase,
          noise: rng.range(0.2, 0.35),
        },
      });
    }
  }

  const pickOne = <T>(xs: T[]) => xs[rng.int(xs.length)]!;
  const nonDns = groups.filter((g) => g.process !== 'coredns');
  const plain = nonDns.filter((g) => g.process !== 'telegraf' && !SIDECARS.includes(g.process));
  const ordinary = plain.length >= 2 ? plain : nonDns;
  const exfil = pickOne(ordinary);
  const otherWorkloads = ordinary.filter((g) => g.workload !== exfil.workload);
  // A single-cluster key has no cross-cluster spread in its baseline, so its own noise rarely adds anomalies.
  const single = otherWorkloads.filter((g) => g.clusters.length === 1);
  const burst = pickOne(single.length ? single : otherWorkloads.length ? otherWorkloads : nonDns.filter((g) => g !== exfil));
  const dnsGroup = groups.find((g) => g.process === 'coredns')!;
  const newHost = pickOne(ordinary);
  groups.push({
    workload: newHost.workload, process: NEW_PROCESS, clusters: [pickOne(newHost.clusters)],
    dests: [NEW_PROCESS_DEST], weights: [1], pktSizes: [1200], udpPktSizes: [0], scales: [1],
    key: { level: 4e6, sockRate: 0.5, udpRate: 0, amp: 0, phase: 0, noise: 0.2 },
  });

  const workloads = sortedIndex(picked.map((p) => p[0]));
  const processes = sortedIndex(groups.map((g) => g.process));
  const dests = sortedIndex(groups.flatMap((g) => g.dests));
  const newGroup = groups[groups.length - 1]!;
  const targetSpec: [Scenario, Group, string][] = [
    [EXFIL, exfil, pickOne(exfil.clusters)],
    [DNS_TUNNEL, dnsGroup, pickOne(dnsGroup.clusters)],
    [NEW_PROC, newGroup, newGroup.clusters[0]!],
    [SHORT_BURST, burst, pickOne(burst.clusters)],
  ];
  const targets = targetSpec.map(([scenario, g, c]) => ({
    scenario,
    cluster: clusters.index.get(c)!,
    workload: workloads.index.get(g.workload)!,
    process: processes.index.get(g.process)!,
  }));

  const series: Series[] = [];
  for (const g of groups) {
    const workload = workloads.index.get(g.workload)!;
    const process = processes.index.get(g.process)!;
    g.clusters.forEach((c, ci) => {
      const cluster = clusters.index.get(c)!;
      const scenario = targets.find((t) => t.cluster === cluster && t.workload === workload && t.process === process)?.scenario;
      const scale = g.scales[ci]!;
      g.dests.forEach((d, di) => {
        const weight = g.weights[di]!;
        series.push({
          ...g.key,
          cluster, workload, process, dest: dests.index.get(d)!, scenario,
          level: g.key.level * scale * weight,
          sockRate: g.key.sockRate * scale * Math.sqrt(weight),
          udpRate: g.key.udpRate * scale * weight,
          pktSize: g.pktSizes[di]!,
          udpPktSize: g.udpPktSizes[di]!,
          offsetMs: rng.int(STEP_MS),
          gapChance: rng.next() < 0.3 ? rng.range(0.2, 0.8) : 0,
        });
      });
    });
  }
  series.sort((a, b) => a.workload - b.workload || a.process - b.process || a.cluster - b.cluster || a.dest - b.dest);
  return {
    names: { clusters: clusters.sorted, workloads: workloads.sorted, processes: processes.sorted, dests: dests.sorted },
    series,
    targets,
  };
}

export function generatorNames(cfg: GeneratorConfig): GeneratedNames {
  const { names } = topology(cfg);
  return {
    clusters: [...names.clusters], workloads: [...names.workloads],
    processes: [...names.processes], dests: [...names.dests],
  };
}

export function seriesCount(cfg: GeneratorConfig): number {
  return topology(cfg).series.length;
}

/** Marks in `mask` the intervals of the day on which series `s` reports; returns their count. */
function planRows(cfg: GeneratorConfig, s: Series, si: number, dayIndex: number, mask: Uint8Array): number {
  const last = dayIndex === cfg.days - 1;
  if (s.scenario === NEW_PROC) {
    mask.fill(0);
    if (!last) return 0;
    const from = ROWS_PER_DAY - NEW_PROC.window[0] / STEP_MS;
    mask.fill(1, from);
    return ROWS_PER_DAY - from;
  }
  mask.fill(1);
  const rng = new Rng(hash(cfg.seed, dayIndex, si, 0x6a95));
  if (rng.next() >= s.gapChance) return ROWS_PER_DAY;
  // Keep the final hour of scenario series intact so the labelled behaviour is always present.
  const end = last && s.scenario ? ROWS_PER_DAY - 3_600_000 / STEP_MS : ROWS_PER_DAY;
  let count = ROWS_PER_DAY;
  for (let g = 1 + rng.int(3); g > 0; g--) {
    const len = 6 + rng.int(31);
    const start = rng.int(end - len);
    for (let i = start; i < start + len; i++) {
      count -= mask[i]!;
      mask[i] = 0;
    }
  }
  return count;
}

export function generateDay(cfg: GeneratorConfig, dayIndex: number): DayRows {
  const topo = topology(cfg);
  if (!Number.isInteger(dayIndex) || dayIndex < 0 || dayIndex >= cfg.days) {
    throw new RangeError(`dayIndex must be an integer in 0..${cfg.days - 1}, got ${dayIndex}`);
  }
  const dayStart = cfg.endMs - (cfg.days - dayIndex) * DAY_MS;
  const last = dayIndex === cfg.days - 1;
  const mask = new Uint8Array(ROWS_PER_DAY);
  let length = 0;
  topo.series.forEach((s, si) => { length += planRows(cfg, s, si, dayIndex, mask); });

  const timestamp = new Float64Array(length);
  const cluster = new Uint16Array(length);
  const workload = new Uint16Array(length);
  const process = new Uint16Array(length);
  const dest = new Uint16Array(length);
  const metrics = METRIC_NAMES.map(() => new Float64Array(length));
  const [tcpBytes, tcpSockets, tcpPackets, udpBytes, udpPackets] = metrics as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

  let row = 0;
  for (let si = 0; si < topo.series.length; si++) {
    const s = topo.series[si]!;
    const n = planRows(cfg, s, si, dayIndex, mask);
    if (n === 0) continue;
    cluster.fill(s.cluster, row, row + n);
    workload.fill(s.workload, row, row + n);
    process.fill(s.process, row, row + n);
    dest.fill(s.dest, row, row + n);

    const rng = new Rng(hash(cfg.seed, dayIndex, si, 0x3d1a));
    const jLo = -Math.min(s.offsetMs, MAX_JITTER_MS);
    const jSpan = Math.min(STEP_MS - 1 - s.offsetMs, MAX_JITTER_MS) - jLo + 1;
    const halfVar = (s.noise * s.noise) / 2;
    const udp = s.udpRate > 0;
    const sc = last ? s.scenario : undefined;
    const winFrom = sc ? cfg.endMs - sc.window[0] : Infinity;
    const winTo = sc ? cfg.endMs - sc.window[1] : -Infinity;

    for (let i = 0; i < ROWS_PER_DAY; i++) {
      if (mask[i] === 0) continue;
      const ts = dayStart + i * STEP_MS + s.offsetMs + jLo + Math.floor(rng.next() * jSpan);
      const diurnal = 1 + s.amp * Math.sin((TWO_PI * (ts - dayStart)) / DAY_MS + s.phase);
      let activity = Math.exp(s.noise * rng.normal() - halfVar);
      if (rng.next() < SPIKE_RATE) activity *= 1.5 + Math.pow(1 - rng.next(), -1 / 3);
      const packets = Math.round((s.level * diurnal * activity) / s.pktSize);
      let bytes = Math.round(packets * s.pktSize * (0.85 + 0.3 * rng.next()));
      let pkts = packets;
      let sockets = rng.poisson(s.sockRate * diurnal * (0.5 + 0.5 * activity));
      let uPkts = NaN;
      let uBytes = NaN;
      if (udp) {
        uPkts = Math.round(s.udpRate * diurnal * Math.exp(s.noise * rng.normal() - halfVar));
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
      timestamp[row] = ts;
      tcpBytes[row] = bytes;
      tcpSockets[row] = sockets;
      tcpPackets[row] = pkts;
      udpBytes[row] = uBytes;
      udpPackets[row] = uPkts;
      row++;
    }
  }
  return { length, timestamp, cluster, workload, process, dest, metrics };
}

export function scenarioLabels(cfg: GeneratorConfig): ScenarioLabel[] {
  const { names, targets } = topology(cfg);
  const iso = (msBeforeEnd: number) => new Date(cfg.endMs - msBeforeEnd).toISOString();
  return targets.map(({ scenario: sc, cluster, workload, process }) => ({
    scenario: sc.name,
    cluster: names.clusters[cluster]!,
    workload: names.workloads[workload]!,
    process: names.processes[process]!,
    from: iso(sc.window[0]),
    to: iso(sc.window[1]),
    expectedFinding: sc.expectedFinding,
    description: sc.description,
  }));
}
