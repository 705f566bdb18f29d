/**
 * Draining, as NGINX Plus and HAProxy do it: users the sticky cookie binds to the drained backend
 * stay there; nobody new is placed on it. Draining before removing loses far fewer sessions than
 * removing at once. Methods without a drain are refused by validation.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = (event: string) =>
  scenarioFrom(`
name: drain
seed: 6
sessions: 3000
arrivals: { rate: 20/s }
backends: { count: 4, name: "10.0.0.{n}:80" }
timeline: [${event}]
strategies:
  - { name: cookie, balancer: { method: round-robin }, store: local, sticky: { cookie: { name: route } } }
`);

describe('drain', () => {
  it('keeps bound users on the drained backend, places nobody new there, and loses far fewer sessions than an abrupt removal', () => {
    const drained = scenario('{ at: 30s, event: drain, backend: "10.0.0.2:80", duration: 60s }');
    const removed = scenario('{ at: 30s, event: remove-backend, backend: "10.0.0.2:80" }');
    const d = runStrategy(drained, drained.strategies[0]!);
    const r = runStrategy(removed, removed.strategies[0]!);
    const windows = d.series.windows;
    const perWindow = (w: (typeof windows)[number]) => w.requestsPerBackend[1]!;
    const window = d.series.windowMs;
    // Before the drain the backend takes a quarter of the load; during it, only its bound users
    // (who leave within about a minute); after 90 s it is out of the pool.
    const before = windows.filter((w) => w.startMs + window <= 30_000).reduce((n, w) => n + perWindow(w), 0);
    const lateDrain = windows.filter((w) => w.startMs >= 75_000 && w.startMs + window <= 90_000).reduce((n, w) => n + perWindow(w), 0);
    const after = windows.filter((w) => w.startMs >= 90_000).reduce((n, w) => n + perWindow(w), 0);
    expect(before).toBeGreaterThan(300);
    expect(lateDrain).toBeLessThan(before / 10);
    expect(after).toBe(0);
    expect(d.outcomes.brokenByCause['remapped']).toBeLessThan(r.outcomes.brokenByCause['remapped'] / 5);
    expect(r.outcomes.brokenByCause['remapped']).toBeGreaterThan(50);
  });

  it('is refused for strategies whose method has no drain', () => {
    const loaded = parseScenarioText(
      `name: x
sessions: 10
arrivals: { rate: 1/s }
backends: { count: 2, name: "10.0.0.{n}:80" }
timeline: [{ at: 1s, event: drain, backend: "10.0.0.1:80" }]
strategies: [{ name: plain-ip-hash, balancer: { method: ip-hash }, store: local }]
`,
      'x.yaml',
    );
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors[0]).toMatchObject({ path: 'timeline[0].event', message: expect.stringContaining('"plain-ip-hash" has no sticky.cookie') });
  });
});

describe('rolling deploy with drain', () => {
  it('drains each backend before restarting it, and loses far fewer sessions than restarting at once', () => {
    const timed = (event: string) => scenario(event);
    const drained = timed('{ at: 20s, event: rolling-deploy, downtime: 10s, pause: 5s, drain: 60s }');
    const abrupt = timed('{ at: 20s, event: rolling-deploy, downtime: 10s, pause: 5s }');
    const d = runStrategy(drained, drained.strategies[0]!);
    const a = runStrategy(abrupt, abrupt.strategies[0]!);
    // Each of the four backends: draining, drained (out of the pool), back in.
    expect(d.series.events.filter((e) => e.change.kind === 'draining').map((e) => e.backend)).toEqual([0, 1, 2, 3]);
    expect(d.series.events.filter((e) => e.change.kind === 'added-to-pool').map((e) => e.backend)).toEqual([0, 1, 2, 3]);
    expect(a.outcomes.brokenByCause['backend-failed']).toBeGreaterThan(100);
    expect(d.outcomes.sessions.broken).toBeLessThan(a.outcomes.sessions.broken / 5);
  });
});
