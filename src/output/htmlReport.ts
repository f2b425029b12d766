import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Finding } from '../evaluate/finding.js';
import type { FindingSeries, MetricSeries } from '../evaluate/findingSeries.js';
import { writeAtomic } from '../io/writeAtomic.js';
import { formatZ } from '../rule/anomalyMessage.js';
import { ruleOf, type RuleParams } from '../rule/rule.js';
import type { RuleDefinition } from '../rule/ruleDefinition.js';
import { REPORT_CLIENT_JS } from './htmlReportClient.js';
import { escapeHtml as h, inlineSafe, jsonForScript } from './htmlReportEscape.js';
import { heatmapHtml } from './htmlReportHeatmap.js';
import { REPORT_CSS } from './htmlReportStyle.js';

/** Everything the report shows, as plain data: no engine state. */
export interface ReportInput {
  command: 'detect' | 'hunt';
  /** every T evaluated, epoch ms */
  detectionTimes: number[];
  params: Pick<RuleParams, 'rule' | 'sigma' | 'minCount' | 'windowMs' | 'spanMs' | 'baselineMs' | 'splunkParity'>;
  /** the rules evaluated, when more than params's rule (detect --rule A --rule B) */
  rules?: RuleDefinition[];
  /** every cluster in the data's recent windows, so clusters without findings are listed too */
  clusters: string[];
  findings: Finding[];
  series: FindingSeries[];
  /** charts beyond this many are left out (with a note) to keep the page light */
  maxCharts?: number;
}

export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
}

/** The chart a browser draws: times in seconds, as uPlot takes them. */
interface ChartData {
  id: string;
  metric: string;
  t: number[];
  v: (number | null)[];
  avg: number;
  thr: number;
  sigma: number;
  anom: number[];
  z: string[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));
const keyOf = (atMs: number, ruleId: string, host: string, key0: string, key1: string) => JSON.stringify([atMs, ruleId, host, key0, key1]);

function duration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function summaryHtml(input: ReportInput, seriesOf: Map<string, FindingSeries>): string {
  const clusters = [...new Set([...input.clusters, ...input.findings.map((f) => f.host)])].sort();
  const rows = clusters.map((c) => {
    const fs = input.findings.filter((f) => f.host === c);
    const keys = new Set(fs.map((f) => `${f.key[0]}:${f.key[1]}`));
    const times = new Set(fs.map((f) => f.detection_time));
    const metrics = new Set<string>();
    for (const f of fs) {
      const s = seriesOf.get(keyOf(Date.parse(f.detection_time), f.rule_id, f.host, f.key[0], f.key[1]));
      for (const m of s?.metrics ?? []) metrics.add(m.metric);
    }
    const pairs = fs.reduce((n, f) => n + f.count, 0);
    return `<tr${fs.length ? ' class="hot"' : ''}><td>${h(c)}</td><td class="n">${fs.length}</td><td class="n">${keys.size}</td>` +
      `<td class="n">${pairs}</td>${input.command === 'hunt' ? `<td class="n">${times.size}</td>` : ''}<td>${h([...metrics].sort().join(', '))}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>cluster (host)</th><th>findings</th><th>keys</th><th>anomalous (bucket, metric) pairs</th>` +
    `${input.command === 'hunt' ? '<th>detection times with findings</th>' : ''}<th>metrics with anomalies</th></tr></thead>` +
    `<tbody>${rows.join('') || '<tr><td colspan="6">no data in the recent window</td></tr>'}</tbody></table>`;
}

function metricCaption(m: MetricSeries, times: number[], spanMs: number): string {
  const thr = m.avg + m.sigma * m.stdev;
  const rows = m.anomalies.map((a) => `<tr><td>${h(iso(times[a.index]))}</td><td class="n">${h(String(m.values[a.index]))}</td><td class="n">${h(formatZ(a.z))}</td></tr>`);
  return `<p class="caption"><b>${h(m.metric)}</b>: baseline mean ${h(num(m.avg))}, stdev ${h(num(m.stdev))}, threshold mean + ${h(String(m.sigma))} &times; stdev = ${h(num(thr))}; ` +
    `${m.anomalies.length} anomalous ${duration(spanMs)} bucket${m.anomalies.length === 1 ? '' : 's'}, z up to ${h(formatZ(Math.max(...m.anomalies.map((a) => a.z))))}</p>` +
    `<details><summary>z of each anomalous bucket</summary><table class="z"><thead><tr><th>bucket start (UTC)</th><th>value</th><th>z</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function findingsHtml(input: ReportInput, seriesOf: Map<string, FindingSeries>, charts: ChartData[]): { html: string; skipped: number } {
  const max = input.maxCharts ?? 600;
  let skipped = 0;
  const sections = input.findings.map((f, i) => {
    const s = seriesOf.get(keyOf(Date.parse(f.detection_time), f.rule_id, f.host, f.key[0], f.key[1]));
    const parts: string[] = [];
    for (const m of s?.metrics ?? []) {
      if (charts.length >= max) {
        skipped++;
        continue;
      }
      const id = `f${i}-${m.metric}`;
      charts.push({
        id, metric: m.metric, t: s!.times.map((t) => t / 1000), v: m.values, avg: m.avg, thr: m.avg + m.sigma * m.stdev, sigma: m.sigma,
        anom: m.anomalies.map((a) => a.index), z: m.anomalies.map((a) => formatZ(a.z)),
      });
      parts.push(`<figure><div class="chart" data-chart="${charts.length - 1}" data-chart-id="${h(id)}" data-expect-points="${s!.times.length}"></div>` +
        `<figcaption>${metricCaption(m, s!.times, input.params.spanMs)}</figcaption></figure>`);
    }
    if (!s) parts.push('<p class="note">no chart: this finding has no series in the state the report was built from</p>');
    const messages = f.anomalies.map((a) => `<li>${h(a)}</li>`).join('');
    return `<section class="finding" id="finding-${i}"><h3>${h(f.host)} <span class="sep">/</span> ${h(f.key[0])} <span class="sep">/</span> ${h(f.key[1])}</h3>` +
      `<p class="meta">T = ${h(f.detection_time)} &middot; ${f.count} anomalous (bucket, metric) pairs &middot; rule ${h(f.rule_id)} &middot; risk ${f.risk_score} &middot; ${h(f.mitre_attack_id)}</p>` +
      `${parts.join('')}<details><summary>${f.anomalies.length} distinct anomaly message${f.anomalies.length === 1 ? '' : 's'}</summary><ul class="messages">${messages}</ul></details></section>`;
  });
  return { html: sections.join('\n'), skipped };
}

/** One self-contained page: uPlot and the data inline, a CSP that lets nothing load or run but them. */
export function renderHtmlReport(input: ReportInput, assets: ReportAssets): string {
  const seriesOf = new Map(input.series.map((s) => [keyOf(s.atMs, s.ruleId, s.host, s.workload, s.process), s]));
  const charts: ChartData[] = [];
  const { html: findings, skipped } = findingsHtml(input, seriesOf, charts);
  const times = input.detectionTimes;
  const p = input.params;
  const when = input.command === 'detect' || times.length === 1
    ? `detection at T = ${iso(times[0])}`
    : `hunt over ${times.length} detection times, ${iso(times[0])} to ${iso(times[times.length - 1])}`;
  const uplotJs = inlineSafe(assets.uplotJs, 'script');
  const client = inlineSafe(REPORT_CLIENT_JS, 'script');
  const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; script-src ${sha(uplotJs)} ${sha(client)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>egress-anomaly: ${h(when)}</title>
<style>${inlineSafe(assets.uplotCss, 'style')}</style>
<style>${REPORT_CSS}</style>
</head><body>
<header><h1>egress-anomaly report</h1>
${(input.rules ?? [ruleOf(p)]).map((r) => `<p class="rule">${h(r.name)} (${h(r.id)}, MITRE ATT&amp;CK ${h(r.mitreAttackIds.join(', '))})</p>`).join('\n')}
<p>${h(when)}: <b>${input.findings.length}</b> finding${input.findings.length === 1 ? '' : 's'}.
sigma ${h(String(p.sigma))}, min count ${p.minCount}, window ${duration(p.windowMs)}, span ${duration(p.spanMs)}, baseline ${duration(p.baselineMs)}, ${p.splunkParity ? 'Splunk parity (stdev of udp.* is the baseline mean)' : 'real sample standard deviation'}.</p></header>
<main>
<h2>Clusters</h2>
${summaryHtml(input, seriesOf)}
${input.command === 'hunt' ? `<h2>Counts per detection time</h2>\n${heatmapHtml(input.findings, times)}` : ''}
<h2>Findings</h2>
${skipped ? `<p class="note">${skipped} chart${skipped === 1 ? '' : 's'} left out: the report draws at most ${charts.length}.</p>` : ''}
${findings || '<p>No findings.</p>'}
</main>
<script type="application/json" id="report-data">${jsonForScript({ charts })}</script>
<script>${uplotJs}</script>
<script>${client}</script>
</body></html>
`;
}

/** uPlot's files from the installed package, read at run time. */
export async function loadReportAssets(): Promise<ReportAssets> {
  const require = createRequire(import.meta.url);
  const read = async (file: string) => {
    try {
      return await readFile(require.resolve(`uplot/dist/${file}`), 'utf8');
    } catch (cause) {
      throw new Error(`report: cannot read uplot/dist/${file} (is the uplot package installed?)`, { cause });
    }
  };
  const [uplotJs, uplotCss] = await Promise.all([read('uPlot.iife.min.js'), read('uPlot.min.css')]);
  return { uplotJs, uplotCss };
}

export async function writeHtmlReport(path: string, input: ReportInput): Promise<void> {
  await writeAtomic(path, renderHtmlReport(input, await loadReportAssets()));
}
