/**
 * A pool the timeline empties is a scenario, not a crash: nginx answers 502 when its upstream has
 * no server left, so every request after the last backend leaves fails, and the run goes on.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

/** Two backends, 40 sessions 100 ms apart from 100 ms with one 10 ms request each; `strategy` and `timeline` vary. */
const scenario = (strategy: string, timeline: string) => `
name: emptied
sessions: 40
arrivals: { rate: 10/s, spacing: even }
backends: { count: 2, name: "10.0.0.{n}:80" }
journey: { thinkTime: 100ms, steps: [{ name: only, service: 10ms }] }
strategies: [${strategy}]
timeline: ${timeline}
`;

const EMPTIED = scenario('{ name: rr, balancer: { method: round-robin }, store: local }', '[{ at: 1s, event: remove-backend, backend: "10.0.0.1:80" }, { at: 2s, event: remove-backend, backend: "10.0.0.2:80" }]');
const DRAINED = scenario('{ name: rr, balancer: { method: round-robin }, store: local, sticky: { cookie: {} } }', '[{ at: 1s, event: drain, backend: "10.0.0.1:80" }, { at: 1s, event: drain, backend: "10.0.0.2:80" }]');

describe('a pool the timeline empties', () => {
  it('every backend drained: new users get 502, and the run goes to the end', () => {
    const [result] = runScenario(scenarioFrom(DRAINED)).strategies;
    // One request per session, every 100 ms from 100 ms: those from 1 s on (1.0 … 4.0 s: 31) find
    // no backend taking new users; the 9 before were served.
    expect(result!.requests).toMatchObject({ total: 40, failed: 31, completed: 9 });
  });

  it('answers 502 to every request after the last backend left, and runs to the end', () => {
    const [result] = runScenario(scenarioFrom(EMPTIED)).strategies;
    // Sessions arrive every 100 ms from 100 ms; one request each. Those from 2 s on (2.0 … 4.0 s: 21) find no server.
    expect(result!.requests).toMatchObject({ total: 40, failed: 21, completed: 19 });
  });
});
