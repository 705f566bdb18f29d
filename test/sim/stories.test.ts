/**
 * Each bundled scenario states one effect in its description; these tests check that the effect
 * is there, across seeds (sessions reduced to keep the suite quick).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BreakCause } from '../../src/model/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario, type StrategyResult } from '../../src/sim/index.js';

function run(name: string, seed: string, sessions: number): Record<string, StrategyResult> {
  const file = `scenarios/${name}.yaml`;
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, { seed, sessions });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return Object.fromEntries(runScenario(loaded.scenario).strategies.map((s) => [s.spec.name, s]));
}

const broken = (s: StrategyResult, cause: BreakCause) => s.outcomes.brokenByCause[cause];
const SEEDS = ['1', '2', '3'];

describe.each(SEEDS)('bundled scenarios, seed %s', (seed) => {
  it('failback: ip-hash takes users back to the recovered backend and breaks them; the cookie does not', () => {
    const r = run('failback', seed, 4000);
    expect(broken(r['ip-hash']!, 'failback')).toBeGreaterThan(20);
    expect(broken(r['cookie']!, 'failback')).toBe(0);
    // Both lose the sessions that lived on the crashed backend.
    expect(broken(r['ip-hash']!, 'backend-failed')).toBeGreaterThan(0);
    expect(broken(r['cookie']!, 'backend-failed')).toBeGreaterThan(0);
  });

  it('mobile-users: address stickiness breaks sessions by ip-changed, the cookie keeps them', () => {
    const r = run('mobile-users', seed, 3000);
    expect(broken(r['ip-hash']!, 'ip-changed')).toBeGreaterThan(0.1 * 3000);
    expect(r['cookie']!.outcomes.sessions.broken).toBe(0);
  });

  it('nat-skew: ip-hash piles NAT users onto few backends; cookie and session hash spread them', () => {
    const r = run('nat-skew', seed, 4000);
    expect(r['ip-hash']!.load.requestsCv).toBeGreaterThan(0.2);
    expect(r['cookie']!.load.requestsCv).toBeLessThan(0.05);
    expect(r['session-hash']!.load.requestsCv).toBeLessThan(0.12);
    expect(r['ip-hash']!.load.requestsCv).toBeGreaterThan(3 * r['session-hash']!.load.requestsCv);
  });

  it('cache-outage: the shared cache fails every request meanwhile (store-down); sticky local sessions carry on', () => {
    const r = run('cache-outage', seed, 3000);
    const shared = r['shared-cache']!;
    expect(broken(shared, 'store-down')).toBeGreaterThan(0.2 * 3000);
    expect(shared.requests.failed).toBeGreaterThan(0);
    expect(r['cookie']!.outcomes.sessions.broken).toBe(0);
  });

  it('coupled-checkout: round robin over a shared cache moves the coupled step (coupled-moved); sticky routing does not', () => {
    const r = run('coupled-checkout', seed, 3000);
    expect(broken(r['shared-cache']!, 'coupled-moved')).toBeGreaterThan(0.3 * 3000);
    expect(r['cookie']!.outcomes.sessions.broken).toBe(0);
    expect(r['ip-hash']!.outcomes.sessions.broken).toBe(0);
  });

  it('scale-out: adding a fifth server breaks several times more sessions under modulo hashing than consistent hashing and Maglev (remapped); the cookie loses none', () => {
    const r = run('scale-out', seed, 4000);
    const modulo = broken(r['modulo-hash']!, 'remapped');
    const consistent = broken(r['consistent-hash']!, 'remapped');
    // Theory: modulo moves n/(n+1) = 4/5 of keys, consistent 1/(n+1) = 1/5: about 4 times more.
    const maglev = broken(r['maglev']!, 'remapped');
    expect(consistent).toBeGreaterThan(0);
    expect(maglev).toBeGreaterThan(0);
    expect(modulo).toBeGreaterThan(2.5 * consistent);
    expect(modulo).toBeGreaterThan(2.5 * maglev);
    expect(r['cookie']!.outcomes.sessions.broken).toBe(0);
    expect(r['modulo-hash']!.outcomes.failoverLoss.sessions).toBe(r['modulo-hash']!.outcomes.sessions.broken);
  });

  it('rolling-deploy: every restart costs sticky in-memory sessions (ip-hash twice: crash and failback); the shared cache keeps them', () => {
    const r = run('rolling-deploy', seed, 4000);
    const shared = r['shared-cache']!;
    for (const sticky of [r['ip-hash']!, r['cookie']!]) {
      expect(broken(sticky, 'backend-failed')).toBeGreaterThan(100);
      expect(sticky.outcomes.sessions.broken).toBeGreaterThan(20 * shared.outcomes.sessions.broken + 50);
    }
    expect(broken(r['ip-hash']!, 'failback')).toBeGreaterThan(50);
    expect(broken(r['cookie']!, 'failback')).toBe(0);
    // Each of the four backends went down once and came back.
    const modes = shared.series.events.map((e) => `${e.backend} ${e.change.kind === 'mode' ? e.change.mode : e.change.kind}`);
    expect(modes).toEqual(['0 refused', '0 up', '1 refused', '1 up', '2 refused', '2 up', '3 refused', '3 up']);
  });

  it('ajax-cart: lost updates without locking, none with locking or sticky; locking costs latency', () => {
    const r = run('ajax-cart', seed, 2000);
    const open = r['shared-cache']!;
    const locked = r['shared-cache-locked']!;
    const sticky = r['sticky']!;
    expect(open.requests.lostUpdates).toBeGreaterThan(0.2 * 2000);
    expect(broken(open, 'lost-update')).toBeGreaterThan(0.2 * 2000);
    expect(locked.requests.lostUpdates).toBe(0);
    expect(sticky.requests.lostUpdates).toBe(0);
    expect(locked.requests.lockWaits).toBeGreaterThan(0);
    expect(sticky.requests.lockWaits).toBe(0);
    expect(locked.latency.overall.mean).toBeGreaterThan(1.2 * sticky.latency.overall.mean);
    expect(locked.latency.overall.mean).toBeGreaterThan(open.latency.overall.mean);
  });

  it('framework-state: state that does not survive serialization breaks shared sessions (not-serializable), not sticky ones', () => {
    const r = run('framework-state', seed, 3000);
    expect(broken(r['shared-cache']!, 'not-serializable')).toBeGreaterThan(0.15 * 3000);
    expect(r['cookie']!.outcomes.sessions.broken).toBe(0);
  });
  it('haproxy-retries: with retries 3 users pinned to the dead server wait 2 s (two 1 s turn-arounds) before the redispatch; retries 1 redispatches at once; without redispatch they fail', () => {
    const r = run('haproxy-retries', seed, 3000);
    const three = r['retries-3-redispatch']!;
    const one = r['retries-1-redispatch']!;
    const none = r['retries-3-no-redispatch']!;
    // Only the few requests in service at the crash fail.
    expect(three.outcomes.sessions.broken).toBeLessThan(0.005 * 3000);
    expect(one.outcomes.sessions.broken).toBeLessThan(0.005 * 3000);
    expect(three.latency.overall.max).toBeGreaterThanOrEqual(2000);
    expect(three.latency.overall.p99).toBeGreaterThan(2000);
    expect(one.latency.overall.max).toBeLessThan(1000);
    expect(broken(none, 'request-failed')).toBeGreaterThan(0.05 * 3000);
  });
});
