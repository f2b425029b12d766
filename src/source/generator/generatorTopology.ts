import { destProcessOf } from './destProcesses.js';
import type { GeneratedNames, GeneratorConfig, ScenarioLabel } from './generatorTypes.js';
import { Rng, TWO_PI, hash } from './rng.js';

export { TWO_PI };

export const DAY_MS = 86_400_000;
export const STEP_MS = 10_000;
export const ROWS_PER_DAY = DAY_MS / STEP_MS;
export const MINUTE_MS = 60_000;
export const MAX_JITTER_MS = 250;
export const NULL_RATE = 0.001;
export const SPIKE_RATE = 0.0005;
/** The most workloads one opt-in scenario (busy hours, ...) adds; each has a range of 4 * this series streams. */
export const MAX_ADDED = 1000;

export const CLUSTER_POOL = [
  'prod-us-east-1', 'prod-eu-west-1', 'staging-1', 'prod-ap-southeast-1',
  'prod-us-west-2', 'dev-1', 'staging-2', 'prod-eu-central-1',
];

export const WORKLOAD_POOL: [workload: string, process: string][] = [
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
export const SIDECARS = ['envoy', 'fluent-bit'];

export const DEST_POOL = [
  'postgres', 'redis', 's3.amazonaws.com', 'kube-dns', 'kafka', 'elasticsearch', 'memcached',
  'mongodb', 'rabbitmq', 'api.stripe.com', 'sqs.us-east-1.amazonaws.com', 'auth-service',
  'inventory-service', 'user-service', 'smtp.sendgrid.net',
];
export const PROCESS_DESTS: Record<string, string[]> = {
  coredns: ['upstream-dns', 'vpc-resolver'],
  'fluent-bit': ['loki', 'elasticsearch', 'otel-collector'],
  telegraf: ['influxdb', 'otel-collector', 'prometheus'],
};

export const NEW_PROCESS = 'xmrig';
export const NEW_PROCESS_DEST = 'pool.supportxmr.com';

export interface Scenario {
  name: ScenarioLabel['scenario'];
  /** the rule its label is about; absent: the outbound rule */
  rule?: string;
  /** [start, end) of the injected behaviour, in ms before endMs */
  window: readonly [number, number];
  /** the series exists only in the window of the last day */
  fresh?: boolean;
  /** the series reports udp.* only, tcp.* null */
  udpOnly?: boolean;
  expectedFinding: boolean;
  description: string;
}

export const EXFIL: Scenario = {
  name: 'exfiltration-burst', window: [50 * MINUTE_MS, 35 * MINUTE_MS], expectedFinding: true,
  description: 'tcp.bytes about 35x and tcp.packets about 30x the baseline to every destination for 15 minutes',
};
export const DNS_TUNNEL: Scenario = {
  name: 'dns-tunnel', window: [30 * MINUTE_MS, 10 * MINUTE_MS], expectedFinding: true,
  description: 'udp.bytes about 30x and udp.packets about 12x the baseline (DNS tunnelling) for 20 minutes',
};
export const NEW_PROC: Scenario = {
  name: 'new-process', window: [45 * MINUTE_MS, 0], fresh: true, expectedFinding: false,
  description: `a process never seen before sends heavy traffic to ${NEW_PROCESS_DEST}; ` +
    'with no baseline the rule cannot report it (a known blind spot)',
};
export const SHORT_BURST: Scenario = {
  name: 'short-burst', window: [20 * MINUTE_MS, 20 * MINUTE_MS - 2 * STEP_MS], expectedFinding: false,
  description: 'a tcp.new_sockets spike lasting two 10 s buckets: too few anomalous pairs to pass the count threshold',
};

export interface KeyParams { level: number; sockRate: number; udpRate: number; amp: number; phase: number; noise: number }

export interface Series extends KeyParams {
  cluster: number; workload: number; process: number; dest: number;
  scenario: Scenario | undefined;
  /** udpRate is the mean udp.packets per interval, 0 for tcp-only processes */
  pktSize: number; udpPktSize: number;
  offsetMs: number; gapChance: number;
  /** which random stream the series draws from: stable when scenarios add series around it */
  stream: number;
  /** tcp.bytes and tcp.packets times `factor` in the scenario's window (a destination-side burst) */
  burst?: { scenario: Scenario; factor: number };
  /**
   * a batch in the clock hour of the range's final hour (busyHour.ts); `stream`: the key's, for
   * its batch sizes; `period`: days between batches, counted back from the last day (absent: 1)
   */
  busy?: { stream: number; period?: number };
  /** a slow drip over the range's final hours (slowDrip.ts): `sigmas` of the key's sd, with spikes every day */
  drip?: { stream: number; sigmas: number };
}

export interface Target { scenario: Scenario; cluster: number; workload: number; process: number }

/** A destination-side scenario's target, by name: its key need not be a source workload and process. */
export interface DestTarget {
  scenario: Scenario;
  cluster: string;
  workload: string;
  process: string;
  dest: string;
  destProcess: string;
  /** what was injected, for the label */
  description: string;
}

export interface Topology {
  names: GeneratedNames;
  series: Series[];
  targets: Target[];
  destTargets: DestTarget[];
  /** index into names.destProcesses by index into names.dests */
  destProcessOfDest: number[];
  /** the keys of the opt-in scenarios (addedWorkloads.ts), by name, in the order added; absent without them */
  addedTargets?: { scenario: Scenario; cluster: string; workload: string; process: string }[];
}

export function validate(cfg: GeneratorConfig): void {
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!Number.isFinite(cfg.seed)) throw new RangeError(`seed must be a finite number, got ${cfg.seed}`);
  if (!int(cfg.clusters, 1, 1000)) throw new RangeError(`clusters must be an integer in 1..1000, got ${cfg.clusters}`);
  if (!int(cfg.workloads, 3, 10000)) throw new RangeError(`workloads must be an integer in 3..10000, got ${cfg.workloads}`);
  if (!int(cfg.days, 1, 3660)) throw new RangeError(`days must be an integer in 1..3660, got ${cfg.days}`);
  if (!Number.isSafeInteger(cfg.endMs) || cfg.endMs % DAY_MS !== 0) {
    throw new RangeError(`endMs must be an integer multiple of 24 h, got ${cfg.endMs}`);
  }
  for (const k of ['busyHours', 'weeklyBatches', 'slowDrips'] as const) {
    const v = cfg[k];
    if (v !== undefined && !int(v, 0, MAX_ADDED)) throw new RangeError(`${k} must be an integer in 0..${MAX_ADDED}, got ${v}`);
  }
  const iv = cfg.intervalMs ?? STEP_MS;
  if (!Number.isInteger(iv) || iv < STEP_MS || iv % STEP_MS !== 0 || DAY_MS % iv !== 0) {
    throw new RangeError(`intervalMs must be a multiple of 10 s that divides a day, got ${iv}`);
  }
}

const sortedIndex = (xs: string[]) => {
  const sorted = [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { sorted, index: new Map(sorted.map((n, i) => [n, i])) };
};

/** The fleet with its source-side scenarios; fleet.ts adds the destination side. */
export function buildTopology(cfg: GeneratorConfig): Topology {
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
          stream: 0,
        });
      });
    });
  }
  sortSeries(series);
  series.forEach((s, i) => { s.stream = i; });
  const poolProcess = new Map(WORKLOAD_POOL);
  const destProcesses = sortedIndex(dests.sorted.map((d) => destProcessOf(d, poolProcess)));
  return {
    names: {
      clusters: clusters.sorted, workloads: workloads.sorted, processes: processes.sorted, dests: dests.sorted,
      destProcesses: destProcesses.sorted,
    },
    series,
    targets,
    destTargets: [],
    destProcessOfDest: dests.sorted.map((d) => destProcesses.index.get(destProcessOf(d, poolProcess))!),
  };
}

/** File order: workload, process, cluster, dest (each series one dest process, so that order too). */
export function sortSeries(series: Series[]): void {
  series.sort((a, b) => a.workload - b.workload || a.process - b.process || a.cluster - b.cluster || a.dest - b.dest);
}
