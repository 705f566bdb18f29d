/**
 * The HTML report in a real browser (playwright-core driving Debian's /usr/bin/chromium): the
 * report of the bundled shop-basic scenario, with a malicious description planted, opened from
 * file://. Every chart canvas must hold drawn pixels, the console must stay free of errors
 * (a CSP violation is one), no request may leave the page, the planted markup must show as text
 * and run nothing, and the headline numbers must equal summary.json's. A second page carries a
 * timeline so the annotation plugin is exercised too, and a sweep page (sweep.html) of shop-basic
 * over the NAT share with confidence bands. Screenshots go to reports/e2e/.
 *
 * Without /usr/bin/chromium the suite says so loudly and skips — except under CI
 * (CI=true), where a missing browser fails the run: `.ci/run` installs it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSummary, buildSweep, renderHtml, renderSweepHtml, type HtmlAssets, type Summary, type Sweep } from '../../src/report/index.js';
import { valueAt } from '../../src/report/html/headline.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { replications, runScenario } from '../../src/sim/index.js';
import { BACKENDS, strategy, summary } from '../report/fixtures.js';
import { haveChromium, launch, OUT, requireChromium, visit as visitIn, type Browser } from './browser.js';

const EVIL = `<img src=x onerror="window.__lbsimPwned = 'img'"><script>window.__lbsimPwned = 'script'</script> onerror=alert(1)`;

const ASSETS: HtmlAssets = {
  chartJs: readFileSync('node_modules/chart.js/dist/chart.umd.js', 'utf8'),
  annotationPlugin: readFileSync('node_modules/chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js', 'utf8'),
};

/** shop-basic (2,000 sessions, its four strategies) with the planted description on the scenario and a strategy. */
function shopBasicSummary(): Summary {
  const file = 'scenarios/shop-basic.yaml';
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, { sessions: 2000 });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const scenario = { ...loaded.scenario, description: EVIL, strategies: loaded.scenario.strategies.map((s, i) => (i === 0 ? { ...s, description: EVIL } : s)) };
  return buildSummary(runScenario(scenario), { lbsimVersion: 'e2e', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 1000 });
}

/** A hand-made run with per-window series, so the timeline charts and their event lines are drawn. */
function timelineSummary(): Summary {
  const windows = Array.from({ length: 60 }, (_, w) => ({ startMs: w * 5000, requestsPerBackend: BACKENDS.map((_, b) => (b === 3 && w >= 30 ? 0 : 50 + ((w * (b + 1)) % 17))), breaks: w === 30 ? 12 : w % 7 }));
  const timeline = { windowMs: 5000, windows, events: [{ atMs: 150_000, label: '<b>app4:80</b> refused' }] };
  return summary([strategy('ip-hash', { timeline, broken: { 'backend-failed': 40 } }), strategy('cookie', { timeline, broken: { 'backend-failed': 10 } })], { description: EVIL });
}

/** A sweep of shop-basic (1,000 sessions) over the NAT share, three replications per point, with the planted description. */
function natSweep(): Sweep {
  const file = 'scenarios/shop-basic.yaml';
  const text = readFileSync(file, 'utf8');
  const values = ['0', '0.2', '0.4', '0.6'];
  const meta = { lbsimVersion: 'e2e', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 1000 };
  const points = values.map((value) => {
    const loaded = parseScenarioText(text, file, { sessions: 1000, set: [{ path: 'clients.nat.share', value }] });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    return { values: [value], summaries: replications({ ...loaded.scenario, description: EVIL }, 3).map((s) => buildSummary(runScenario(s), meta)) };
  });
  return buildSweep({ file, parameters: [{ path: 'clients.nat.share', values }], replications: 3, options: { sessions: 1000 }, points }, meta);
}

requireChromium('the HTML report');

describe.runIf(haveChromium)('HTML report in Chromium', () => {
  let browser: Browser;
  const shop = shopBasicSummary();

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const visit = (name: string, html: string) => visitIn(browser.context, name, html);

  /** Per canvas: its id and how many of its pixels are not transparent. */
  const inkedPixels = (page: Page) =>
    page.$$eval('canvas', (canvases) =>
      canvases.map((canvas) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
        return { id: canvas.id, inked, total: canvas.width * canvas.height };
      }),
    );

  it('draws every chart of the shop-basic report, with no console error, no request and nothing injected run', async () => {
    const { page, errors, requests } = await visit('report.html', renderHtml([shop], ASSETS));
    const charts = await inkedPixels(page);
    // Five comparison charts, then the timelines: breaks over time and requests per backend for each of the four strategies.
    expect(charts.map((c) => c.id)).toEqual([
      'chart-breakage',
      'chart-load-0',
      'chart-latency',
      'chart-latency-steps',
      'chart-funnel',
      'chart-timeline-breaks',
      ...[0, 1, 2, 3].map((i) => `chart-timeline-requests-${i}`),
    ]);
    for (const chart of charts) expect(chart.inked, `${chart.id} has drawn pixels`).toBeGreaterThan(chart.total * 0.02);
    expect(await page.getAttribute('html', 'data-charts-drawn')).toBe('10');
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(OUT, 'report.html')).href]);
    expect(await page.evaluate('window.__lbsimPwned')).toBeUndefined();
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.textContent('header .description')).toBe(EVIL);
    await page.screenshot({ path: join(OUT, 'report-1280.png'), fullPage: true });
    await page.close();
  });

  it('shows in the headline table exactly the numbers of summary.json', async () => {
    const { page } = await visit('report.html', renderHtml([shop], ASSETS));
    const cells = await page.$$eval('td[data-metric]', (tds) => tds.map((td) => ({ metric: td.dataset['metric']!, strategy: td.dataset['strategy']!, value: Number(td.dataset['value']) })));
    expect(cells.length).toBeGreaterThan(40);
    for (const cell of cells) expect(cell.value, `${cell.strategy} ${cell.metric}`).toBe(valueAt(shop.strategies.find((s) => s.name === cell.strategy)!, { path: cell.metric }));
    await page.close();
  });

  it('fits a phone-sized viewport and a printed page', async () => {
    const { page, errors } = await visit('report.html', renderHtml([shop], ASSETS));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(OUT, 'report-phone.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(OUT, 'report-print.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws every chart of a sweep page, bands included, with no console error, no request and nothing injected run', async () => {
    const sweep = natSweep();
    const { page, errors, requests } = await visit('sweep.html', renderSweepHtml(sweep, ASSETS));
    const charts = await inkedPixels(page);
    // Charts on which no line moves are left out: the page draws every canvas it has, and at least the skew's.
    const canvases = await page.evaluate("Array.from(document.querySelectorAll('canvas')).map(function (c) { return c.id; })");
    expect(charts.map((c) => c.id)).toEqual(canvases);
    expect(charts.length).toBeGreaterThan(1);
    for (const chart of charts) expect(chart.inked, `${chart.id} has drawn pixels`).toBeGreaterThan(chart.total * 0.02);
    expect(await page.getAttribute('html', 'data-charts-drawn')).toBe(String(charts.length));
    // Each strategy's band is two datasets the legend leaves out: four strategies, twelve datasets, four legend entries.
    expect(await page.evaluate("Chart.getChart('chart-sweep-0-0').data.datasets.length")).toBe(12);
    expect(await page.evaluate("Chart.getChart('chart-sweep-0-0').legend.legendItems.map(function (item) { return item.text; })")).toEqual(sweep.strategies);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(OUT, 'sweep.html')).href]);
    expect(await page.evaluate('window.__lbsimPwned')).toBeUndefined();
    expect(await page.textContent('header .description')).toBe(EVIL);
    await page.screenshot({ path: join(OUT, 'sweep-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(OUT, 'sweep-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the timeline charts with their event lines (chartjs-plugin-annotation)', async () => {
    const { page, errors, requests } = await visit('report-timeline.html', renderHtml([timelineSummary()], ASSETS));
    const charts = await inkedPixels(page);
    expect(charts.map((c) => c.id)).toContain('chart-timeline-breaks');
    for (const chart of charts) expect(chart.inked, `${chart.id} has drawn pixels`).toBeGreaterThan(chart.total * 0.02);
    const annotations = await page.evaluate("Object.keys(Chart.getChart('chart-timeline-breaks').options.plugins.annotation.annotations).length");
    expect(annotations).toBe(1);
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(await page.evaluate('window.__lbsimPwned')).toBeUndefined();
    await page.screenshot({ path: join(OUT, 'report-timeline.png'), fullPage: true });
    await page.close();
  });
});
