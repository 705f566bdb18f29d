/**
 * Warm-up: the run starts `warmup` before time 0 and measurement begins at 0, with the system
 * already full. Session outcomes count the sessions that arrive from 0 on; load, latency and
 * request figures count the requests sent from 0 on, by any session.
 *
 * The hand-computed case: even arrivals every 500 ms, three steps, 10 ms of service and exactly
 * 5 s of thinking, so a session sends requests at a, a + 5010 and a + 10020 ms. At steady state
 * every second holds 2 first steps, 2 second steps and 2 third steps: 6 requests.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderTrace } from '../../src/report/index.js';
import { runStrategy, traceSession } from '../../src/sim/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scenarioFrom } from '../helpers/scenario.js';

function clockworkScenario(warmup: string, store: 'local' | 'shared' = 'local') {
  return scenarioFrom(`
name: clockwork
sessions: 100
warmup: ${warmup}
arrivals: { rate: 2/s, spacing: even }
backends: [{ name: "app:80", workers: 1 }]
journey:
  thinkTime: { dist: constant, value: 5s }
  steps:
    - { name: first, service: { dist: constant, value: 10ms }, writes: true }
    - { name: second, service: { dist: constant, value: 10ms }, needsSession: true }
    - { name: third, service: { dist: constant, value: 10ms }, needsSession: true }
stores: { shared: { roundTrip: 0ms } }
timeseries: { window: 1s }
strategies: [{ name: rr, balancer: { method: round-robin }, store: ${store} }]
`);
}

function clockwork(warmup: string, store: 'local' | 'shared' = 'local') {
  const scenario = clockworkScenario(warmup, store);
  return runStrategy(scenario, scenario.strategies[0]!);
}

const requestsIn = (result: ReturnType<typeof clockwork>, window: number) => result.series.windows[window]!.requestsPerBackend.reduce((a, b) => a + b, 0);

describe('warm-up', () => {
  it('counts the sessions that arrive from time 0 on: `sessions` of them', () => {
    const warm = clockwork('30s');
    expect(warm.outcomes.sessions).toEqual({ total: 100, completed: 100, abandoned: 0, broken: 0 });
    expect(warm.outcomes.funnel).toEqual([100, 100, 100]);
  });

  it('starts measuring with sessions in flight: the first second already carries the steady 6 requests', () => {
    const warm = clockwork('30s');
    expect([0, 1, 2, 10, 40].map((w) => requestsIn(warm, w))).toEqual([6, 6, 6, 6, 6]);
    const cold = clockwork('0s');
    // From empty (first arrival at 0.5 s): one first step in the first second, then two a second;
    // second steps join from 5.51 s, third steps from 10.52 s.
    expect([0, 4, 5, 9, 10, 40].map((w) => requestsIn(cold, w))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('counts every request sent from time 0 on, also those of sessions that began in the warm-up', () => {
    // The 100 measured sessions send 300 requests. Warm-up sessions that arrived at −500 … −5000 ms
    // still send their second and third steps (10 × 2), those at −5500 … −10000 ms their third (10 × 1).
    const warm = clockwork('30s');
    expect(warm.requests.total).toBe(330);
    expect(warm.latency.overall.count).toBe(330);
    expect(warm.latency.overall.mean).toBeCloseTo(10, 6);
  });

  it('leaves the warm-up\'s work and cache traffic out of utilization and store figures', () => {
    const warm = clockwork('30s', 'shared');
    // 330 measured requests of 10 ms each; nothing served before 0 is counted.
    expect(warm.facts.busyTimeMs[0]).toBeCloseTo(3300, 6);
    const cold = clockwork('0s', 'shared');
    expect(cold.facts.busyTimeMs[0]).toBeCloseTo(3000, 6);
    // Every request reads or writes the session; the warm-up's 30 late requests add to the 300.
    expect(warm.facts.store.reads + warm.facts.store.writes - (cold.facts.store.reads + cold.facts.store.writes)).toBe(30 * ((cold.facts.store.reads + cold.facts.store.writes) / 300));
  });

  it('measures from 0 to the end of the last session', () => {
    // Measured arrivals are at 0, 0.5, …, 49.5 s (the warm-up's grid reaches 0 exactly); the last
    // session ends 10.03 s after it arrives. A cold run's first arrival is at 0.5 s, its last at 50 s.
    expect(clockwork('30s').facts.endTimeMs).toBeCloseTo(59_530, 6);
    expect(clockwork('0s').facts.endTimeMs).toBeCloseTo(60_030, 6);
  });

  it('shows warm-up sessions in traces at negative times, saying they count in no figure', () => {
    // 30 s at 2/s: the first session (index 0) arrives at −29.5 s; the 60th (index 59) at 0 is the first measured one.
    const first = traceSession(clockworkScenario('30s'), 0)!;
    expect(first.arrivalMs).toBeCloseTo(-29_500, 6);
    expect(renderTrace(first)).toContain('arrived at -29.500 s; in the warm-up, so it counts in no figure');
    expect(renderTrace(traceSession(clockworkScenario('30s'), 59)!)).toContain('arrived at 0.000 s)');
  });

  it('is refused when negative, naming the field', () => {
    expect(() => clockwork('-5s')).toThrow(/warmup/);
  });
});

describe('warm-up with thousands of sessions in flight', () => {
  it('follows only measured sessions: per-backend live sessions end at zero, and one measured session peaks at one', () => {
    // 100/s with 30 s of thinking keeps about 3,000 warm-up sessions in flight at time 0, in slots
    // far beyond the analyzers' first 1,024; the measured session reuses a slot freed by an early
    // warm-up session, so the analyzers never see a slot that large start.
    const scenario = scenarioFrom(`
name: crowded
sessions: 1
warmup: 60s
arrivals: { rate: 100/s, spacing: even }
backends: { count: 4, name: "10.0.0.{n}:80" }
journey:
  thinkTime: { dist: constant, value: 30s }
  steps:
    - { name: a, service: { dist: constant, value: 1ms } }
    - { name: b, service: { dist: constant, value: 1ms } }
strategies: [{ name: rr, balancer: { method: round-robin }, store: local }]
`);
    const result = runStrategy(scenario, scenario.strategies[0]!);
    expect(result.outcomes.sessions.total).toBe(1);
    // Round robin sends its two steps to two backends: each held the one session for a while.
    expect(result.load.backends.map((b) => b.peakSessions).sort()).toEqual([0, 0, 1, 1]);
    expect(result.series.windows.at(-1)!.sessionsPerBackend).toEqual([0, 0, 0, 0]);
  });
});

describe('warm-up limits and progress', () => {
  it('counts the warm-up\'s sessions against the session limit', () => {
    // 365 days (the longest duration) at 4/s would be 126 million sessions before measurement even begins.
    const fast = (warmup: string) => scenarioFrom(`name: w\nsessions: 100\nwarmup: ${warmup}\narrivals: { rate: 4/s }\nbackends: [{ name: "app:80" }]\nstrategies: [{ name: rr, balancer: { method: round-robin }, store: local }]\n`);
    expect(() => fast('365d')).toThrow(/warmup: a warm-up of 31536000 s at 4\/s is 126,144,000 sessions; at most 100,000,000/);
  });

  it('moves the progress line during the warm-up, while the clock is before 0', async () => {
    const yaml = `
name: warming
sessions: 10
warmup: 60s
arrivals: { rate: 100/s, spacing: even }
backends: [{ name: "a:80" }]
journey: { steps: [{ name: only, service: { dist: constant, value: 1ms } }] }
strategies: [{ name: rr, balancer: { method: round-robin }, store: local }]
`;
    // The first progress report comes at the 4,096th session, 40.95 s into the 60 s warm-up:
    // 4,095 of the 6,010 sessions, 68%. The wall clock moves a second per reading.
    const run = fakeIo({ files: { 'warming.yaml': yaml }, isTTY: true });
    let seconds = 0;
    const io = { ...run.io, now: () => new Date(Date.UTC(2026, 11, 7) + 1000 * seconds++) };
    expect(await main(['run', 'warming.yaml', '--out', 'out'], io)).toBe(0);
    expect(run.stderr()).toMatch(/\[#{16}\.{8}\]  68%  0\/1 runs/);
  });
});
