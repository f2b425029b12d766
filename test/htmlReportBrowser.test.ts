/**
 * The report in a real browser: headless Chromium (the Debian package) through playwright-core,
 * offline, from file://. Skipped with a reason only where Chromium is absent and CI is not set.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../src/output/htmlReport.js';
import { ROOT, parseNdjson, runCliOk, runCliOkAsync } from './helpers/cli.js';
import { EVIL, reportInputAt } from './helpers/reportInput.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
const skip = !present && !inCi;
const REASON = `skipped: ${CHROMIUM} is absent (apt-get install chromium; with CI set, its absence fails this test)`;
if (skip) console.warn(`htmlReportBrowser.test.ts: ${REASON}`);

const T = Date.UTC(2026, 0, 31, 12);
const H = 3_600_000;
const OUT = join(ROOT, '.tmp', 'report');

interface PageStatus {
  done: boolean;
  errors: string[];
  charts: { id: string; points: number; series: number; values: number; anomalies: number; canvas: boolean }[];
}

let browser: Browser | undefined;
let tmp: string | undefined;

beforeAll(async () => {
  if (skip) return;
  expect(present, `${CHROMIUM} is missing, and CI is set: install the Debian package chromium`).toBe(true);
  tmp = mkdtempSync(join(tmpdir(), 'egress-report-'));
  runCliOk(['export', '--out', join(tmp, 'data'), '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', '2026-01-03T00:00:00Z', '--workers', '2', '--quiet']);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function open(file: string) {
  const context = await browser!.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requested: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requested.push(url);
    return route.abort();
  });
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requested.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (window as unknown as { __egressReport?: { done: boolean } }).__egressReport?.done === true, undefined, { timeout: 30_000 });
  const status = await page.evaluate(() => (window as unknown as { __egressReport: unknown }).__egressReport) as PageStatus;
  return { context, page, status, requested, consoleErrors, dialogs };
}

describe.skipIf(skip)(`HTML report in headless Chromium${skip ? ` (${REASON})` : ''}`, () => {
  it('draws every chart with its data, offline, with no errors, and the names stay text', async () => {
    mkdirSync(OUT, { recursive: true });
    const input = reportInputAt([T, T + H]);
    const file = join(OUT, 'hunt-report.html');
    await writeHtmlReport(file, input);
    const { context, page, status, requested, consoleErrors, dialogs } = await open(file);
    try {
      const expected = input.series.flatMap((s) => s.metrics.map((m) => ({ s, m })));
      expect(expected.length).toBeGreaterThan(3);
      expect(status.errors).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(requested).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(status.charts).toHaveLength(expected.length);
      status.charts.forEach((c, i) => {
        const { s, m } = expected[i];
        expect(c.canvas).toBe(true);
        expect(c.points).toBe(s.times.length);
        expect(c.series).toBe(4); // value, mean, mean + sigma x stdev, anomalous marks
        expect(c.values).toBe(m.values.filter((v) => v !== null).length);
        expect(c.anomalies).toBe(m.anomalies.length);
      });
      expect(await page.locator('.chart canvas').count()).toBe(expected.length);
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(expected.length));
      // each canvas has something drawn on it
      const inked = await page.$$eval('.chart canvas', (canvases) => canvases.map((cv) => {
        const c = cv as HTMLCanvasElement;
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
        return n;
      }));
      for (const n of inked) expect(n).toBeGreaterThan(500);
      // the attacker-chosen process name is shown as text and made no element
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('h3', { hasText: EVIL.slice(0, 20) }).count()).toBeGreaterThan(0);
      // hunt's heatmap
      expect(await page.locator('table.heat tbody tr').count()).toBe(2);
      expect(await page.locator('table.heat td.on').count()).toBeGreaterThan(1);
      await page.screenshot({ path: join(OUT, 'hunt-report.png'), fullPage: true });
      await page.screenshot({ path: join(OUT, 'hunt-report-top.png') });
      await page.locator('section.finding').first().screenshot({ path: join(OUT, 'finding.png') });
    } finally {
      await context.close();
    }
  });

  it('draws the report hunt --report writes: one chart per anomalous metric of each finding, and the heatmap', async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'cli-hunt-report.html');
    const r = await runCliOkAsync(['hunt', '--data', join(tmp!, 'data'), '--workers', '1', '--from', '2026-01-02T21:00:00Z', '--to', '2026-01-03T00:00:00Z',
      '--min-count', '2', '--format', 'ndjson', '--report', file]);
    const findings = parseNdjson(r.stdout) as { anomalies: string[]; detection_time: string }[];
    expect(new Set(findings.map((f) => f.detection_time)).size).toBeGreaterThan(1);
    const charts = findings.reduce((n, f) => n + new Set(f.anomalies.map((a) => a.split(' ')[0])).size, 0);
    const { context, page, status, requested, consoleErrors } = await open(file);
    try {
      expect(status.errors).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(requested).toEqual([]);
      expect(status.charts).toHaveLength(charts);
      for (const c of status.charts) {
        expect(c.canvas).toBe(true);
        expect(c.points).toBe(360);
        expect(c.values).toBeGreaterThan(0);
        expect(c.anomalies).toBeGreaterThan(0);
      }
      expect(await page.getAttribute('table.heat', 'data-cols')).toBe('4');
      expect(await page.locator('section.finding').count()).toBe(findings.length);
      await page.screenshot({ path: join(OUT, 'cli-hunt-report-top.png') });
    } finally {
      await context.close();
    }
  });
});
