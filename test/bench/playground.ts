/**
 * `npm run bench -- --playground` (issue 23): the bundled shop-basic (6,000 sessions, four
 * strategies) run in the playground in headless Chromium, opened from file:// as `lbsim
 * playground` writes it. Each repetition is a fresh page: Run is clicked and the page's own
 * figure is read (`<html data-run-ms>`: the worker's run, from the scenario's text to the
 * summary), with the wall time from the click until the report is on the page. The target: the
 * run under 2 s on the 2-core machine. Needs /usr/bin/chromium and `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The playground's target for shop-basic as bundled. */
export const PLAYGROUND_TARGET_MS = 2000;

export interface PlaygroundBench {
  readonly runMs: readonly number[];
  readonly clickToReportMs: readonly number[];
  readonly medianRunMs: number;
  readonly underTarget: boolean;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runPlaygroundBench(node: string, cli: string, reps: number, log: (line: string) => void): Promise<PlaygroundBench> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'lbsim-bench-playground-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const file = join(dir, 'playground.html');
    execFileSync(node, [cli, 'playground', '--out', file]);
    const runMs: number[] = [];
    const clickToReportMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => document.getElementById('check')?.className === 'ok', undefined, { timeout: 60_000 });
      const started = Date.now();
      await page.click('#run');
      await page.waitForFunction(() => document.documentElement.getAttribute('data-run') === 'done', undefined, { timeout: 300_000 });
      clickToReportMs.push(Date.now() - started);
      runMs.push(Number(await page.getAttribute('html', 'data-run-ms')));
      log(`playground: shop-basic run ${r + 1}/${reps}: ${runMs.at(-1)} ms in the worker, ${clickToReportMs.at(-1)} ms from Run to the report\n`);
      await page.close();
    }
    return { runMs, clickToReportMs, medianRunMs: median(runMs), underTarget: median(runMs) < PLAYGROUND_TARGET_MS };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderPlaygroundBench(result: PlaygroundBench): string {
  return `shop-basic in the playground (headless Chromium, 6,000 sessions, 4 strategies): median run ${result.medianRunMs} ms (target under ${PLAYGROUND_TARGET_MS} ms: ${result.underTarget ? 'met' : 'MISSED'}); Run to report ${median(result.clickToReportMs)} ms; runs ${result.runMs.join(', ')} ms\n`;
}
