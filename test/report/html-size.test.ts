/**
 * The report holds aggregates, not per-request data: the page of a 50,000-session run is less
 * than 1.1 times the size of a 1,000-session run's (issue 7), with the libraries inlined and,
 * stricter, without them (the page's own markup and data alone).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NO_ASSETS, buildSummary, renderHtml, type HtmlAssets } from '../../src/report/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';

const ASSETS: HtmlAssets = {
  chartJs: readFileSync('node_modules/chart.js/dist/chart.umd.js', 'utf8'),
  annotationPlugin: readFileSync('node_modules/chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js', 'utf8'),
};

function summaryOf(sessions: number) {
  const file = 'scenarios/shop-basic.yaml';
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, { sessions });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return buildSummary(runScenario(loaded.scenario), { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 });
}

describe('report size', () => {
  it('does not grow with the number of sessions', () => {
    const small = summaryOf(1_000);
    const large = summaryOf(50_000);
    const size = (assets: HtmlAssets, s: typeof small) => Buffer.byteLength(renderHtml([s], assets));
    expect(size(ASSETS, large) / size(ASSETS, small)).toBeLessThan(1.1);
    expect(size(NO_ASSETS, large) / size(NO_ASSETS, small)).toBeLessThan(1.1);
  });
});
