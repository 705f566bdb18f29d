/**
 * Output stays bounded whatever the scenario stretches: per-window series merge their windows past
 * LIMITS.seriesWindows and say so, and past LIMITS.backendDetail backends the summary lists the
 * busiest and least busy by name with the spread of every figure, the series keep totals, and
 * the report and timeseries.csv read that shape.
 */
import { describe, expect, it } from 'vitest';
import { buildSummary, NO_ASSETS, parseSummaryText, renderHtml, renderJson, renderTimeseriesCsv, type Summary } from '../../src/report/index.js';
import { runScenario } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const META = { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00Z', runTimeMs: 1 };
const summaryOf = (yaml: string): Summary => buildSummary(runScenario(scenarioFrom(yaml)), META);

const SHORT_RUN = `
name: stretched
sessions: 50
arrivals: { rate: 10/s }
journey: { thinkTime: 100ms, steps: [{ name: only, service: 5ms }] }
backends: { count: 2, name: "10.0.0.{n}:80" }
strategies: [{ name: rr, balancer: { method: round-robin }, store: local }]
`;

describe('a run that stretches simulated time', () => {
  it('an event a day into a 5-second run: at most 1000 windows, the coarsening stated', () => {
    // The 5 s arrival window asks for 100 ms windows; a day needs 864,000 of them. Doubling 100 ms
    // ten times gives 102.4 s, and 1000 windows of that span 28.4 h: the first width that covers the day.
    const summary = summaryOf(`${SHORT_RUN}timeline: [{ at: 1d, backend: "10.0.0.1:80", mode: refused }]\n`);
    const timeline = summary.strategies[0]!.timeline!;
    expect(timeline.coarsenedFromMs).toBe(100);
    expect(timeline.windowMs).toBe(102_400);
    expect(timeline.windows.length).toBeLessThanOrEqual(1000);
    expect(timeline.windows.reduce((n, w) => n + w.requestsPerBackend[0]! + w.requestsPerBackend[1]!, 0)).toBe(summary.strategies[0]!.requests.attempts);
  });

  it('a window of 1us asked for: merged until 1000 windows cover the run', () => {
    const timeline = summaryOf(`${SHORT_RUN}timeseries: { window: 1us }\n`).strategies[0]!.timeline!;
    expect(timeline.coarsenedFromMs).toBe(0.001);
    expect(timeline.windows.length).toBeLessThanOrEqual(1000);
  });
});

describe('past the backends the output details', () => {
  const summary = summaryOf(`
name: many
sessions: 400
arrivals: { rate: 100/s }
journey: { thinkTime: 100ms, steps: [{ name: only, service: 5ms }] }
backends: { count: 150, name: "10.0.{n}.1:80" }
strategies: [{ name: ip-hash, balancer: { method: ip-hash }, store: local }]
`);
  const strategy = summary.strategies[0]!;

  it('lists the 10 busiest and the 10 least busy backends, and the spread over all 150', () => {
    expect(strategy.backends).toHaveLength(20);
    const requests = strategy.backends.map((b) => b.requests);
    expect(requests).toEqual([...requests].sort((a, b) => b - a));
    expect(strategy.backendsSummary).toMatchObject({ count: 150, shown: 20, requests: { total: strategy.requests.attempts, max: requests[0], min: requests[19] } });
  });

  it('keeps per-window totals over the backends instead of one count each', () => {
    const windows = strategy.timeline!.windows;
    expect(windows.every((w) => w.requestsPerBackend.length === 0 && w.sessionsPerBackend?.length === 0)).toBe(true);
    expect(windows.reduce((n, w) => n + w.requests!, 0)).toBe(strategy.requests.attempts);
  });

  it('reads back, renders, and writes timeseries.csv with totals in place of per-backend columns', () => {
    const read = parseSummaryText(renderJson(summary), 'many.json');
    expect(read.ok).toBe(true);
    expect(() => renderHtml([summary], NO_ASSETS)).not.toThrow();
    const [header, first] = renderTimeseriesCsv(summary).split('\n');
    expect(header).toMatch(/^strategy,startMs,requests,sessions,breaks,/);
    expect(first!.split(',')).toHaveLength(header!.split(',').length);
  });
});
