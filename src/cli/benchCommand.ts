import { benchDetect, defaultWorkerCounts, type BenchReport } from '../bench/benchDetect.js';
import { formatBytes, formatRate, formatSeconds, textTable } from '../bench/stats.js';
import { UsageError, parseCount, parseList, parseTime } from './parseOptions.js';
import { log } from './progress.js';
import { inspectOptionsOf } from './ruleOptions.js';

export interface BenchArgs {
  data: string;
  workers?: string;
  runs: string;
  at?: string;
  format: string;
  quiet: boolean;
  'timestamp-unit'?: string;
}

function workerListOf(raw: string | undefined): number[] {
  if (raw === undefined) return defaultWorkerCounts();
  const list = parseList('workers', raw).map((v) => parseCount('workers', v, 1, 1024));
  if (new Set(list).size !== list.length) throw new UsageError(`--workers: a worker count is listed twice in "${raw}"`);
  return list;
}

function renderBenchReport(r: BenchReport): string {
  const rows = r.settings.map((s) => [
    String(s.workers), formatSeconds(s.medianMs), formatSeconds(s.firstMs), formatRate(s.rowsPerSecond),
    formatBytes(s.peakRssBytes), s === r.fastest ? '<- fastest' : '',
  ]);
  return [
    `bench: ${r.rows} rows in the data, ${r.files} file${r.files === 1 ? '' : 's'} (${formatBytes(r.bytes)}) under ${r.data}; ` +
      `T=${r.at}; ${r.runs} run${r.runs === 1 ? '' : 's'} per setting; default rule parameters`,
    `rows read at T: ${r.rowsRead} (${r.rowGroups - r.rowGroupsPruned} of ${r.rowGroups} row groups; ${r.rowGroupsPruned} pruned, not read)`,
    '',
    textTable(['workers', 'median s', 'first s', 'rows/s (median)', 'peak RSS', ''], rows),
    '',
    `fastest: --workers ${r.fastest.workers} (${formatRate(r.fastest.rowsPerSecond)}, ${formatSeconds(r.fastest.medianMs)} s)`,
    `rows/s: rows read at T (not the pruned ones) / median wall time of detect() (planning, scan, merge, rule); ` +
      `first s: the first run on a fresh pool (thread start, cold wasm heaps), included in the median.`,
    `peak RSS: this process's RSS sampled every ${r.rssSampleMs} ms while that setting ran (pool start to last run; ` +
      `it includes what earlier settings left behind); lifetime peak (getrusage maxRSS) ${formatBytes(r.lifetimeMaxRssBytes)}.`,
    '',
  ].join('\n');
}

export async function benchCommand(a: BenchArgs): Promise<void> {
  const workers = workerListOf(a.workers);
  const runs = parseCount('runs', a.runs, 1, 1000);
  const atMs = a.at === undefined ? undefined : parseTime('at', a.at);
  const report = await benchDetect({
    data: a.data, workers, runs, atMs, inspect: inspectOptionsOf(a),
    onRun: (w, r, ms) => log(a.quiet, `bench: --workers ${w} run ${r + 1}/${runs}: ${formatSeconds(ms)} s`),
  });
  const text = a.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderBenchReport(report);
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}
