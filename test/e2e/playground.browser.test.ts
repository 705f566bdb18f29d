/**
 * The playground in a real browser (playwright-core driving Debian's /usr/bin/chromium), opened
 * from file:// as `lbsim playground` writes it: no request leaves the page and the console stays
 * free of errors (a CSP violation is one); shop-basic with a NAT share, a failing backend and a
 * seed drawn now gives the headline `lbsim run --json` gives for the same text; the Share link
 * reproduces it; Download then `lbsim report` shows the same headline; Stop ends a long run
 * within a second; every bad scenario of test/scenarios/invalid/ shows the CLI's message.
 * Screenshots at 1280×720 and 420 px wide go to reports/e2e/.
 *
 * Needs `npm run build` (the page inlines dist/playground/). Without /usr/bin/chromium the suite
 * says so and skips — except under CI (CI=true), where a missing browser fails the run.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueAt } from '../../src/report/html/headline.js';
import { parseSummaryText } from '../../src/report/index.js';
import { formatScenarioErrors, parseScenarioText } from '../../src/scenario/index.js';

const CHROMIUM = process.env['LBSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = resolve('reports/e2e');
const CLI = resolve('dist/lbsim.js');
const INVALID = resolve('test/scenarios/invalid');

const ci = process.env['CI'] === 'true';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n!! ${CHROMIUM} is missing: the playground's browser test ${ci ? 'FAILS (CI=true)' : 'is SKIPPED'}. Install it with: apt-get update && apt-get install -y chromium\n`);

describe('the browser for the playground test', () => {
  it('is installed when running under CI', () => {
    if (ci) expect(haveChromium, `${CHROMIUM} is missing; .ci/run installs it`).toBe(true);
  });
});

/** The headline cells of a page: "strategy metric" → the exact value in data-value. */
const headlineOf = (page: Page) =>
  page.$$eval('#report [data-metric][data-strategy][data-value]', (cells) => Object.fromEntries(cells.map((c) => [`${c.getAttribute('data-strategy')} ${c.getAttribute('data-metric')}`, c.getAttribute('data-value')])));

/** The same from an HTML file's text (the report `lbsim report` writes). */
const headlineOfHtml = (html: string) => Object.fromEntries([...html.matchAll(/data-metric="([^"]+)" data-run="\d+" data-strategy="([^"]+)" data-value="([^"]+)"/g)].map((m) => [`${m[2]} ${m[1]}`, m[3]]));

describe.runIf(haveChromium)('the playground in Chromium', () => {
  let context: BrowserContext;
  let dir: string;
  let pageFile: string;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'lbsim-playground-'));
    pageFile = join(dir, 'playground.html');
    execFileSync(process.execPath, [CLI, 'playground', '--out', pageFile]);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(url = pathToFileURL(pageFile).href): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => { if (!/^(file|blob|data):/.test(r.url())) requests.push(r.url()); });
    page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-checked'), undefined, { timeout: 30_000 });
    return page;
  }

  /** Does `action` and waits for the worker's check of the text it leaves. */
  async function checked(page: Page, action: () => Promise<unknown>): Promise<string> {
    const before = Number(await page.getAttribute('html', 'data-checked'));
    await action();
    await page.waitForFunction((n) => Number(document.documentElement.getAttribute('data-checked')) > n, before, { timeout: 30_000 });
    return (await page.getAttribute('#check', 'data-errors')) ?? '';
  }
  const setField = (page: Page, id: string, value: string) => checked(page, async () => { await page.fill(id, value); await page.dispatchEvent(id, 'change'); });
  const finished = (page: Page, timeout = 180_000) => page.waitForFunction(() => ['done', 'failed', 'stopped'].includes(document.documentElement.getAttribute('data-run') ?? ''), undefined, { timeout });

  let shared: { url: string; headline: Record<string, string | null>; text: string } | undefined;

  it('runs shop-basic with a NAT share, a failing backend and a fresh seed to the numbers of `lbsim run --json`', async () => {
    const page = await open();
    await page.screenshot({ path: join(OUT, 'playground-1280-start.png') });
    const seed = String(1 + Math.floor(Math.random() * 1e9));
    expect(await setField(page, '#c-sessions', '1500')).toBe('');
    expect(await setField(page, '#c-nat', '0.5')).toBe('');
    expect(await checked(page, () => page.selectOption('#c-fail-backend', '10.0.1.2:8080'))).toBe('');
    expect(await checked(page, () => page.selectOption('#c-fail-kind', 'crash'))).toBe('');
    expect(await setField(page, '#c-seed', seed)).toBe('');
    const text = await page.inputValue('#editor');
    expect(text).toContain(`seed: ${seed}`);
    expect(text).toMatch(/share: 0\.5/);
    expect(text).toContain('mode: crash');
    await page.click('#run');
    await finished(page);
    expect(await page.getAttribute('html', 'data-run')).toBe('done');
    const headline = await headlineOf(page);
    expect(Object.keys(headline).length).toBeGreaterThan(8);

    writeFileSync(join(dir, 'scenario.yaml'), text);
    const json = execFileSync(process.execPath, [CLI, 'run', 'scenario.yaml', '--json', '--threads', '1', '--out', 'cli-out'], { cwd: dir, encoding: 'utf8' });
    const summary = parseSummaryText(json, 'summary.json');
    if (!summary.ok) throw new Error(summary.error);
    for (const [key, value] of Object.entries(headline)) {
      const [strategy, path] = key.split(' ') as [string, string];
      const column = summary.summary.strategies.find((s) => s.name === strategy)!;
      expect(Number(value), key).toBe(valueAt(column, { path, optional: true }));
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, 'playground-1280.png') });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: join(OUT, 'playground-420.png') });
    await page.setViewportSize({ width: 1280, height: 720 });

    // Download → lbsim report: the same headline.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-json')]);
    await download.saveAs(join(dir, 'summary.json'));
    execFileSync(process.execPath, [CLI, 'report', join(dir, 'summary.json'), '--out', join(dir, 'report.html')]);
    expect(headlineOfHtml(readFileSync(join(dir, 'report.html'), 'utf8'))).toEqual(headline);
    const [yaml] = await Promise.all([page.waitForEvent('download'), page.click('#dl-yaml')]);
    await yaml.saveAs(join(dir, 'downloaded.yaml'));
    expect(readFileSync(join(dir, 'downloaded.yaml'), 'utf8')).toBe(text);

    await page.click('#share');
    shared = { url: page.url(), headline, text };
    expect(shared.url).toMatch(/#scenario=/);
    await page.close();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 400_000);

  it('reproduces the run from the Share link', async () => {
    expect(shared).toBeDefined();
    const page = await open(shared!.url);
    await finished(page);
    expect(await page.inputValue('#editor')).toBe(shared!.text);
    expect(await headlineOf(page)).toEqual(shared!.headline);
    await page.close();
    expect(errors).toEqual([]);
  }, 300_000);

  it('Stop ends a long run within a second', async () => {
    const page = await open();
    expect(await setField(page, '#c-sessions', '5000000')).toBe('');
    await page.click('#run');
    await page.waitForFunction(() => Number((document.getElementById('progress') as HTMLProgressElement).value) > 0, undefined, { timeout: 60_000 });
    const started = Date.now();
    await page.click('#stop');
    await page.waitForFunction(() => document.documentElement.getAttribute('data-run') === 'stopped', undefined, { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await page.isEnabled('#run')).toBe(true);
    await page.close();
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the CLI’s own message for every bad scenario of test/scenarios/invalid/', async () => {
    const page = await open();
    await page.selectOption('#pick', '');
    const files = readdirSync(INVALID).sort();
    expect(files.length).toBeGreaterThan(15);
    for (const name of files) {
      const text = readFileSync(join(INVALID, name), 'utf8');
      const file = text.trimStart().startsWith('{') ? 'scenario.json' : 'scenario.yaml';
      copyFileSync(join(INVALID, name), join(dir, file));
      const loaded = parseScenarioText(text, file);
      expect(loaded.ok, name).toBe(false);
      const expected = loaded.ok ? '' : formatScenarioErrors(loaded.errors);
      const shown = await checked(page, () => page.fill('#editor', text));
      expect(shown, name).toBe(expected);
    }
    // One of them through the real command line too: the same text, byte for byte.
    const first = files.find((f) => !f.endsWith('.json'))!;
    const firstText = readFileSync(join(INVALID, first), 'utf8');
    writeFileSync(join(dir, 'scenario.yaml'), firstText);
    let cliText = '';
    try {
      execFileSync(process.execPath, [CLI, 'validate', 'scenario.yaml'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      cliText = (error as { stderr: string }).stderr;
    }
    expect(cliText).not.toBe('');
    expect(await checked(page, () => page.fill('#editor', firstText))).toBe(cliText);
    await page.close();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 300_000);
});
