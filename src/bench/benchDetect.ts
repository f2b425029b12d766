/**
 * `egress-anomaly bench`: runs the library detect() in this process on the given worker counts, so
 * users can pick --workers for their own archive. A fresh pool per worker count; the runs of one
 * setting share that pool, so the first run pays for thread start and cold wasm heaps (reported
 * apart as `firstMs`) and the later runs show the warm rate.
 */
import { availableParallelism } from 'node:os';
import { defaultDetectionTime } from '../plan/scanWindow.js';
import { detect, latestTimestamp } from '../pipeline/detect.js';
import { inspectAll } from '../pipeline/inspectAll.js';
import type { InspectOptions } from '../plan/inspectFile.js';
import { createPool } from '../pool/createPool.js';
import { DEFAULT_PARAMS, type RuleParams } from '../rule/rule.js';
import { median } from './stats.js';
import { sampleOwnRss, SAMPLE_MS } from './rss.js';

export interface BenchOptions {
  data: string;
  /** worker counts to try, in this order */
  workers: number[];
  runs: number;
  /** detection time; default: SPEC's default T, resolved once before timing */
  atMs?: number;
  params?: RuleParams;
  /** --timestamp-unit and the like */
  inspect?: InspectOptions;
  onRun?: (workers: number, run: number, ms: number) => void;
}

export interface BenchSetting {
  workers: number;
  /** wall time of each run of detect(), ms */
  runsMs: number[];
  medianMs: number;
  /** the first run: includes thread start-up and cold wasm heaps */
  firstMs: number;
  /** rows detect() actually read (pruned row groups left out) divided by the median time */
  rowsPerSecond: number;
  /** peak RSS of this process while this setting ran (pool start to last run), sampled */
  peakRssBytes: number;
  findings: number;
  /** rows in the row groups detect() decoded, in every run of this setting */
  rowsRead: number;
}

export interface BenchReport {
  data: string;
  files: number;
  /** rows in the data: every row group of every file, read or pruned */
  rows: number;
  /** rows detect() read at T (the same for every setting); rows/s divides this */
  rowsRead: number;
  rowGroups: number;
  rowGroupsPruned: number;
  bytes: number;
  atMs: number;
  at: string;
  runs: number;
  rssSampleMs: number;
  settings: BenchSetting[];
  fastest: BenchSetting;
  /** process.resourceUsage().maxRSS at the end: the lifetime peak, all settings together */
  lifetimeMaxRssBytes: number;
}

/** 1, 2, 4, ... up to the core count, and the core count itself. */
export function defaultWorkerCounts(cores = availableParallelism()): number[] {
  const out: number[] = [];
  for (let w = 1; w < cores; w *= 2) out.push(w);
  out.push(cores);
  return out;
}

export async function benchDetect(o: BenchOptions): Promise<BenchReport> {
  const params = o.params ?? DEFAULT_PARAMS;
  const files = await inspectAll(o.data, params.metricPatterns, o.inspect);
  if (files.length === 0) throw new Error(`bench: no *.parquet under ${o.data}`);
  const rows = files.reduce((s, f) => s + f.rowGroups.reduce((t, g) => t + g.rows, 0), 0);
  const bytes = files.reduce((s, f) => s + f.size, 0);
  let atMs = o.atMs;
  if (atMs === undefined) {
    // on a pool of its own, so that no setting starts with warm workers
    const pool = createPool('scan', Math.max(...o.workers));
    try {
      atMs = defaultDetectionTime(await latestTimestamp({ files, params, pool }), params.spanMs);
    } finally {
      await pool.destroy();
    }
  }
  const settings: BenchSetting[] = [];
  let reference: string | undefined;
  let rowsReadAll: number | undefined;
  let pruned = { total: 0, pruned: 0 };
  for (const workers of o.workers) {
    const rss = sampleOwnRss();
    const pool = createPool('scan', workers);
    try {
      const runsMs: number[] = [];
      let findings = 0;
      let rowsRead = 0;
      for (let r = 0; r < o.runs; r++) {
        const t0 = performance.now();
        const res = await detect({ files, params, atMs, pool });
        const ms = performance.now() - t0;
        runsMs.push(ms);
        o.onRun?.(workers, r, ms);
        const digest = JSON.stringify(res.findings);
        if (reference === undefined) reference = digest;
        else if (digest !== reference) {
          throw new Error(`bench: findings with --workers ${workers} differ from the first run's (${o.workers[0]} workers): a bug, please report it`);
        }
        findings = res.findings.length;
        rowsRead = res.state.stats.rowsRead;
        if (rowsReadAll === undefined) rowsReadAll = rowsRead;
        else if (rowsRead !== rowsReadAll) throw new Error(`bench: --workers ${workers} read ${rowsRead} rows, the first run ${rowsReadAll}: a bug, please report it`);
        pruned = { total: res.plan.rowGroupsTotal, pruned: res.plan.rowGroupsPruned };
      }
      const medianMs = median(runsMs);
      settings.push({
        workers, runsMs, medianMs, firstMs: runsMs[0], rowsPerSecond: rowsRead / (medianMs / 1000),
        peakRssBytes: rss.peak(), findings, rowsRead,
      });
    } finally {
      rss.stop();
      await pool.destroy();
    }
  }
  const fastest = settings.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
  return {
    data: o.data, files: files.length, rows, rowsRead: rowsReadAll ?? 0, rowGroups: pruned.total, rowGroupsPruned: pruned.pruned, bytes, atMs: atMs!, at: new Date(atMs!).toISOString(), runs: o.runs,
    rssSampleMs: SAMPLE_MS, settings, fastest, lifetimeMaxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
