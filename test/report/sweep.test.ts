/**
 * A sweep's figures, CSV and page from hand-made summaries: means and Student-t intervals worked
 * out by hand, metrics that do not apply left out, one CSV row per (point, strategy, metric), one
 * chart per metric and combination of the other swept fields, each with its table, user text
 * escaped. (Sweeps of real runs: test/cli/sweep.test.ts; in a browser: test/e2e.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSweep, meanInterval, NO_ASSETS, renderSweepCsv, renderSweepHtml, renderSweepTerminal, type Summary, type SweepParameter } from '../../src/report/index.js';
import { strategy, summary } from './fixtures.js';

const META = { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 4321 };

/** One replication: ip-hash (local memory) breaking `broken` sessions on a failed backend, and a shared cache at `ops` operations per second. */
function run(broken: number, ops: number, seed: string, lostUpdates?: number): Summary {
  const ipHash = strategy('ip-hash', { broken: { 'backend-failed': broken } });
  const cache = strategy('cache', { store: 'shared', storeStats: { kind: 'shared', reads: 1, writes: 1, hitRatio: 1, opsPerSec: ops, evictions: 0, expirations: 0 } });
  const withLost = (s: typeof cache) => (lostUpdates === undefined ? s : { ...s, requests: { ...s.requests, lostUpdates } });
  return summary([ipHash, withLost(cache)], { seed });
}

const NAT: SweepParameter = { path: 'clients.nat.share', values: ['0', '0.5'] };

/** Two points, two replications each: ip-hash breaks 10 and 30 sessions at 0, 50 and 50 at 0.5 (of 1,000). */
const sweep = buildSweep(
  {
    file: 'shop.yaml',
    parameters: [NAT],
    replications: 2,
    options: { sessions: 1000 },
    points: [
      { values: ['0'], summaries: [run(10, 100, '7/rep/0'), run(30, 120, '7/rep/1')] },
      { values: ['0.5'], summaries: [run(50, 100, '7/rep/0'), run(50, 120, '7/rep/1')] },
    ],
  },
  META,
);

describe('buildSweep', () => {
  it('gives every metric of every strategy as a mean with a Student-t 95% interval over the replications', () => {
    // Breakage 1% and 3%: mean 2%, s = √2, half-width t(1 df) · s/√2 = 12.706.
    expect(sweep.points[0]!.strategies[0]).toMatchObject({ name: 'ip-hash', metrics: { breakageRate: { mean: 2, ci95: { low: -10.706, high: 14.706, halfWidth: 12.706 }, values: [1, 3] } } });
    expect(sweep.points[1]!.strategies[0]!.metrics['sessions.broken']).toEqual({ mean: 50, ci95: { low: 50, high: 50, halfWidth: 0 }, values: [50, 50] });
    const ops = sweep.points[0]!.strategies[1]!.metrics['storeStats.opsPerSec']!;
    const expected = meanInterval([100, 120]);
    expect(ops.mean).toBe(expected.mean);
    expect(ops.ci95.low).toBeCloseTo(expected.ci95.low, 6);
    expect(ops.ci95.high).toBeCloseTo(expected.ci95.high, 6);
  });

  it('records the grid, the seeds of each point and the options', () => {
    expect(sweep).toMatchObject({ kind: 'sweep', scenario: { name: 'hand-made', file: 'shop.yaml' }, parameters: [NAT], replications: 2, options: { sessions: 1000 }, strategies: ['ip-hash', 'cache'], runTimeMs: 4321 });
    expect(sweep.points.map((p) => [p.values, p.seeds])).toEqual([[['0'], ['7/rep/0', '7/rep/1']], [['0.5'], ['7/rep/0', '7/rep/1']]]);
  });

  it('leaves out what does not apply: the cache load of a strategy without one, lost updates that never happened', () => {
    expect(Object.keys(sweep.points[0]!.strategies[0]!.metrics)).not.toContain('storeStats.opsPerSec');
    expect(Object.keys(sweep.points[0]!.strategies[1]!.metrics)).toContain('storeStats.opsPerSec');
    expect(sweep.metrics.map((m) => m.id)).toEqual([
      'breakageRate', 'sessions.broken', 'failoverLoss.sessions', 'skew.requestsMaxOverMean', 'skew.requestsCv', 'latencyMs.mean', 'latencyMs.p95', 'latencyMs.p99', 'sessions.completed', 'revenue', 'storeStats.opsPerSec',
    ]);
    const lossy = buildSweep({ file: 'f.yaml', parameters: [{ path: 'seed', values: ['1'] }], replications: 1, options: {}, points: [{ values: ['1'], summaries: [run(0, 1, '1', 3)] }] }, META);
    expect(lossy.metrics.map((m) => m.id)).toContain('requests.lostUpdates');
    expect(lossy.points[0]!.strategies[1]!.metrics['requests.lostUpdates']!.mean).toBe(3);
  });
});

describe('renderSweepCsv', () => {
  const lines = renderSweepCsv(sweep).trimEnd().split('\n');

  it('has the swept paths as the first columns, then one row per point, strategy and metric', () => {
    expect(lines[0]).toBe('clients.nat.share,strategy,metric,unit,mean,ci95_low,ci95_high,replications');
    expect(lines[1]).toBe('0,ip-hash,breakageRate,%,2,-10.706,14.706,2');
    expect(lines[2]).toBe('0,ip-hash,sessions.broken,sessions,20,-107.06,147.06,2');
    // Ten metrics for ip-hash and eleven for the cache (its load), at each of two points.
    expect(lines).toHaveLength(1 + 2 * (10 + 11));
    expect(lines.filter((l) => l.includes('storeStats.opsPerSec'))).toEqual(['0,cache,storeStats.opsPerSec,ops/s,110,-17.06,237.06,2', '0.5,cache,storeStats.opsPerSec,ops/s,110,-17.06,237.06,2']);
  });
});

describe('renderSweepHtml', () => {
  const EVIL = '<img src=x onerror="window.__pwned = 1">';
  const canvases = (html: string) => [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]!);
  const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="lbsim-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { charts: { id: string; config: { data: { labels?: string[]; datasets: { label: string; band?: boolean; fill?: unknown }[] }; options: { scales: { x: { type: string } } } } }[] };

  it('draws one chart per metric, one line per strategy with a band around it, on a numeric axis for numeric values', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(canvases(html)).toEqual(sweep.metrics.map((_, i) => `chart-sweep-${i}-0`));
    const breakage = dataOf(html).charts[0]!.config;
    expect(breakage.options.scales.x.type).toBe('linear');
    expect(breakage.data.datasets.map((d) => [d.label, d.band ?? false, d.fill])).toEqual([
      ['ip-hash, 95% low', true, false], ['ip-hash, 95% high', true, '-1'], ['ip-hash', false, false],
      ['cache, 95% low', true, false], ['cache, 95% high', true, '-1'], ['cache', false, false],
    ]);
    // The cache-load chart has the cache's line only.
    expect(dataOf(html).charts.at(-1)!.config.data.datasets.map((d) => d.label)).toEqual(['cache, 95% low', 'cache, 95% high', 'cache']);
    expect(html).toContain('bands are 95% confidence intervals of the mean');
  });

  it('gives every chart a data table of means ± half the interval', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(html.match(/<details class="data-table">/g)).toHaveLength(sweep.metrics.length);
    expect(html).toContain('<tr><th scope="row">0</th><td>2.00%\u00a0±\u00a012.71%</td><td>0.00%\u00a0±\u00a00.00%</td></tr>');
  });

  it('draws a chart per combination of the other swept fields, on a category axis for values with units', () => {
    const points = [['20/s', '0'], ['20/s', '0.5'], ['50/s', '0'], ['50/s', '0.5']].map((values) => ({ values, summaries: [run(10, 100, '7')] }));
    const grid = buildSweep({ file: 'f.yaml', parameters: [{ path: 'arrivals.rate', values: ['20/s', '50/s'] }, NAT], replications: 1, options: {}, points }, META);
    const html = renderSweepHtml(grid, NO_ASSETS);
    expect(canvases(html)).toHaveLength(grid.metrics.length * 2);
    expect(html).toContain('<h3>Breakage rate against arrivals.rate at clients.nat.share=0.5</h3>');
    const chart = dataOf(html).charts[0]!.config;
    expect(chart.options.scales.x.type).toBe('category');
    expect(chart.data.labels).toEqual(['20/s', '50/s']);
    expect(chart.data.datasets.some((d) => d.band)).toBe(false);
    expect(html).toContain('One run per point');
  });

  it('shows user text as text and lets nothing but its own hashed scripts run', () => {
    const points = [EVIL, 'b'].map((value) => ({ values: [value], summaries: [summary([strategy(`x"><script>alert(1)</script>`)], { name: EVIL, description: EVIL })] }));
    const evil = buildSweep({ file: `${EVIL}.yaml`, parameters: [{ path: 'name', values: [EVIL, 'b'] }], replications: 1, options: {}, points }, META);
    const html = renderSweepHtml(evil, { chartJs: 'window.Chart = function () {};', annotationPlugin: '/* plugin */' });
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html.match(/<script\b/g)).toHaveLength(4);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt;');
    expect(/<script type="application\/json" id="lbsim-data">([\s\S]*?)<\/script>/.exec(html)![1]).not.toContain('<');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(/script-src ([^;]+);/.exec(csp)![1]!.split(' ')).toEqual(scripts.map(hash));
    expect(csp).toMatch(/^default-src 'none';/);
  });

  it('says how to run the sweep again, quoting what the shell would split', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(html).toContain('<pre class="command"><code>lbsim sweep shop.yaml --set clients.nat.share=0,0.5 --replications 2 --sessions 1000</code></pre>');
    const spaced = buildSweep({ file: 'my file.yaml', parameters: [{ path: 'proxy.nextUpstream', values: ['[error, timeout]', 'off'] }], replications: 1, options: {}, points: [['[error, timeout]'], ['off']].map((values) => ({ values, summaries: [run(1, 1, '1')] })) }, META);
    expect(renderSweepHtml(spaced, NO_ASSETS)).toContain('lbsim sweep &#39;my file.yaml&#39; --set &#39;proxy.nextUpstream=[error, timeout],off&#39;');
  });
});

describe('renderSweepTerminal', () => {
  it('prints the breakage rate and p95 at every point, strategies as columns', () => {
    expect(renderSweepTerminal(sweep).split('\n').slice(0, 6)).toEqual([
      'lbsim sweep — hand-made: clients.nat.share (2 values); 2 strategies, 2 replications per point',
      '',
      'breakage rate (mean ±95% interval)',
      'clients.nat.share         ip-hash          cache',
      '0                  2.00% ± 12.71%  0.00% ± 0.00%',
      '0.5                 5.00% ± 0.00%  0.00% ± 0.00%',
    ]);
  });
});
