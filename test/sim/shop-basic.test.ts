/**
 * The story scenarios/shop-basic.yaml tells, checked across seeds: round robin with in-memory
 * sessions breaks most sessions; the shared cache almost none but pays its round trip; ip_hash
 * and the route cookie lose sessions when app4 dies, far fewer than round robin; and NAT makes
 * ip_hash's load visibly more uneven than the cookie's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario, type StrategyResult } from '../../src/sim/index.js';

const FILE = 'scenarios/shop-basic.yaml';

function run(seed: string): Record<string, StrategyResult> {
  const loaded = parseScenarioText(readFileSync(FILE, 'utf8'), FILE, { seed, sessions: 4000 });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return Object.fromEntries(runScenario(loaded.scenario).strategies.map((s) => [s.spec.name, s]));
}

describe.each(['1', '2', '3'])('shop-basic, seed %s', (seed) => {
  const r = run(seed);
  const rr = r['round-robin']!;
  const shared = r['shared-cache']!;
  const ipHash = r['ip-hash']!;
  const cookie = r['cookie']!;

  it('round robin with local sessions breaks most multi-step sessions', () => {
    expect(rr.outcomes.breakageRate).toBeGreaterThan(0.8);
  });

  it('the shared cache breaks under 2% and its median latency is above the cookie’s', () => {
    expect(shared.outcomes.breakageRate).toBeLessThan(0.02);
    expect(shared.latency.overall.p50).toBeGreaterThan(cookie.latency.overall.p50);
  });

  it('ip-hash and cookie lose sessions to the crash, yet break under a fifth of what round robin breaks', () => {
    for (const sticky of [ipHash, cookie]) {
      expect(sticky.outcomes.failoverLoss.sessions).toBeGreaterThan(0);
      expect(sticky.outcomes.brokenByCause['backend-failed']).toBeGreaterThan(0);
      expect(sticky.outcomes.breakageRate).toBeLessThan(rr.outcomes.breakageRate / 5);
    }
  });

  it('ip-hash shows more load skew than the cookie because of NAT', () => {
    expect(ipHash.load.requestsCv).toBeGreaterThan(cookie.load.requestsCv);
  });

  it('counts attempts sent to the dead backend', () => {
    for (const s of [rr, shared, ipHash, cookie]) expect(s.requests.sentToDeadBackend).toBeGreaterThan(0);
  });
});
