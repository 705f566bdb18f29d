/**
 * Analyzers declare the event types they act on, and the dispatcher sends them only those. If an
 * analyzer forgot a type it needs, its result would change: replaying every event of a real run
 * into fresh analyzers, all types to all analyzers, must give exactly the run's results.
 */
import { describe, expect, it } from 'vitest';
import { LatencyAnalyzer, LoadSkewAnalyzer, RequestsAnalyzer, SessionOutcomesAnalyzer } from '../../src/analyzers/index.js';
import type { SimEvent } from '../../src/model/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = scenarioFrom(`
name: dispatch
seed: 3
sessions: 400
arrivals: { rate: 20/s }
clients: { networks: 50, nat: { share: 0.3, addresses: 2 } }
backends: { count: 3, name: "10.0.0.{n}:80", workers: 2, queueLimit: 3 }
timeline: [{ at: 40%, backend: "10.0.0.2:80", mode: refused, duration: 5s }]
strategies: [{ name: ip-hash, balancer: { method: ip-hash }, store: local }]
`);

describe('analyzer interests', () => {
  it('lose nothing: every analyzer fed every event gives the same results', () => {
    const events: SimEvent[] = [];
    const result = runStrategy(scenario, scenario.strategies[0]!, { observe: (_, e) => events.push({ ...e }) });
    const steps = scenario.journey.steps.length;
    const all = [new SessionOutcomesAnalyzer(steps), new LoadSkewAnalyzer(3), new LatencyAnalyzer(steps), new RequestsAnalyzer(steps)] as const;
    for (const event of events) for (const analyzer of all) analyzer.observe(event);
    const end = result.facts.endTimeMs;
    expect(all[0].finish()).toEqual(result.outcomes);
    expect(all[1].finish()).toEqual(result.load);
    expect(all[2].finish()).toEqual(result.latency);
    expect(all[3].finish()).toEqual(result.requests);
    // The scenario reaches the interesting paths: a crash, rejections and broken sessions.
    expect(events.some((e) => e.type === 'backend-state')).toBe(true);
    expect(result.requests.rejected + result.requests.failed).toBeGreaterThan(0);
    expect(result.outcomes.sessions.broken).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(0);
  });
});
