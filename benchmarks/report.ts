/** RESULTS.md and scaling.svg from a harness run. */
import { basename, dirname, join } from 'node:path';
import { formatBytes, formatRatio, formatRate, formatSeconds } from '../src/bench/stats.js';
import type { BenchResults, Engine, Layout, Measurement } from './bench.js';
import { COLORS, DASHES, ENGINE_NAMES, LAYOUT_NAMES, esc, table } from './reportNames.js';
import { anchorSection, correctnessSection } from './reportSections.js';

/** benchmarks/RESULTS.md -> benchmarks/scaling.svg; RESULTS-quick.md -> scaling-quick.svg; x.md -> x-scaling.svg */
export function scalingSvgPathFor(out: string): string {
  const stem = basename(out).replace(/\.md$/i, '');
  const name = /^RESULTS/.test(stem) ? stem.replace(/^RESULTS/, 'scaling') : `${stem}-scaling`;
  return join(dirname(out), `${name}.svg`);
}

function find(r: BenchResults, layout: Layout, workers: number, engine: Engine): Measurement | undefined {
  return r.measurements.find((m) => m.layout === layout && m.workers === workers && m.engine === engine);
}

function engines(r: BenchResults): Engine[] {
  return (Object.keys(ENGINE_NAMES) as Engine[]).filter((e) => r.measurements.some((m) => m.engine === e));
}

function resultsTable(r: BenchResults): string {
  const rows: string[][] = [];
  for (const layout of r.options.layouts) {
    for (const w of r.options.workers) {
      for (const e of engines(r)) {
        const m = find(r, layout, w, e);
        if (!m) continue;
        rows.push([LAYOUT_NAMES[layout], String(w), e === 'ours' ? `**${ENGINE_NAMES[e]}**` : ENGINE_NAMES[e], formatSeconds(m.medianMs),
          m.runsMs.map((x) => formatSeconds(x)).join(', '), formatRate(m.rowsPerSecond), formatBytes(m.peakRssBytes)]);
      }
    }
  }
  return table(['layout', 'threads', 'engine', 'median s', 'runs (s)', 'rows/s', 'peak RSS'], rows, ['---', '---:', '---', '---:', '---', '---:', '---:']);
}

function ratioTable(r: BenchResults): string {
  const rows: string[][] = [];
  const has = (e: Engine) => engines(r).includes(e);
  for (const layout of r.options.layouts) {
    for (const w of r.options.workers) {
      const ours = find(r, layout, w, 'ours');
      if (!ours) continue;
      const ratio = (e: Engine) => formatRatio(ours.medianMs, find(r, layout, w, e)?.medianMs ?? NaN);
      const rss = (e: Engine) => formatRatio(ours.peakRssBytes, find(r, layout, w, e)?.peakRssBytes ?? NaN);
      rows.push([LAYOUT_NAMES[layout], String(w), ratio('duckdb'), has('polars') ? ratio('polars') : 'skipped', ratio('floor'),
        rss('duckdb'), has('polars') ? rss('polars') : 'skipped']);
    }
  }
  return table(['layout', 'threads', 'time ours/DuckDB plain', 'time ours/Polars', 'time ours/floor', 'RSS ours/DuckDB plain', 'RSS ours/Polars'], rows);
}

function scalingTable(r: BenchResults): string {
  const rows: string[][] = [];
  for (const layout of r.options.layouts) {
    for (const e of engines(r)) {
      rows.push([LAYOUT_NAMES[layout], ENGINE_NAMES[e], ...r.options.workers.map((w) => {
        const m = find(r, layout, w, e);
        return m ? formatSeconds(m.medianMs) : '-';
      })]);
    }
  }
  return table(['layout', 'engine', ...r.options.workers.map((w) => `${w} thr. (s)`)], rows, ['---', '---', ...r.options.workers.map(() => '---:')]);
}

function layoutTable(r: BenchResults): string {
  const d = r.dataset;
  const rows = r.options.layouts.map((l) => {
    const i = r.layouts[l]!;
    const how = l === 'exporter' ? `\`${esc(d.exportCommand)}\``
      : l === 'duckdb' ? `DuckDB \`COPY\`, default settings, rows shuffled, \`PER_THREAD_OUTPUT\` (${d.spec.duckdbLayoutThreads} threads)`
        : `DuckDB \`COPY\`, zstd, \`ROW_GROUP_SIZE 100000\`, \`PARTITION_BY (day)\`, rows ordered by hour then a hash of the workload, shuffled within (${d.spec.duckdbLayoutThreads} threads)`;
    return [LAYOUT_NAMES[l], how, String(i.files), formatBytes(i.bytes), `${i.rowGroups} (${i.rowsPerRowGroup.min}-${i.rowsPerRowGroup.max} rows)`,
      esc(i.timestamp), esc(i.strings), esc(i.metrics), i.compression,
      `${i.plannedRowGroups} read, ${i.prunedRowGroups} pruned, ${i.wholeCellRowGroups} without timestamp/cluster` +
        (i.keyRunRowGroups ? `, ${i.keyRunRowGroups} of them metrics only (key runs)` : '')];
  });
  return table(['layout', 'written by', 'files', 'size', 'row groups', 'timestamp', 'strings', 'metrics', 'compression', 'egress-anomaly plan at T'], rows,
    ['---', '---', '---:', '---:', '---:', '---', '---', '---', '---', '---']);
}

function exportTable(r: BenchResults): string {
  const d = r.dataset;
  return table(['writer', 'rows/s', 'size', 'files', 'threads', 'seconds', 'what is timed'], [
    ['egress-anomaly export', formatRate(d.ourExport.rowsPerSecond), formatBytes(d.ourExport.bytes), String(d.ourExport.files), String(d.ourExport.threads),
      d.ourExport.seconds.toFixed(1), 'generate the rows, encode, write (the export summary line)'],
    ['DuckDB COPY (defaults)', formatRate(d.duckdbExport.rowsPerSecond), formatBytes(d.duckdbExport.bytes), String(d.duckdbExport.files), String(d.duckdbExport.threads),
      d.duckdbExport.seconds.toFixed(1), `encode and write rows already in a DuckDB table: \`${esc(d.duckdbExport.sql.replace(/'[^']*'/, "'out.parquet'"))}\``],
    ['DuckDB layout write', formatRate(d.duckdbLayoutWrite.rowsPerSecond), formatBytes(d.duckdbLayoutWrite.bytes), String(d.duckdbLayoutWrite.files),
      String(d.duckdbLayoutWrite.threads), d.duckdbLayoutWrite.seconds.toFixed(1), `shuffle (ORDER BY hash) and write the ${LAYOUT_NAMES.duckdb} layout, for the record`],
    ['DuckDB day= layout write', formatRate(d.duckdbDayLayoutWrite.rowsPerSecond), formatBytes(d.duckdbDayLayoutWrite.bytes), String(d.duckdbDayLayoutWrite.files),
      String(d.duckdbDayLayoutWrite.threads), d.duckdbDayLayoutWrite.seconds.toFixed(1), `sort by hour and workload, write the ${LAYOUT_NAMES['duckdb-day']} layout, for the record`],
  ], ['---', '---:', '---:', '---:', '---:', '---:', '---']);
}

function profileSection(r: BenchResults): string {
  const out: string[] = [];
  for (const layout of r.options.layouts) {
    const p = r.profiles[layout];
    if (!p) continue;
    const w = p.workerThreads;
    const m = p.mainThread;
    out.push(`### ${LAYOUT_NAMES[layout]} layout, ${p.workers} workers`, '',
      `\`node --cpu-prof --cpu-prof-dir=${p.dir} dist/src/cli/main.js detect ...\` once: ${w.profiles} worker-thread profiles, ` +
      `${formatSeconds(w.busyMs)} s busy of ${formatSeconds(w.totalMs)} s sampled (the rest idle: waiting for a task in Piscina's Atomics.wait loop). ` +
      'Self time per function, all worker threads together (wasm functions are our codecs module\'s, zstddec\'s, or parquet-wasm\'s where a row group needs it):', '',
      table(['function (file:line)', 'self ms', 'share of busy'], w.top.map((f) => [`\`${esc(f.name)}\``, f.selfMs.toFixed(0), `${(f.share * 100).toFixed(1)} %`])),
      '', 'By where the code lives (worker threads):', '',
      table(['code', 'self ms', 'share of busy'], w.categories.slice(0, 10).map((f) => [esc(f.category), f.selfMs.toFixed(0), `${(f.share * 100).toFixed(1)} %`])),
      '', `Main thread: ${formatSeconds(m.busyMs)} s busy of ${formatSeconds(m.totalMs)} s; top: ` +
      m.top.slice(0, 5).map((f) => `\`${esc(f.name)}\` ${f.selfMs.toFixed(0)} ms`).join(', ') + '.', '');
  }
  return out.join('\n');
}

export function renderMarkdown(r: BenchResults, svgRel: string, o: { summaryOnly?: boolean } = {}): string {
  const d = r.dataset;
  const mc = r.machine;
  const quick = r.options.quick;
  const banner = quick
    ? '> **Smoke run, not a benchmark.** Made with `--quick` (a small dataset) to check that the harness works; ' +
      'the numbers say nothing about performance. The real results are in RESULTS.md, from `npm run bench`.\n\n'
    : '';
  const summary = [
    `${quick ? 'Smoke run (--quick), not a benchmark: ' : ''}detect at T = ${new Date(r.atMs).toISOString()} over ${d.rows} rows, median of ${r.options.runs} run(s), ` +
      `at commit ${r.commit}; "DuckDB plain" is the rule as plain SQL (benchmarks/duckdbPlainRule.ts), the anchor of every ratio`, '',
    resultsTable(r), '', ratioTable(r), '',
  ].join('\n');
  if (o.summaryOnly) return summary;
  return [
    `# egress-anomaly detect vs DuckDB's plain query${quick ? ' (smoke run)' : ''}`, '',
    banner + `Measured ${r.startedAt} at commit ${r.commit}. Command:`, '',
    '```sh', r.command, '```', '',
    '## Machine', '',
    table(['cores (os.availableParallelism())', 'CPU', 'memory', 'Node.js', 'OS'],
      [[String(mc.cores), esc(mc.cpuModel), `${formatBytes(mc.memoryBytes)} (${formatBytes(mc.freeMemoryBytes)} free at start)`, mc.node, mc.os]],
      ['---:', '---', '---', '---', '---']), '',
    '## Data', '',
    `${d.rows} rows, ${d.series} series (${d.spec.clusters} clusters, ${d.workloads} workloads), ${d.spec.days} days ending ${d.spec.end}, ` +
      `made ${d.createdAt} and cached in \`${dirname(d.exporterDir)}/\`. Detection time T = ${new Date(r.atMs).toISOString()} ` +
      `(default rule parameters: 1 h window, 10 s span, 30 d baseline, sigma 3, min count 5). The same rows in ${r.options.layouts.length} layout${r.options.layouts.length === 1 ? '' : 's'}:`, '',
    layoutTable(r), '',
    ...(r.options.layouts.includes('duckdb') ? [`${LAYOUT_NAMES.duckdb} layout SQL: \`${esc(d.duckdbLayoutSql)}\``, ''] : []),
    ...(r.options.layouts.includes('duckdb-day') ? [`${LAYOUT_NAMES['duckdb-day']} layout SQL: \`${esc(d.duckdbDayLayoutSql)}\``, ''] : []),
    '## The DuckDB anchor', '',
    anchorSection(r),
    `## Results (median of ${r.options.runs} run${r.options.runs === 1 ? '' : 's'})`, '',
    'Each engine runs as its own process, one after the other, on the same files with the same thread count; wall time is ' +
      'spawn to exit (process start, module load, planning and output included), rows/s is the dataset\'s rows over the median, ' +
      'peak RSS is the largest over the runs of the process\'s VmHWM (polled every 20 ms from /proc; worker threads share the process).', '',
    resultsTable(r), '',
    'Ratios of medians, ours over the other (DuckDB: the plain query): below 1.00x egress-anomaly is faster (or smaller).', '',
    ratioTable(r), '',
    '## Scaling', '',
    `![median time against thread count](${svgRel})`, '',
    scalingTable(r), '',
    '## Export', '',
    exportTable(r), '',
    `Export rows measured ${r.exportMeasured}; the DuckDB layout writes when each layout was made. ` +
      'The rows do different work: our export also generates the data; DuckDB\'s COPY only encodes and writes rows it already ' +
      'holds in memory (loaded untimed from the exporter layout). Sizes are the files on disk.', '',
    '## Where the time goes', '',
    profileSection(r),
    '## Correctness', '',
    correctnessSection(r), '',
    '## How to read and rerun', '',
    '- Engines: `egress-anomaly detect --data DIR --at T --workers N --format ndjson --quiet`; DuckDB (`@duckdb/node-api`, ' +
      '`threads=N`) running the plain query of benchmarks/duckdbPlainRule.ts (the anchor) and, as an extra row, the exact variant ' +
      'of benchmarks/duckdbRule.ts; nodejs-polars 0.25.2 (`POLARS_MAX_THREADS=N`, only when installed by hand) running ' +
      'benchmarks/polarsRule.ts, a lazy scan; the decode-only floor (benchmarks/floor.ts): our planner and Piscina pool ' +
      'decoding every planned row group through the same decoders as the scan (benchmarks/decodeOnly.ts: the built-in one where every chunk allows it, else the slice and parquet-wasm), aggregating nothing.',
    `- \`npm run bench -- --workers 1,2,4,8,16 --runs 3\` for the scaling curve; \`--layouts ${r.options.layouts[0]}\` for one layout ` +
      `(${Object.keys(LAYOUT_NAMES).join(', ')}); \`--no-exact\` to leave the exact variant out; \`--no-polars\` to leave Polars out; ` +
      '`--quick` for a smoke run on a small dataset (written to RESULTS-quick.md).',
    '- On your own archive: `egress-anomaly bench --data PATH --workers 1,2,4` (in-process, ours only).', '',
  ].join('\n');
}

/** Median time against thread count: one line per (engine, layout); hand-rolled SVG. */
export function renderSvg(r: BenchResults): string {
  const W = 880;
  const H = 440;
  const m = { left: 64, right: 290, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xs = r.options.workers;
  const maxY = Math.max(...r.measurements.map((x) => x.medianMs / 1000), 0.001);
  const step = niceStep(maxY / 5);
  const top = Math.ceil((maxY * 1.05) / step) * step;
  const x = (i: number) => m.left + (xs.length === 1 ? pw / 2 : (i / (xs.length - 1)) * pw);
  const y = (s: number) => m.top + ph - (s / top) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.left}" y="22" font-size="14" font-weight="bold">detect: median wall time against threads${r.options.quick ? ' (smoke run, not a benchmark)' : ''}</text>`);
  for (let v = 0; v <= top + 1e-9; v += step) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmtTick(v)}</text>`);
  }
  xs.forEach((w, i) => parts.push(`<text x="${x(i).toFixed(1)}" y="${m.top + ph + 18}" text-anchor="middle">${w}</text>`));
  parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}" stroke="#333"/>`);
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}" stroke="#333"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle">threads (--workers / SET threads / POLARS_MAX_THREADS)</text>`);
  parts.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">seconds (median)</text>`);
  let legend = 0;
  for (const layout of r.options.layouts) {
    for (const e of engines(r)) {
      const pts = xs.map((w, i) => [i, find(r, layout, w, e)] as const).filter(([, mm]) => mm !== undefined);
      if (pts.length === 0) continue;
      const dash = DASHES[layout];
      const path = pts.map(([i, mm], k) => `${k ? 'L' : 'M'}${x(i).toFixed(1)} ${y(mm!.medianMs / 1000).toFixed(1)}`).join(' ');
      parts.push(`<path d="${path}" fill="none" stroke="${COLORS[e]}" stroke-width="2"${dash}/>`);
      for (const [i, mm] of pts) {
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(mm!.medianMs / 1000).toFixed(1)}" r="3.5" fill="${COLORS[e]}"><title>${ENGINE_NAMES[e]}, ${LAYOUT_NAMES[layout]} layout, ${xs[i]} threads: ${formatSeconds(mm!.medianMs)} s</title></circle>`);
      }
      const ly = m.top + 10 + legend * 20;
      parts.push(`<line x1="${W - m.right + 16}" x2="${W - m.right + 44}" y1="${ly}" y2="${ly}" stroke="${COLORS[e]}" stroke-width="2"${dash}/>`);
      parts.push(`<text x="${W - m.right + 50}" y="${ly + 4}">${ENGINE_NAMES[e]}, ${LAYOUT_NAMES[layout]}</text>`);
      legend++;
    }
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function fmtTick(v: number): string {
  return Number(v.toPrecision(6)).toString();
}
