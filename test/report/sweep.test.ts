/**
 * A sweep's figures, CSV, page and terminal from hand-made summaries: means and Student-t
 * intervals worked out by hand, metrics that do not apply left out, one CSV row per (point,
 * strategy), one chart per metric and combination of the other swept fields that changes, each
 * with its table and a sentence read from it, user text escaped, and the terminal showing what
 * changes. (The x axis: sweep-axis.test.ts; real runs: test/cli/sweep.test.ts; a browser: test/e2e.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSweep, meanInterval, NO_ASSETS, renderSweepCsv, renderSweepHtml, renderSweepTerminal, type Summary, type Sweep, type SweepOptions, type SweepParameter } from '../../src/report/index.js';
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
      { values: ['0.5'], summaries: [run(50, 200, '7/rep/0'), run(50, 240, '7/rep/1')] },
    ],
  },
  META,
);

/** A sweep of one run per point: `at(value, i)` is the summary at the i-th value of the one swept field. */
function sweepOf(parameter: SweepParameter, at: (value: string, i: number) => Summary, options: SweepOptions = {}): Sweep {
  return buildSweep({ file: 'f.yaml', parameters: [parameter], replications: 1, options, points: parameter.values.map((value, i) => ({ values: [value], summaries: [at(value, i)] })) }, META);
}

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

  it('records the grid, the seeds of each point, the options and the x axis', () => {
    expect(sweep).toMatchObject({ kind: 'sweep', scenario: { name: 'hand-made', file: 'shop.yaml' }, parameters: [NAT], replications: 2, options: { sessions: 1000 }, strategies: ['ip-hash', 'cache'], runTimeMs: 4321 });
    expect(sweep.axis).toEqual({ scale: 'linear', positions: [0, 0.5], unit: '' });
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
  /** sweep.csv's rows by column name (these values hold no commas or quotes). */
  const rowsOf = (csv: string) => {
    const [header, ...lines] = csv.trimEnd().split('\n').map((line) => line.split(','));
    return { header: header!, rows: lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!]))) };
  };

  it('is tidy: the swept paths, the strategy and the replications, then each figure with the bounds of its interval', () => {
    const { header } = rowsOf(renderSweepCsv(sweep));
    expect(header.slice(0, 9)).toEqual(['clients.nat.share', 'strategy', 'replications', 'breakageRate', 'breakageRate.ci95_low', 'breakageRate.ci95_high', 'sessions.broken', 'sessions.broken.ci95_low', 'sessions.broken.ci95_high']);
    expect(header).toHaveLength(3 + 3 * sweep.metrics.length);
  });

  it('has one row per point and strategy, a figure that does not apply left empty', () => {
    const { rows } = rowsOf(renderSweepCsv(sweep));
    expect(rows.map((r) => `${r['clients.nat.share']} ${r['strategy']}`)).toEqual(['0 ip-hash', '0 cache', '0.5 ip-hash', '0.5 cache']);
    expect(rows[0]).toMatchObject({ replications: '2', breakageRate: '2', 'breakageRate.ci95_low': '-10.706', 'breakageRate.ci95_high': '14.706', 'storeStats.opsPerSec': '' });
    // Cache load 200 and 240 at 0.5: mean 220, half-width 12.706 · 20.
    expect(rows[3]).toMatchObject({ 'storeStats.opsPerSec': '220', 'storeStats.opsPerSec.ci95_low': '-34.12', 'storeStats.opsPerSec.ci95_high': '474.12' });
  });

  it('leaves the interval empty with one replication: one run gives none', () => {
    const single = sweepOf(NAT, (_, i) => run(10 * i, 100, '7'));
    const { rows } = rowsOf(renderSweepCsv(single));
    expect(rows[2]).toMatchObject({ 'clients.nat.share': '0.5', strategy: 'ip-hash', replications: '1', 'sessions.broken': '10', 'sessions.broken.ci95_low': '', 'sessions.broken.ci95_high': '' });
  });
});

describe('renderSweepHtml', () => {
  const EVIL = '<img src=x onerror="window.__pwned = 1">';
  const canvases = (html: string) => [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]!);
  type Dataset = { label: string; band?: boolean; fill?: unknown; data: (number | null | { x: number; y: number | null })[] };
  type Config = { data: { labels?: string[]; datasets: Dataset[] }; options: { scales: { x: { type: string; title: { text: string } } } } };
  const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="lbsim-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { charts: { id: string; config: Config }[] };
  const chart = (html: string, id: string) => dataOf(html).charts.find((c) => c.id === id)!.config;
  /** The sentences under a chart. */
  const reading = (html: string, id: string) => new RegExp(`<canvas id="${id}"[^>]*></canvas></div>\n<div class="explain"><p>([^<]*)</p>`).exec(html)?.[1];
  const index = (id: string) => sweep.metrics.findIndex((m) => m.id === id);

  it('draws a chart for each figure that changes across the grid, and names those that do not', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(canvases(html)).toEqual(['breakageRate', 'sessions.broken', 'failoverLoss.sessions', 'sessions.completed', 'storeStats.opsPerSec'].map((id) => `chart-sweep-${index(id)}-0`));
    expect(html).toContain('<p>Not charted, the same at every point: load skew: max / mean (1.050 for every strategy), load skew: CV (0.050 for every strategy), mean response time (36.0 ms for every strategy), p95 response time (90.0 ms for every strategy), p99 response time (150.0 ms for every strategy) and revenue (6,000.00 for every strategy).</p>');
    expect(html).not.toContain('<h2 id="metric-5-title">');
  });

  it('draws one line per strategy with a band around it, and only the strategies a figure applies to', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(chart(html, 'chart-sweep-0-0').data.datasets.map((d) => [d.label, d.band ?? false, d.fill])).toEqual([
      ['ip-hash, 95% low', true, false], ['ip-hash, 95% high', true, '-1'], ['ip-hash', false, false],
      ['cache, 95% low', true, false], ['cache, 95% high', true, '-1'], ['cache', false, false],
    ]);
    expect(chart(html, `chart-sweep-${index('storeStats.opsPerSec')}-0`).data.datasets.map((d) => d.label)).toEqual(['cache, 95% low', 'cache, 95% high', 'cache']);
    expect(html).toContain('bands are 95% confidence intervals of the mean');
  });

  it('reads each chart in a sentence: the line that moves most, whether it moves beyond the noise, and the others', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(reading(html, 'chart-sweep-0-0')).toBe('ip-hash rises from 2.00% at clients.nat.share=0 to 5.00% at 0.5 (within the noise: the 95% intervals at those two points overlap); cache stays at 0.00%.');
    // Completed sessions: ip-hash 490 then 475 (500 less half the broken); the cache's 500 throughout.
    expect(reading(html, `chart-sweep-${index('sessions.completed')}-0`)).toBe('ip-hash falls by less than 5%, from 490 at clients.nat.share=0 to 475 at 0.5 (within the noise: the 95% intervals at those two points overlap); cache stays at 500.');
    // Breakage 1.0% and 1.2% (1.1 ± 1.27), then 5.0% and 5.2% (5.1 ± 1.27).
    const tight = buildSweep({ file: 'f.yaml', parameters: [NAT], replications: 2, options: {}, points: [[10, 12], [50, 52]].map((broken, i) => ({ values: [NAT.values[i]!], summaries: broken.map((b) => run(b, 100, '7')) })) }, META);
    expect(reading(renderSweepHtml(tight, NO_ASSETS), 'chart-sweep-0-0')).toBe('ip-hash rises from 1.10% at clients.nat.share=0 to 5.10% at 0.5 (beyond the noise: the 95% intervals at those two points do not overlap); cache stays at 0.00%.');
    const wobbly = sweepOf({ path: 'clients.nat.share', values: ['0', '0.2', '0.4'] }, (_, i) => summary([strategy('a', { broken: { 'ip-changed': [10, 30, 20][i]! } }), strategy('b', { broken: { 'ip-changed': [5, 10, 5][i]! } }), strategy('c'), strategy('d')]));
    expect(reading(renderSweepHtml(wobbly, NO_ASSETS), 'chart-sweep-0-0')).toBe('a moves most, between 1.00% at clients.nat.share=0 and 3.00% at 0.2; b also moves, by up to 0.50%; c and d stay at 0.00%.');
    // Mean response time 1.2 × p50: 36.0 ms, then 36.6 ms (under 2% more).
    const slight = sweepOf(NAT, (_, i) => summary([strategy('a', { p50: 30 + i * 0.5 })]));
    expect(reading(renderSweepHtml(slight, NO_ASSETS), 'chart-sweep-5-0')).toBe('a rises by less than 5%, from 36.0 ms at clients.nat.share=0 to 36.6 ms at 0.5.');
  });

  it('gives every chart a data table of means ± half the interval', () => {
    const html = renderSweepHtml(sweep, NO_ASSETS);
    expect(html.match(/<details class="data-table">/g)).toHaveLength(canvases(html).length);
    expect(html).toContain('<tr><th scope="row">0</th><td>2.00%\u00a0±\u00a012.71%</td><td>0.00%\u00a0±\u00a00.00%</td></tr>');
  });

  /** The cache's mean response time grows with the round trip; ip-hash's does not. */
  const ROUND_TRIP: SweepParameter = { path: 'stores.shared.roundTrip', values: ['1ms', '2ms', '5ms', '10ms'] };
  const byRoundTrip = (options: SweepOptions = {}) => sweepOf(ROUND_TRIP, (value) => summary([strategy('ip-hash'), strategy('cache', { p50: 30 + Number.parseInt(value, 10) })]), options);

  it('places values with units at their size on a linear axis: 1ms, 2ms, 5ms and 10ms at 1, 2, 5 and 10', () => {
    const html = renderSweepHtml(byRoundTrip(), NO_ASSETS);
    const latency = chart(html, 'chart-sweep-5-0');
    expect(latency.options.scales.x).toMatchObject({ type: 'linear', title: { text: 'stores.shared.roundTrip, ms' } });
    expect(latency.data.labels).toBeUndefined();
    expect(latency.data.datasets.map((d) => d.data)).toEqual([
      [{ x: 1, y: 36 }, { x: 2, y: 36 }, { x: 5, y: 36 }, { x: 10, y: 36 }],
      [{ x: 1, y: 37.2 }, { x: 2, y: 38.4 }, { x: 5, y: 42 }, { x: 10, y: 48 }],
    ]);
    expect(html).toContain('<p>The values of stores.shared.roundTrip sit at their size on a linear x axis, in ms.</p>');
    expect(reading(html, 'chart-sweep-5-0')).toBe('cache rises from 37.2 ms at stores.shared.roundTrip=1ms to 48.0 ms at 10ms; ip-hash stays at 36.0 ms.');
  });

  it('draws a log axis with --log, and says why when the values cannot have one', () => {
    const logged = renderSweepHtml(byRoundTrip({ log: true }), NO_ASSETS);
    expect(chart(logged, 'chart-sweep-5-0').options.scales.x.type).toBe('logarithmic');
    expect(logged).toContain('sit at their size on a log x axis, in ms.');
    const fromZero = renderSweepHtml(sweepOf(NAT, (_, i) => run(10 * i, 100, '7'), { log: true }), NO_ASSETS);
    expect(chart(fromZero, 'chart-sweep-0-0').options.scales.x.type).toBe('linear');
    expect(fromZero).toContain('<p>--log: a log axis cannot place 0 (of clients.nat.share), so the charts keep a linear axis.</p>');
  });

  it('keeps values that are not quantities as categories, one step each as typed', () => {
    const upstream = sweepOf({ path: 'proxy.nextUpstream', values: ['[error, timeout]', 'off'] }, (_, i) => run(10 * i, 100, '7'));
    const html = renderSweepHtml(upstream, NO_ASSETS);
    const breakage = chart(html, 'chart-sweep-0-0');
    expect(breakage.options.scales.x.type).toBe('category');
    expect(breakage.data.labels).toEqual(['[error, timeout]', 'off']);
    expect(breakage.data.datasets[0]!.data).toEqual([0, 1]);
    expect(html).toContain('The values of proxy.nextUpstream are not quantities: each has one step on the x axis, in the order given.');
  });

  it('draws a chart per combination of the other swept fields where a line moves, and names the others', () => {
    // ip-hash breaks more at the higher rate only where the NAT share is 0.5.
    const grid = [['20/s', '0', 10], ['20/s', '0.5', 10], ['50/s', '0', 10], ['50/s', '0.5', 30]] as const;
    const points = grid.map(([rate, share, broken]) => ({ values: [rate, share], summaries: [run(broken, 100, '7')] }));
    const swept = buildSweep({ file: 'f.yaml', parameters: [{ path: 'arrivals.rate', values: ['20/s', '50/s'] }, NAT], replications: 1, options: {}, points }, META);
    const html = renderSweepHtml(swept, NO_ASSETS);
    expect(canvases(html)).toEqual(['chart-sweep-0-1', 'chart-sweep-1-1', 'chart-sweep-2-1', 'chart-sweep-8-1']);
    expect(html).toContain('<h3>Breakage rate against arrivals.rate at clients.nat.share=0.5</h3>');
    expect(html).toContain('<p>Not charted, the same at every value of arrivals.rate: at clients.nat.share=0.</p>');
    const breakage = chart(html, 'chart-sweep-0-1');
    expect(breakage.options.scales.x).toMatchObject({ type: 'linear', title: { text: 'arrivals.rate, /s' } });
    expect(breakage.data.datasets[0]!.data).toEqual([{ x: 20, y: 1 }, { x: 50, y: 3 }]);
    expect(breakage.data.datasets.some((d) => d.band)).toBe(false);
    expect(html).toContain('One run per point');
  });

  it('shows user text as text and lets nothing but its own hashed scripts run', () => {
    const points = [EVIL, 'b'].map((value, i) => ({ values: [value], summaries: [summary([strategy(`x"><script>alert(1)</script>`, { broken: { 'ip-changed': i } })], { name: EVIL, description: EVIL })] }));
    const evil = buildSweep({ file: `${EVIL}.yaml`, parameters: [{ path: 'name', values: [EVIL, 'b'] }], replications: 1, options: {}, points }, META);
    const html = renderSweepHtml(evil, { chartJs: 'window.Chart = function () {};', annotationPlugin: '/* plugin */' });
    expect(canvases(html).length).toBeGreaterThan(0);
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
    expect(renderSweepHtml(byRoundTrip({ metrics: ['skew.requestsCv', 'latencyMs.p95'], log: true }), NO_ASSETS)).toContain('--set stores.shared.roundTrip=1ms,2ms,5ms,10ms --metric skew.requestsCv --metric latencyMs.p95 --log</code>');
  });
});

describe('renderSweepTerminal', () => {
  /** A NAT-share sweep: ip-hash piles the NAT users onto fewer backends as their share grows; nothing ever breaks. */
  const natShare = (options: SweepOptions = {}) =>
    sweepOf({ path: 'clients.nat.share', values: ['0', '0.3', '0.6'] }, (_, i) => summary([strategy('ip-hash', { skew: { requestsMaxOverMean: [1.05, 1.6, 2.5][i]!, requestsCv: [0.05, 0.3, 0.7][i]! } }), strategy('cookie')]), options);

  it('shows by default the figures that change across the grid, never one that is the same everywhere', () => {
    expect(renderSweepTerminal(natShare())).toBe([
      'lbsim sweep — hand-made: clients.nat.share (3 values); 2 strategies, 1 replication per point',
      'The figures that change by 5% or more across the grid (for some strategy). --metric NAME shows others; sweep.csv has every figure.',
      'The same at every point: breakage rate, broken sessions, failover loss, mean response time, p95 response time, p99 response time, completed sessions and revenue.',
      '',
      'load skew: max / mean',
      'clients.nat.share  ip-hash  cookie',
      '0                    1.050   1.050',
      '0.3                  1.600   1.050',
      '0.6                  2.500   1.050',
      '',
    ].join('\n'));
  });

  it('shows one figure of each group of related ones (the breakage rate, not the broken sessions too), and names those that hardly change', () => {
    const lines = renderSweepTerminal(sweep).split('\n');
    const headings = lines.filter((line, i) => line !== '' && lines[i - 1] === '');
    expect(headings).toEqual(['breakage rate (mean ±95% interval)', 'shared-cache load (mean ±95% interval)']);
    // Completed sessions: 490 then 475, 3% apart.
    expect(lines).toContain('Changing by less than 5%: completed sessions.');
    expect(lines.slice(5, 9)).toEqual([
      'breakage rate (mean ±95% interval)',
      'clients.nat.share         ip-hash          cache',
      '0                  2.00% ± 12.71%  0.00% ± 0.00%',
      '0.5                 5.00% ± 0.00%  0.00% ± 0.00%',
    ]);
  });

  it('falls back to the figure that changes most when none changes by 5%, and says when nothing changes at all', () => {
    const slight = sweepOf(NAT, (_, i) => summary([strategy('a', { p50: 30 + i * 0.3 })]));
    const text = renderSweepTerminal(slight);
    expect(text).toContain('\nNo figure changes by 5% or more across the grid; this one changes most. --metric NAME shows others; sweep.csv has every figure.\n');
    expect(text.match(/^(mean|p95|p99) response time$/gm)).toHaveLength(1);
    const still = renderSweepTerminal(sweepOf(NAT, () => summary([strategy('a')])));
    expect(still.split('\n').slice(1)).toEqual(['No figure changes across the grid: every one is the same at every point. --metric NAME shows others; sweep.csv has every figure.', '']);
  });

  it('shows the figures named with --metric, in their order, and says why one has no table', () => {
    const lines = renderSweepTerminal(natShare(), ['skew.requestsCv', 'requests.lostUpdates', 'breakageRate']).split('\n');
    expect(lines.slice(1, 8)).toEqual(['', 'load skew: CV', 'clients.nat.share  ip-hash  cookie', '0                    0.050   0.050', '0.3                  0.300   0.050', '0.6                  0.700   0.050', '']);
    expect(lines.slice(8, 11)).toEqual(['lost updates: zero in every run of this sweep', '', 'breakage rate']);
    expect(lines).not.toContain('The same at every point: breakage rate, broken sessions, failover loss, mean response time, p95 response time, p99 response time, completed sessions and revenue.');
  });

  it('says when --log cannot be followed', () => {
    expect(renderSweepTerminal(natShare({ log: true }))).toContain('\n--log: a log axis cannot place 0 (of clients.nat.share), so the charts keep a linear axis.\n');
  });
});
