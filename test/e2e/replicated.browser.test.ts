/**
 * Pages made by the real CLI, in a real browser (issue 20):
 * - a `--replications 5` report says it shows the mean of 5 runs, its intervals are summary.json's
 *   `ci95`, and the rerun command it prints gives the same summary when run;
 * - a page comparing three runs says per run what its figures are and which warm-up it had, and
 *   the event labels of its "over time" charts never overlap, measured as drawn.
 * Screenshots at 1280×720 and 420 px wide go to reports/e2e/, to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launch, OUT, requireChromium, visit, type Browser } from './browser.js';

const BIN = 'dist/lbsim.js';
const SHOP = 'scenarios/shop-basic.yaml';

/** Runs the built CLI and returns its standard output. */
const lbsim = (...args: string[]) => execFileSync('node', [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** A summary without what the wall clock writes into it. */
function timeless(json: string): unknown {
  const { generatedAt: _at, runTimeMs: _ms, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

/** The figures at each screen size the issue names, full page, into OUT. */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [[1280, 720], [420, 900]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
  }
}

/** Every drawn event label of every chart on the page, as boxes in the chart's pixels (the page keeps them in $lbsimEventLabels). */
const labelBoxes = (page: Page) =>
  page.evaluate(`Array.from(document.querySelectorAll('canvas')).map(function (canvas) {
    return { id: canvas.id, boxes: Chart.getChart(canvas).$lbsimEventLabels || [] };
  })`) as Promise<{ id: string; boxes: { text: string; left: number; top: number; right: number; bottom: number }[] }[]>;

const intersect = (a: { left: number; top: number; right: number; bottom: number }, b: typeof a) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

requireChromium('replicated and multi-run reports');

describe.runIf(haveChromium)('pages of the real CLI in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbsim-e2e-runs-'));
    browser = await launch({ width: 1280, height: 720 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a --replications 5 run as the mean of 5 runs, with summary.json\'s intervals and a rerun command that reproduces it', async () => {
    const out = join(dir, 'replicated');
    const printed = lbsim('run', SHOP, '--sessions', '800', '--replications', '5', '--out', out, '--json');
    const summary = JSON.parse(printed) as { strategies: { name: string; ci95: Record<string, { low: number; high: number; halfWidth: number }> }[] };
    const { page, errors, requests } = await visit(browser.context, 'replicated.html', readFileSync(join(out, 'report.html'), 'utf8'));
    expect(await page.textContent('body')).toContain('Mean of 5 runs');

    const cells = await page.$$eval('td[data-metric="breakageRate"]', (tds) => tds.map((td) => ({ strategy: td.dataset['strategy']!, low: Number(td.dataset['ciLow']), high: Number(td.dataset['ciHigh']), halfWidth: Number(td.dataset['ciHalfWidth']) })));
    expect(cells).toHaveLength(summary.strategies.length);
    for (const cell of cells) {
      const { ci95 } = summary.strategies.find((s) => s.name === cell.strategy)!;
      expect(cell, cell.strategy).toEqual({ strategy: cell.strategy, ...ci95['breakageRate']! });
    }

    const rerun = (await page.textContent('#scenario code'))!;
    expect(rerun).toMatch(/^lbsim run FILE --seed \S+ --sessions 800 --replications 5$/);
    const again = lbsim(...rerun.replace(/^lbsim /, '').replace('FILE', SHOP).split(' '), '--out', join(dir, 'rerun'), '--json');
    expect(timeless(again)).toEqual(timeless(printed));

    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    await screenshots(page, 'replicated');
    await page.close();
  }, 120_000);

  it('names each run of a three-run page with its warm-up, and draws event labels that never overlap', async () => {
    const runs = [
      { file: 'scenarios/shop-basic.yaml', warmup: '0s' },
      { file: 'scenarios/failback.yaml', warmup: '10s' },
      { file: 'scenarios/cache-outage.yaml', warmup: '30s' },
    ];
    const summaries = runs.map(({ file, warmup }, i) => {
      const out = join(dir, `run-${i}`);
      lbsim('run', file, '--sessions', '600', '--set', `warmup=${warmup}`, '--out', out, '--json');
      return join(out, 'summary.json');
    });
    const page_ = join(dir, 'three.html');
    lbsim('report', ...summaries, '--out', page_);
    const { page, errors } = await visit(browser.context, 'multi-run.html', readFileSync(page_, 'utf8'));
    const header = (await page.textContent('header'))!;
    expect(header).toContain('no warm-up');
    expect(header).toContain('a warm-up of 10 s');
    expect(header).toContain('a warm-up of 30 s');

    for (const [width, height] of [[1280, 720], [420, 900]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      const charts = await labelBoxes(page);
      const labelled = charts.filter((c) => c.boxes.length > 1);
      expect(labelled.length, 'charts with several event labels').toBeGreaterThan(0);
      for (const { id, boxes } of labelled) {
        for (const [i, a] of boxes.entries()) {
          for (const b of boxes.slice(i + 1)) expect(intersect(a, b), `${id} at ${width} px: "${a.text}" and "${b.text}" overlap`).toBe(false);
        }
      }
    }
    expect(errors).toEqual([]);
    await screenshots(page, 'multi-run');
    await page.close();
  }, 120_000);
});
