/**
 * What the browser tests share: Debian's Chromium driven by playwright-core, the loud skip when it
 * is missing (a failure under CI=true: `.ci/run` installs it), and a visit that records console
 * errors and requests and waits for the page's charts.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

/** Debian's Chromium; LBSIM_CHROMIUM overrides the path (to check the missing-browser branches). */
export const CHROMIUM = process.env['LBSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where pages and their screenshots go, to be looked at after a run. */
export const OUT = resolve('reports/e2e');

export const haveChromium = existsSync(CHROMIUM);

/** Says loudly that the browser is missing, and fails under CI instead of skipping. */
export function requireChromium(what: string): void {
  const ci = process.env['CI'] === 'true';
  if (!haveChromium) {
    console.warn(`\n${'!'.repeat(78)}\n!! ${CHROMIUM} is missing: the browser test of ${what} ${ci ? 'FAILS (CI=true)' : 'is SKIPPED'}.\n!! Install it with: apt-get update && apt-get install -y chromium\n${'!'.repeat(78)}\n`);
  }
  // Always runs, so CI never reports a skip: under CI a missing browser is a failure.
  describe('the browser for this test', () => {
    it('is installed when running under CI', () => {
      if (ci) expect(haveChromium, `${CHROMIUM} is missing; .ci/run installs it (apt-get update && apt-get install -y chromium)`).toBe(true);
    });
  });
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a private profile folder, removed on close. */
export async function launch(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  mkdirSync(OUT, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'lbsim-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface Visit {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

/** Writes `html` to OUT/name, opens it from file:// and waits until the page says its charts are drawn. */
export async function visit(context: BrowserContext, name: string, html: string): Promise<Visit> {
  const file = join(OUT, name);
  writeFileSync(file, html);
  const errors: string[] = [];
  const requests: string[] = [];
  const page = await context.newPage();
  page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`); });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction("document.documentElement.hasAttribute('data-charts-drawn')", undefined, { timeout: 10_000 });
  return { page, errors, requests };
}
