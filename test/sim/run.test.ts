/**
 * Properties of every run: the same seed gives the same summary, another seed another; every
 * request and session is accounted for exactly once; the strategies replay the same sessions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSummary, renderJson } from '../../src/report/index.js';
import { parseScenarioText, type Scenario } from '../../src/scenario/index.js';
import { runScenario, runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

function load(file: string, overrides: { seed?: string; sessions?: number } = {}): Scenario {
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, overrides);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

const summaryOf = (scenario: Scenario) => renderJson(buildSummary(runScenario(scenario), { lbsimVersion: 'test', generatedAt: 'fixed', runTimeMs: 0 }));

describe('a run of scenarios/intro.yaml', () => {
  const intro = load('scenarios/intro.yaml', { sessions: 1500 });
  const result = runScenario(intro);

  it('is byte-identical for the same seed, and differs for another seed', () => {
    expect(summaryOf(intro)).toBe(summaryOf(load('scenarios/intro.yaml', { sessions: 1500 })));
    expect(summaryOf(load('scenarios/intro.yaml', { sessions: 1500, seed: '43' }))).not.toBe(summaryOf(intro));
  });

  it('accounts for every client request and every session exactly once', () => {
    for (const s of result.strategies) {
      const r = s.requests;
      expect(r.completed + r.failed + r.rejected).toBe(r.total);
      const o = s.outcomes.sessions;
      expect(o.completed + o.abandoned + o.broken).toBe(o.total);
      expect(o.total).toBe(1500);
      expect(Object.values(s.outcomes.brokenByCause).reduce((a, b) => a + b, 0)).toBe(o.broken);
      expect(s.load.backends.reduce((a, b) => a + b.requests, 0)).toBe(r.attempts);
    }
  });

  it('replays the same sessions for every strategy (common random numbers)', () => {
    // Arrival times are the same, and every session that breaks under neither strategy leaves
    // at the same step with the same order value: the abandonment and value draws do not depend
    // on the routing.
    const story = (strategy: number) => {
      const arrivals: number[] = [];
      const ends = new Map<number, string>();
      runStrategy(intro, intro.strategies[strategy]!, {
        observe: (_, e) => {
          if (e.type === 'session-start') arrivals.push(e.t);
          if (e.type === 'session-end' && e.outcome !== 'broken') ends.set(e.session, `${e.outcome} ${e.stepsCompleted} ${e.orderValue}`);
        },
      });
      return { arrivals, ends };
    };
    const local = story(0);
    const shared = story(1);
    expect(local.arrivals).toEqual(shared.arrivals);
    const both = [...local.ends.keys()].filter((session) => shared.ends.has(session));
    expect(both.length).toBeGreaterThan(50);
    for (const session of both) expect(local.ends.get(session)).toBe(shared.ends.get(session));
  });

  it('shows the lesson: round robin with local sessions breaks most sessions, the shared cache almost none and costs its round trip', () => {
    const [local, shared] = result.strategies;
    expect(local!.outcomes.breakageRate).toBeGreaterThan(0.6);
    expect(['state-missing', 'state-stale'].reduce((n, c) => n + local!.outcomes.brokenByCause[c as 'state-missing'], 0)).toBe(local!.outcomes.sessions.broken);
    expect(shared!.outcomes.breakageRate).toBeLessThan(0.01);
    // Every session's home step has the same service demand under both strategies (median 20 ms,
    // next to no queueing at this load); under the cache it also pays a read and a write (2 ms each).
    expect(local!.latency.byStep[0]!.p50).toBeGreaterThan(19);
    expect(local!.latency.byStep[0]!.p50).toBeLessThan(21);
    expect(shared!.latency.byStep[0]!.p50 - local!.latency.byStep[0]!.p50).toBeCloseTo(4, 0);
  });
});

describe('a balancer given as a block', () => {
  it("sends each request to the server the block's line names, whatever the order of backends", () => {
    // The block lists c first, with weight 3: nginx's smooth round robin deals c, a, c, b, c, …,
    // 3 of every 5 requests to c, which is the scenario's third backend, not its first.
    const scenario = scenarioFrom(`
name: block-order
seed: 1
sessions: 200
arrivals: { rate: 20/s }
backends: [{ name: "a:80" }, { name: "b:80" }, { name: "c:80" }]
strategies:
  - name: block
    store: local
    balancer:
      nginx: |
        upstream app {
            server c:80 weight=3;
            server a:80;
            server b:80;
        }
`);
    const requests = runStrategy(scenario, scenario.strategies[0]!).load.backends.map((b) => b.requests);
    const total = requests.reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThan(500);
    // Every attempt is a pick in turn (no failures here): the cycle c, a, c, b, c, then what the last partial cycle dealt.
    const cycle = ['c', 'a', 'c', 'b', 'c'];
    const dealt = (name: string) => Math.floor(total / 5) * cycle.filter((n) => n === name).length + cycle.slice(0, total % 5).filter((n) => n === name).length;
    expect(requests).toEqual([dealt('a'), dealt('b'), dealt('c')]);
  });
});
