import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFinding } from '../src/evaluate/finding.js';
import { builtinRules } from '../src/rule/builtinRules.js';
import { loadReportAssets, renderHtmlReport, writeHtmlReport } from '../src/output/htmlReport.js';
import { REPORT_CLIENT_JS } from '../src/output/htmlReportClient.js';
import { escapeHtml, inlineSafe, jsonForScript } from '../src/output/htmlReportEscape.js';
import { heatmapHtml } from '../src/output/htmlReportHeatmap.js';
import { EVIL, reportInputAt } from './helpers/reportInput.js';

const T = Date.UTC(2026, 0, 31, 12);
const H = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The JSON the page parses, read the way the browser does. */
function pageData(html: string): { charts: { id: string; t: number[]; v: (number | null)[]; anom: number[]; z: string[]; thr: number; avg: number }[] } {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]) as ReturnType<typeof pageData>;
}

describe('escaping', () => {
  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('keeps JSON for a script element inert and equal after parsing', () => {
    const v = { s: '</script><!-- \u2028\u2029 & >', n: [1.5, null] };
    const out = jsonForScript(v);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(v);
  });

  it('keeps inlined sources from closing their element', () => {
    expect(inlineSafe('a="</script>";', 'script')).toBe('a="<\\/script>";');
    expect(inlineSafe('</SCRIPT', 'script')).not.toMatch(/<\/script/i);
  });
});

describe('the page script', () => {
  it('is valid JavaScript and never closes its element', () => {
    expect(() => new Function(REPORT_CLIENT_JS)).not.toThrow();
    expect(REPORT_CLIENT_JS).not.toMatch(/<\/script/i);
    expect(REPORT_CLIENT_JS).not.toContain('innerHTML');
  });
});

describe('renderHtmlReport', () => {
  it('holds uPlot and the data inline, loads nothing, and escapes the attacker-chosen names', async () => {
    const input = reportInputAt([T]);
    expect(input.findings.length).toBeGreaterThan(1);
    expect(input.findings.some((f) => f.key[1] === EVIL)).toBe(true);
    const html = renderHtmlReport(input, await loadReportAssets());
    expect(html).toContain('/*! https://github.com/leeoniya/uPlot (v1.6.32) */');
    expect(html).toContain('.uplot');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(EVIL));
    // exactly our three scripts; the CSP allows the two executable ones by hash
    expect(html.match(/<script[\s>]/g)).toHaveLength(3);
    expect(html).toMatch(/script-src &#39;sha256-[A-Za-z0-9+/=]+&#39; &#39;sha256-[A-Za-z0-9+/=]+&#39;;/);
    expect(html).toMatch(/<h1>egress-anomaly report<\/h1>/);
    expect(html).not.toContain('Counts per detection time'); // detect has no heatmap
    expect(html).toContain('<th>cluster (host)</th><th>findings</th><th>keys</th>');
    expect(html).not.toContain('workload:process');
    expect(html).toContain('<p class="rule">Kubernetes Anomalous Outbound Network Activity from Process (dd6afee6-e0a3-4028-a089-f47dd2842c22, MITRE ATT&amp;CK T1204)</p>');
  });

  it('names the rule of its parameters in the header', async () => {
    const inbound = builtinRules().find((r) => r.id === '10442d8b-0701-4c25-911d-d67b906e713c')!;
    const base = reportInputAt([T]);
    const html = renderHtmlReport({ ...base, params: { ...base.params, rule: inbound } }, await loadReportAssets());
    expect(html).toContain('<p class="rule">Kubernetes Anomalous Inbound Network Activity from Process (10442d8b-0701-4c25-911d-d67b906e713c, MITRE ATT&amp;CK T1204)</p>');
    expect(html).not.toContain('Kubernetes Anomalous Outbound Network Activity from Process (');
  });

  it('charts every anomalous metric of every finding from the series, band and marks included', async () => {
    const input = reportInputAt([T]);
    const html = renderHtmlReport(input, await loadReportAssets());
    const { charts } = pageData(html);
    const expected = input.series.flatMap((s) => s.metrics.map((m) => ({ s, m })));
    expect(charts).toHaveLength(expected.length);
    expect(html.match(/<div class="chart" data-chart="/g)).toHaveLength(expected.length);
    charts.forEach((c, i) => {
      const { s, m } = expected[i];
      expect(c.t).toEqual(s.times.map((t) => t / 1000));
      expect(c.v).toEqual(m.values);
      expect(c.avg).toBe(m.avg);
      expect(c.thr).toBe(m.avg + 3 * m.stdev);
      expect(c.anom).toEqual(m.anomalies.map((a) => a.index));
      expect(c.z).toHaveLength(m.anomalies.length);
    });
    // the summary lists a cluster without findings too
    expect(html).toMatch(/<td>quiet-cluster<\/td><td class="n">0<\/td>/);
  });

  it('caps the number of charts and says how many were left out', async () => {
    const input = { ...reportInputAt([T]), maxCharts: 1 };
    const total = input.series.reduce((n, s) => n + s.metrics.length, 0);
    const html = renderHtmlReport(input, await loadReportAssets());
    expect(pageData(html).charts).toHaveLength(1);
    expect(html).toContain(`${total - 1} chart${total - 1 === 1 ? '' : 's'} left out`);
  });

  it('for hunt, adds a heatmap of counts per detection time and key', async () => {
    const input = reportInputAt([T, T + H, T + 2 * H]);
    const html = renderHtmlReport(input, await loadReportAssets());
    expect(html).toContain('Counts per detection time');
    expect(html).toMatch(/<table class="heat wide" data-rows="2" data-cols="3">/);
    expect(html).toContain('<th>key \\ T (UTC)</th>');
    const cells = [...html.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(input.findings.reduce((n, f) => n + f.count, 0));
  });

  it('writes the file atomically', async () => {
    const path = join(dir, 'r.html');
    await writeHtmlReport(path, reportInputAt([T]));
    expect(readFileSync(path, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(readdirSync(dir)).toEqual(['r.html']);
  });
});

describe('heatmapHtml', () => {
  it('sums counts over clusters per cell and names the clusters in the title', () => {
    const times = [T, T + H];
    const html = heatmapHtml([
      makeFinding(T, 'a', 'w', 'p', 6, ['m']), makeFinding(T, 'b', 'w', 'p', 7, ['m']), makeFinding(T + H, 'a', 'w2', '<p>', 9, ['m']),
    ], times);
    expect(html).toContain('data-rows="2" data-cols="2"');
    expect(html).toContain('data-count="13"');
    expect(html).toContain('title="2026-01-31T12:00:00.000Z w:p: 13 (a 6, b 7)"');
    expect(html).toContain('<th scope="row">w2:&#60;p&#62;</th><td></td><td class="on"');
    expect(heatmapHtml([], times)).toContain('No findings');
  });

  it('gives each rule its own row, even for equal key values', () => {
    const edge = builtinRules().find((r) => r.id === '886c7e51-2ea1-425d-8705-faaca5a64cc6')!;
    const html = heatmapHtml([makeFinding(T, 'a', 'w', 'p', 6, ['m']), makeFinding(T, 'a', 'w', 'p', 7, ['m'], edge)], [T]);
    expect(html).toContain('data-rows="2" data-cols="1"');
    expect(html).not.toContain('data-count="13"');
    expect(html.match(/<th scope="row">w:p<\/th>/g)).toHaveLength(2);
  });
});
