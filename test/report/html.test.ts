/**
 * The HTML page as markup: user text is escaped everywhere, the data travels as inert JSON,
 * the Content-Security-Policy admits exactly the page's own scripts, the headline table marks
 * the best value per row and carries the exact numbers, and optional sections appear only with
 * their data. (What a browser makes of the page is test/e2e/report.browser.test.ts.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NO_ASSETS, renderHtml, type Summary } from '../../src/report/index.js';
import { HEADLINE_ROWS, valueAt } from '../../src/report/html/headline.js';
import { requestsFromShares, strategy, summary } from './fixtures.js';

const EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

function dataBlock(html: string): string {
  const match = /<script type="application\/json" id="lbsim-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no data block');
  return match[1]!;
}

/** Headline cells as { metric, run, strategy, value, best }. */
function headlineCells(html: string) {
  return [...html.matchAll(/<td class="num( best)?" data-metric="([^"]+)" data-run="(\d+)" data-strategy="([^"]*)" data-value="([^"]*)"[^>]*>/g)].map((m) => ({ best: m[1] !== undefined, metric: m[2]!, run: Number(m[3]), strategy: m[4]!, value: Number(m[5]) }));
}

const bestOf = (html: string, metric: string) => headlineCells(html).filter((c) => c.metric === metric && c.best).map((c) => c.strategy);

describe('renderHtml: safety', () => {
  const evil = summary([strategy(`x"><script>alert(1)</script>`, { description: EVIL }), strategy('b')], { description: EVIL, name: `shop <b onmouseover=alert(1)>` });
  const html = renderHtml([evil], { chartJs: 'window.Chart = function () {};', annotationPlugin: '/* plugin */' });

  it('shows scenario and strategy text as text: no injected element, no event-handler attribute', () => {
    expect(html.match(/<script\b/g)).toHaveLength(4); // the JSON block, Chart.js, the plugin, the page's own script
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/<b onmouseover/);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;');
  });

  it('puts the data in an inert JSON block where no < can close it, and it parses back exactly', () => {
    const block = dataBlock(html);
    expect(block).not.toContain('<');
    const data = JSON.parse(block) as { charts: { id: string; config: unknown }[]; summaries: Summary[] };
    expect(data.summaries[0]!.scenario.description).toBe(EVIL);
    expect(data.summaries[0]!.strategies[0]!.name).toBe(`x"><script>alert(1)</script>`);
    const canvases = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]);
    expect(data.charts.map((c) => c.id)).toEqual(canvases);
  });

  it('allows, by hash, exactly the page’s inline scripts and stylesheet; nothing may load', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toMatch(/^default-src 'none';/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(3);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(/script-src ([^;]+);/.exec(csp)![1]!.split(' ')).toEqual(scripts.map(hash));
    expect(csp).toContain(`style-src ${hash(/<style>([\s\S]*?)<\/style>/.exec(html)![1]!)}`);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
  });

  it('inlines library code so that a "</script" inside it cannot end the element', () => {
    const page = renderHtml([summary([strategy('a')])], { chartJs: 'var s = "</script><script>alert(1)</script>";\n//# sourceMappingURL=chart.umd.js.map', annotationPlugin: '' });
    expect(page).toContain('var s = "<\\/script><script>alert(1)<\\/script>";');
    expect(page).not.toContain('sourceMappingURL');
  });
});

describe('renderHtml: headline table', () => {
  // a broke 100 sessions (10%), b and c none: b and c share the best breakage rate. c earned the most.
  // Nobody had a failed request: that row, equal everywhere, marks no one. a is fastest (p50 20 ms),
  // but it breaks more than 5 points above the best: b (35 ms) gets the latency star.
  const s = summary([strategy('a', { broken: { 'state-missing': 100 }, p50: 20 }), strategy('b', { p50: 35 }), strategy('c', { p50: 40, revenue: 9000 })]);
  const html = renderHtml([s], NO_ASSETS);

  it('marks the best value of each row, ties shared, equal rows unmarked', () => {
    expect(bestOf(html, 'breakageRate')).toEqual(['b', 'c']);
    expect(bestOf(html, 'latencyMs.p50')).toEqual(['b']);
    expect(bestOf(html, 'revenue')).toEqual(['c']);
    expect(bestOf(html, 'requests.failed')).toEqual([]);
    expect(bestOf(html, 'sessions.total')).toEqual([]);
    expect(html).toMatch(/data-value="0" data-label="[^"]*">0\.0%<span class="mark" aria-hidden="true">★<\/span><span class="visually-hidden"> \(best\)<\/span><\/td>/);
  });

  it('treats values that print the same as equal', () => {
    // CVs of 0.0000012 and 0.0000009 both print 0.000: no mark, though the raw values differ.
    const tiny = (cv: number) => ({ requestsMaxOverMean: 1 + cv, requestsCv: cv });
    const page = renderHtml([summary([strategy('a', { skew: tiny(0.0000012) }), strategy('b', { skew: tiny(0.0000009) })])], NO_ASSETS);
    expect(bestOf(page, 'skew.requestsCv')).toEqual([]);
    expect(bestOf(page, 'skew.requestsMaxOverMean')).toEqual([]);
    expect(page).not.toContain('Load was most even');
  });

  it('carries the exact summary value of every cell in data-value', () => {
    const cells = headlineCells(html);
    // Rows shown only when non-zero (lost updates, lock waits) are left out: no strategy here has them.
    expect(cells).toHaveLength(HEADLINE_ROWS.filter((r) => !r.whenNonZero).length * 3);
    for (const cell of cells) expect(cell.value).toBe(valueAt(s.strategies.find((x) => x.name === cell.strategy)!, { path: cell.metric }));
  });
});

describe('renderHtml: sections follow the data', () => {
  it('has no timeline section without per-window series', () => {
    const html = renderHtml([summary([strategy('a'), strategy('b')])], NO_ASSETS);
    expect(html).not.toContain('id="timeline"');
    expect(html).toContain('id="scenario"');
  });

  it('draws a timeline with the events annotated when the summary carries one', () => {
    const windows = Array.from({ length: 1000 }, (_, w) => ({ startMs: w * 100, requestsPerBackend: [1, 2, 3, 4, 5, 6, 7, 8], breaks: w === 500 ? 7 : 0 }));
    const timeline = { windowMs: 100, windows, events: [{ atMs: 50_000, label: 'app4:80 refused <connections>' }] };
    const html = renderHtml([summary([strategy('a', { timeline }), strategy('b')])], NO_ASSETS);
    expect(html).toContain('id="timeline"');
    const data = JSON.parse(dataBlock(html)) as { charts: { id: string; config: { data: { datasets: { data: { x: number; y: number }[] }[] }; options: { plugins: { annotation: { annotations: Record<string, { xMin: number }> }; lbsimEventLabels: { labels: { x: number; text: string }[] } } } } }[] };
    const breaks = data.charts.find((c) => c.id === 'chart-timeline-breaks')!;
    // 1,000 windows of 100 ms merge by 5 into 200 points of 500 ms; the 7 breaks of window 500 land in point 100 (t = 50 s).
    expect(breaks.config.data.datasets[0]!.data).toHaveLength(200);
    expect(breaks.config.data.datasets[0]!.data[100]).toEqual({ x: 50, y: 7 });
    expect(Object.values(breaks.config.options.plugins.annotation.annotations)).toMatchObject([{ xMin: 50 }]);
    expect(breaks.config.options.plugins.lbsimEventLabels.labels).toEqual([{ x: 50, text: 'app4:80 refused <connections>' }]);
    const requests = data.charts.find((c) => c.id === 'chart-timeline-requests-0')!;
    expect(requests.config.data.datasets[7]!.data[0]).toEqual({ x: 0, y: 40 }); // 5 windows × 8 attempts to app8
  });

  it('leaves out the breakage chart, with a sentence, when nothing broke', () => {
    const html = renderHtml([summary([strategy('a'), strategy('b')])], NO_ASSETS);
    expect(html).not.toContain('id="chart-breakage"');
    expect(html).toContain('No strategy broke a session');
  });

  it('renders a summary written before the setup fields existed, saying what is missing', () => {
    const old = summary([strategy('a'), strategy('b')]);
    const { setup: _setup, ...scenario } = old.scenario;
    const stripped = { ...old, scenario, strategies: old.strategies.map(({ balancer: _b, stickyCookie: _c, ...rest }) => rest) };
    const html = renderHtml([stripped], NO_ASSETS);
    expect(html).toContain('written before lbsim recorded the scenario');
    expect(html).toContain('id="chart-load-0"');
  });

  it('compares several runs: columns named by what differs, one colour per strategy, runs told apart by dashes', () => {
    const html = renderHtml([summary([strategy('a'), strategy('b', { backends: requestsFromShares([0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]) })]), summary([strategy('a'), strategy('b')], { seed: '8' })], NO_ASSETS);
    const data = JSON.parse(dataBlock(html)) as { charts: { id: string; config: { data: { datasets: { label: string; borderColor: string; borderDash?: number[] }[] } } }[] };
    const funnel = data.charts.find((c) => c.id === 'chart-funnel')!.config.data.datasets;
    expect(funnel.map((d) => d.label)).toEqual(['a · seed 7', 'b · seed 7', 'a · seed 8', 'b · seed 8']);
    expect(funnel[0]!.borderColor).toBe(funnel[2]!.borderColor);
    expect(funnel[0]!.borderColor).not.toBe(funnel[1]!.borderColor);
    expect(funnel[0]!.borderDash).toEqual([]);
    expect(funnel[2]!.borderDash).not.toEqual([]);
    expect(html).toContain('<h3>hand-made, seed 8</h3>');
  });

  it('refuses to render nothing', () => {
    expect(() => renderHtml([], NO_ASSETS)).toThrow(/no summaries/);
  });
});

describe('renderHtml: one user\'s story', () => {
  const request = (step: string, sentAtMs: number, backends: readonly string[], stateAfter: string | null) => ({
    step,
    sentAtMs,
    attempts: backends.map((b, i) => ({ backend: b, ok: i === backends.length - 1 })),
    status: 200,
    latencyMs: 12.5,
    stateAfter,
  });
  const sample = {
    seed: '7/rep/0',
    session: 12,
    client: '<img src=x onerror=alert(1)>',
    arrivalMs: 1234,
    strategies: [
      { strategy: 'sticky', requests: [request('home', 1234, ['app1:80'], 'memory of app1:80'), request('search', 6000, ['app1:80', 'app2:80'], 'memory of app1:80')], outcome: 'broken' as const, cause: 'backend-failed' as const, endedAtMs: 6012.5 },
      { strategy: 'shared', requests: [request('home', 1234, ['app3:80'], 'shared cache')], outcome: 'completed' as const, cause: null, endedAtMs: 1246.5 },
    ],
  };

  it('follows the sample session under every strategy, with its fate in words', () => {
    const html = renderHtml([summary([strategy('sticky'), strategy('shared')], { sampleSession: sample })], NO_ASSETS);
    expect(html).toContain('<a href="#story">One user&#39;s story</a>');
    expect(html).toContain('Session 12, from &lt;img src=x onerror=alert(1)&gt;, arrived at 1.23 s: the first session any strategy broke. sticky — broken at search: backend-failed; shared — completed.');
    expect(html).toContain('<caption>sticky — broken at search: backend-failed</caption>');
    // The failed attempt is marked, then the retry that answered.
    expect(html).toContain('<td>app1:80 ✗ → app2:80</td>');
    // The seed the story was traced under (a replicated run's first), not the scenario's.
    expect(html).toContain('lbsim trace &lt;scenario&gt; --session N --seed 7/rep/0, with the run');
    expect(html).not.toContain('<img src=x');
  });

  it('is left out when no session broke, and when several runs are compared', () => {
    expect(renderHtml([summary([strategy('a')], { sampleSession: null })], NO_ASSETS)).not.toContain('id="story"');
    const one = summary([strategy('sticky'), strategy('shared')], { sampleSession: sample });
    expect(renderHtml([one, { ...one, seed: '8' }], NO_ASSETS)).not.toContain('id="story"');
  });
});
