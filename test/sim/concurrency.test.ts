/**
 * Concurrent requests within a session. Hand-computed: one session, one backend; after home
 * (10 ms, writes) and 100 ms of thinking, the cart step at t = 210 fires two requests at once,
 * both writing the cart, each taking 30 ms; checkout (needs the cart) follows 100 ms later.
 * - Shared cache, no lock: both read the cart at 210 and write at 240; the second write (last
 *   write wins) carries only its own change: exactly one lost update, and checkout breaks.
 * - Shared cache with a lock (poll 1 ms): the second request waits until 240 (the 30 ms overlap)
 *   and ends at 270; nothing is lost.
 * - Local memory (sticky): the backend's own session object takes both changes.
 */
import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = scenarioFrom(`
name: overlap
sessions: 1
arrivals: { rate: 10/s, spacing: even }
backends: [{ name: "a:80", workers: 4 }]
stores: { shared: { roundTrip: 0ms } }
journey:
  thinkTime: 100ms
  steps:
    - { name: home, service: 10ms, writes: true }
    - { name: cart, method: POST, service: 30ms, needsSession: true, parallel: { requests: 2, writes: 2 } }
    - { name: checkout, service: 10ms, needsSession: true }
strategies:
  - { name: no-lock, balancer: { method: round-robin }, store: shared }
  - { name: lock, balancer: { method: round-robin }, store: shared, locking: { poll: 1ms, timeout: 1s } }
  - { name: sticky, balancer: { method: round-robin }, store: local }
`);

const run = (name: string) => runStrategy(scenario, scenario.strategies.find((s) => s.name === name)!);

describe('two overlapping writes of one session', () => {
  it('lose exactly one update without a lock, and the next step that needs it breaks', () => {
    const r = run('no-lock');
    expect(r.requests.lostUpdates).toBe(1);
    expect(r.requests.lostUpdatesByStep).toEqual([0, 1, 0]);
    expect(r.outcomes.brokenByCause['lost-update']).toBe(1);
    expect(r.requests.lockWaits).toBe(0);
  });

  it('lose nothing with a lock; the second request waits exactly the 30 ms overlap', () => {
    const r = run('lock');
    expect(r.requests.lostUpdates).toBe(0);
    expect(r.outcomes.sessions.completed).toBe(1);
    expect(r.requests.lockWaits).toBe(1);
    expect(r.requests.lockWaitMs).toBe(30);
    // Cart latencies: 30 ms and 60 ms.
    expect(r.latency.byStep[1]!.max).toBe(60);
  });

  it('lose nothing in a backend’s own memory (sticky, local store), with no lock wait', () => {
    const r = run('sticky');
    expect(r.requests.lostUpdates).toBe(0);
    expect(r.requests.lockWaits).toBe(0);
    expect(r.outcomes.sessions.completed).toBe(1);
  });

  it('time out a request that waits longer than the lock timeout', () => {
    const slow = scenarioFrom(`
name: timeout
sessions: 1
arrivals: { rate: 10/s, spacing: even }
backends: [{ name: "a:80", workers: 4 }]
journey:
  thinkTime: 100ms
  steps:
    - { name: home, service: 10ms, writes: true }
    - { name: cart, service: 300ms, needsSession: true, parallel: { requests: 2, writes: 1 } }
strategies: [{ name: lock, balancer: { method: round-robin }, store: shared, locking: { poll: 10ms, timeout: 100ms } }]
`);
    const r = runStrategy(slow, slow.strategies[0]!);
    expect(r.requests.lockTimeouts).toBe(1);
    expect(r.requests.failed).toBe(1);
    expect(r.outcomes.brokenByCause['request-failed']).toBe(1);
  });
});

describe('a distribution of parallel requests', () => {
  it('draws each session’s count once, rounded, between 1 and max, the same for every strategy', () => {
    const s = scenarioFrom(`
name: counts
seed: 3
sessions: 400
arrivals: { rate: 20/s }
backends: [{ name: "a:80", workers: 64 }]
journey:
  thinkTime: 1s
  steps:
    - { name: page, service: 5ms, parallel: { requests: { dist: uniform, min: 0, max: 6 }, max: 4, writes: 1 } }
strategies:
  - { name: one, balancer: { method: round-robin }, store: local }
  - { name: two, balancer: { method: round-robin }, store: shared }
`);
    const counts = (name: string) => {
      const perSession = new Map<number, number>();
      runStrategy(s, s.strategies.find((x) => x.name === name)!, {
        observe: (_, e) => {
          if (e.type === 'request-start') perSession.set(e.session, (perSession.get(e.session) ?? 0) + 1);
        },
      });
      return [...perSession.values()];
    };
    const one = counts('one');
    expect(one).toHaveLength(400);
    expect(Math.min(...one)).toBe(1);
    expect(Math.max(...one)).toBe(4);
    // uniform(0, 6) rounded and clamped to [1, 4]: P(1) = 1.5/6, P(2) = P(3) = 1/6, P(4) = 2.5/6.
    expect(one.filter((n) => n === 4).length / 400).toBeGreaterThan(0.33);
    expect(counts('two')).toEqual(one);
  });
});
