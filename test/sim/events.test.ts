/**
 * Every kind of timeline event and client behaviour at once: runs stay deterministic and every
 * request and session is accounted for exactly once; each event has the effect it names.
 */
import { describe, expect, it } from 'vitest';
import { buildSummary, renderJson } from '../../src/report/index.js';
import { runScenario, runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const everything = (seed: number) =>
  scenarioFrom(`
name: everything
seed: ${seed}
sessions: 1500
arrivals: { rate: 20/s }
clients:
  networks: 300
  nat: { share: 0.2, addresses: 2 }
  mobile: { share: 0.3, changePerStep: 0.2 }
  refuseCookies: 0.1
backends: { count: 4, name: "10.0.0.{n}:80", workers: 4, queueLimit: 20 }
stores: { shared: { onOutage: serve-without-state } }
timeline:
  - { at: 10%, backend: "10.0.0.1:80", event: slow, speed: 0.2, duration: 10s }
  - { at: 20%, backend: "10.0.0.2:80", event: errors, duration: 5s }
  - { at: 30%, event: cache-outage, duration: 10s }
  - { at: 45%, event: cache-latency, roundTrip: 30ms, duration: 10s }
  - { at: 60%, event: cache-flush }
  - { at: 70%, backend: "10.0.0.3:80", mode: hang, duration: 15s }
  - { at: 80%, backend: "10.0.0.4:80", mode: refused }
proxy: { readTimeout: 2s }
strategies:
  - { name: rr-shared, balancer: { method: round-robin }, store: shared }
  - { name: ip-hash, balancer: { method: ip-hash }, store: local }
  - { name: cookie, balancer: { method: round-robin }, store: local, sticky: { cookie: { name: route, maxAge: 20s } } }
`);

const summaryOf = (seed: number) => renderJson(buildSummary(runScenario(everything(seed)), { lbsimVersion: 't', generatedAt: 't', runTimeMs: 0 }));

describe('every event kind together', () => {
  it('is deterministic for a seed and conserves requests and sessions', () => {
    expect(summaryOf(1)).toBe(summaryOf(1));
    expect(summaryOf(2)).not.toBe(summaryOf(1));
    for (const s of runScenario(everything(3)).strategies) {
      const r = s.requests;
      expect(r.completed + r.failed + r.rejected).toBe(r.total);
      const o = s.outcomes.sessions;
      expect(o.completed + o.abandoned + o.broken).toBe(o.total);
      expect(o.total).toBe(1500);
      const windows = s.series.windows;
      expect(windows.reduce((n, w) => n + w.breaks, 0)).toBe(o.broken);
    }
  });

  it('shows each event: errors fail requests, the outage and the flush break shared sessions, hangs time out', () => {
    const scenario = everything(4);
    const [shared, ipHash] = scenario.strategies.map((spec) => runStrategy(scenario, spec));
    expect(shared!.outcomes.brokenByCause['store-down']).toBeGreaterThan(0);
    expect(shared!.outcomes.brokenByCause['evicted']).toBeGreaterThan(0);
    expect(shared!.outcomes.brokenByCause['request-failed']).toBeGreaterThan(0);
    expect(ipHash!.outcomes.brokenByCause['ip-changed']).toBeGreaterThan(0);
    expect(ipHash!.outcomes.brokenByCause['backend-failed']).toBeGreaterThan(0);
    // The window is 1500 / 20/s = 75 s, so events fall at 7.5, 15, 22.5, 33.75, 45, 52.5 and 60 s.
    // The hang costs a read timeout (2 s) before retrying elsewhere.
    expect(shared!.latency.overall.max).toBeGreaterThan(2000);
    expect(shared!.series.events.map((e) => e.change)).toEqual([
      { kind: 'slow', speed: 0.2 }, // 7.5 s, for 10 s
      { kind: 'answers-errors' }, // 15 s, for 5 s
      { kind: 'normal-speed' }, // 17.5 s
      { kind: 'answers-normally' }, // 20 s
      { kind: 'cache-down' },
      { kind: 'cache-up' },
      { kind: 'cache-round-trip', roundTripMs: 30 },
      { kind: 'cache-round-trip-restored', roundTripMs: 1 },
      { kind: 'cache-flushed' },
      { kind: 'mode', mode: 'hang' }, // 52.5 s, for 15 s
      { kind: 'mode', mode: 'refused' }, // 60 s
      { kind: 'mode', mode: 'up' }, // 67.5 s
    ]);
  });

  it('a slow backend serves the same demand more slowly', () => {
    const base = scenarioFrom(`
name: slow
sessions: 400
arrivals: { rate: 10/s, spacing: even }
backends: [{ name: "a:80", workers: 100 }]
journey: { steps: [{ name: only, service: 10ms }] }
timeline: [{ at: 0s, backend: "a:80", event: slow, speed: 0.5 }]
strategies: [{ name: rr, balancer: { method: round-robin }, store: local }]
`);
    const result = runStrategy(base, base.strategies[0]!);
    // Constant 10 ms at half speed: every request takes exactly 20 ms.
    expect(result.latency.overall.mean).toBeCloseTo(20, 9);
  });
});

describe('pool events, drains, rolling deploys and health checks', () => {
  const pool = (seed: number) =>
    scenarioFrom(`
name: pool
seed: ${seed}
sessions: 1500
arrivals: { rate: 20/s }
backends:
  - { name: "10.0.0.1:80" }
  - { name: "10.0.0.2:80" }
  - { name: "10.0.0.3:80" }
  - { name: "10.0.0.4:80", standby: true }
clients: { networks: 500, refuseCookies: 0.2 }
timeline:
  - { at: 10%, event: add-backend, backend: "10.0.0.4:80" }
  - { at: 25%, event: drain, backend: "10.0.0.1:80", duration: 10s }
  - { at: 45%, event: rolling-deploy, downtime: 3s, pause: 2s, drain: 5s }
  - { at: 75%, event: remove-backend, backend: "10.0.0.2:80" }
strategies:
  - { name: cookie-rr, balancer: { method: round-robin }, store: local, sticky: { cookie: { name: r } }, healthCheck: { interval: 1s, fall: 2, rise: 1 } }
  - { name: cookie-hash, balancer: { method: hash-consistent, key: $session_id }, store: shared, sticky: { cookie: { name: r } } }
`);

  it('stay deterministic and conserve requests and sessions', () => {
    const text = (seed: number) => renderJson(buildSummary(runScenario(pool(seed)), { lbsimVersion: 't', generatedAt: 't', runTimeMs: 0 }));
    expect(text(5)).toBe(text(5));
    for (const s of runScenario(pool(6)).strategies) {
      const r = s.requests;
      expect(r.completed + r.failed + r.rejected).toBe(r.total);
      const o = s.outcomes.sessions;
      expect(o.completed + o.abandoned + o.broken).toBe(o.total);
      expect(o.total).toBe(1500);
      expect(s.series.events.some((e) => e.change.kind === 'added-to-pool')).toBe(true);
      expect(s.series.events.some((e) => e.change.kind === 'draining')).toBe(true);
    }
  });
});
