/**
 * The per-window series on a scenario with a crash: windows cover the run, sum to the run's
 * totals, show the crash as an event at its time and the dead backend's traffic stopping.
 */
import { describe, expect, it } from 'vitest';
import { defaultWindowMs, runAnalyzers } from '../../src/analyzers/index.js';
import { deliver, type SimEvent } from '../../src/model/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = scenarioFrom(`
name: series
seed: 5
sessions: 2000
arrivals: { rate: 40/s }
backends: { count: 4, name: "10.0.0.{n}:80" }
timeline: [{ at: 20s, backend: "10.0.0.3:80", mode: refused }]
timeseries: { window: 5s }
strategies: [{ name: ip-hash, balancer: { method: ip-hash }, store: local }]
`);

describe('TimeSeriesAnalyzer', () => {
  const result = runStrategy(scenario, scenario.strategies[0]!);
  const { series } = result;

  it('covers the run in fixed windows whose sums are the run totals', () => {
    expect(series.windowMs).toBe(5000);
    expect(series.windows.length).toBe(Math.floor(result.facts.endTimeMs / 5000) + 1);
    const attempts = series.windows.reduce((n, w) => n + w.requestsPerBackend.reduce((a, b) => a + b, 0), 0);
    expect(attempts).toBe(result.requests.attempts);
    expect(series.windows.reduce((n, w) => n + w.breaks, 0)).toBe(result.outcomes.sessions.broken);
    expect(series.windows.reduce((n, w) => n + w.failedRequests, 0)).toBe(result.requests.failed);
    // No session is alive once the run has drained.
    expect(series.windows.at(-1)!.sessionsPerBackend).toEqual([0, 0, 0, 0]);
  });

  it('records the crash at its time, and the dead backend gets (almost) nothing afterwards', () => {
    expect(series.events).toEqual([{ atMs: 20_000, backend: 2, change: { kind: 'mode', mode: 'refused' } }]);
    const before = series.windows[2]!.requestsPerBackend[2]!;
    const after = series.windows.slice(5, 10).reduce((n, w) => n + w.requestsPerBackend[2]!, 0);
    expect(before).toBeGreaterThan(50);
    // One probe per fail_timeout window (10 s) at most: a handful over 25 s.
    expect(after).toBeLessThanOrEqual(5);
    const broken = series.windows[4]!.breaksByCause['backend-failed'] ?? 0;
    expect(broken).toBeGreaterThan(0);
  });

  it('picks a readable default window giving at most about 200 windows', () => {
    expect(defaultWindowMs(100_000)).toBe(500);
    expect(defaultWindowMs(3_600_000)).toBe(30_000);
    expect(defaultWindowMs(1)).toBe(100);
  });
});

describe('live sessions per backend', () => {
  const start = (t: number, slot: number): SimEvent => ({ type: 'session-start', t, session: slot, slot });
  const served = (t: number, slot: number, backend: number): SimEvent => ({ type: 'request-end', t, req: t, session: slot, slot, step: 0, backend, outcome: 'completed', status: 200, latencyMs: 1, lockWaitMs: 0, lockTimedOut: false, lostUpdates: 0 });
  const end = (t: number, slot: number): SimEvent => ({ type: 'session-end', t, session: slot, slot, outcome: 'completed', cause: undefined, stepsCompleted: 1, cartFilled: false, orderValue: 0, plannedToPay: true });

  it('a window shows the sessions each backend held at its end, before the first event after it', () => {
    // Windows of 10 ms over 2 backends. Session 0 lives on backend 0, then moves to 1 at t = 10,
    // the first event of the second window: the first window still ends with it on backend 0.
    const analyzers = runAnalyzers(1, 2, 10, { maxWindows: 1000, perBackend: true });
    for (const event of [start(0, 0), served(1, 0, 0), start(2, 1), served(3, 1, 0), served(10, 0, 1), end(15, 1), end(25, 0)]) deliver(analyzers.handlers, event);
    const { series, load } = analyzers.finish(25);
    expect(series.windows.map((w) => w.sessionsPerBackend)).toEqual([
      [2, 0],
      [0, 1],
      [0, 0],
    ]);
    // The peaks: two sessions at once on backend 0, one on backend 1.
    expect(load.backends.map((b) => b.peakSessions)).toEqual([2, 1]);
  });
});

describe('a run that stretches time keeps a bounded number of windows', () => {
  const start = (t: number, slot: number): SimEvent => ({ type: 'session-start', t, session: slot, slot });
  const attempt = (t: number, backend: number): SimEvent => ({ type: 'attempt-end', t, req: 0, backend, ok: true, backendDown: false });

  it('merges neighbouring windows in pairs, doubling the window, when it would pass the most it keeps', () => {
    // Windows of 10 ms, at most 4. Attempts at 5, 15, 25, 35 fill windows 0-3; the one at 45 needs
    // a fifth: pairs merge into [0, 20) and [20, 40) (2 attempts each), and [40, 60) opens.
    const analyzers = runAnalyzers(1, 2, 10, { maxWindows: 4, perBackend: true });
    for (const event of [start(0, 0), attempt(5, 0), attempt(15, 1), attempt(25, 0), attempt(35, 0), attempt(45, 1)]) deliver(analyzers.handlers, event);
    const { series } = analyzers.finish(50);
    expect(series.windowMs).toBe(20);
    expect(series.coarsenedFromMs).toBe(10);
    expect(series.windows.map((w) => [w.startMs, w.requestsPerBackend])).toEqual([
      [0, [1, 1]],
      [20, [2, 0]],
      [40, [0, 1]],
    ]);
  });

  it('an event a day after a 10 ms window keeps at most the windows allowed, every attempt counted', () => {
    const analyzers = runAnalyzers(1, 2, 10, { maxWindows: 1000, perBackend: true });
    for (const event of [start(0, 0), attempt(5, 0), attempt(86_400_000, 1)]) deliver(analyzers.handlers, event);
    const { series } = analyzers.finish(86_400_000);
    expect(series.windows.length).toBeLessThanOrEqual(1000);
    // 10 ms doubled until 1000 windows span a day: 10 × 2^14 = 163,840 ms (1000 × that ≥ 86,400,000).
    expect(series.windowMs).toBe(163_840);
    expect(series.windows.reduce((n, w) => n + w.requestsPerBackend[0]! + w.requestsPerBackend[1]!, 0)).toBe(2);
  });

  it('past the backends it details, a window holds totals over the backends instead of one count each', () => {
    const analyzers = runAnalyzers(1, 3, 10, { maxWindows: 1000, perBackend: false });
    for (const event of [start(0, 0), attempt(1, 0), attempt(2, 2), attempt(3, 2)]) deliver(analyzers.handlers, event);
    const { series } = analyzers.finish(5);
    expect(series.windows).toEqual([expect.objectContaining({ requestsPerBackend: [], sessionsPerBackend: [], requests: 3, sessions: 0 })]);
  });
});
