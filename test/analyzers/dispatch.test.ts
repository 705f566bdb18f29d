/**
 * Analyzers are fed by event type: the run calls, for each event, the handlers of the analyzers
 * that handle its type. Their results must depend on the events alone: replaying every recorded
 * event of a real run into fresh analyzers gives exactly the run's results, and an analyzer
 * never sees a type it marks ignored.
 */
import { describe, expect, it } from 'vitest';
import { runAnalyzers } from '../../src/analyzers/index.js';
import { deliver, fanOut, IGNORED, SIM_EVENT_TYPES, type EventHandlers, type EventHandling, type SimEvent } from '../../src/model/index.js';
import { runStrategy, seriesBounds } from '../../src/sim/index.js';
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

/** The given handlers, every other type ignored. */
const only = (handlers: Partial<EventHandlers>): EventHandling => ({ ...Object.fromEntries(SIM_EVENT_TYPES.map((type) => [type, IGNORED])), ...handlers }) as EventHandling;

describe('analyzer dispatch', () => {
  it('loses nothing: replaying the recorded events into fresh analyzers gives the run results', () => {
    const events: SimEvent[] = [];
    const result = runStrategy(scenario, scenario.strategies[0]!, { observe: (_, e) => events.push({ ...e }) });
    const analyzers = runAnalyzers(scenario.journey.steps.length, 3, result.series.windowMs, seriesBounds(scenario));
    for (const event of events) deliver(analyzers.handlers, event);
    const replayed = analyzers.finish(result.facts.endTimeMs);
    expect(replayed.outcomes).toEqual(result.outcomes);
    expect(replayed.load).toEqual(result.load);
    expect(replayed.latency).toEqual(result.latency);
    expect(replayed.requests).toEqual(result.requests);
    expect(replayed.series).toEqual(result.series);
    // The scenario reaches the interesting paths: a crash, rejections and broken sessions.
    expect(events.some((e) => e.type === 'backend-state')).toBe(true);
    expect(result.requests.rejected + result.requests.failed).toBeGreaterThan(0);
    expect(result.outcomes.sessions.broken).toBeGreaterThan(0);
  });

  it('calls each handler of a type, in the order given, and only for that type', () => {
    const seen: string[] = [];
    const handlers = fanOut([
      only({ 'request-end': (e) => seen.push(`a:${e.type}:${e.req}`) }),
      only({ 'session-start': (e) => seen.push(`b:${e.type}`) }),
      only({ 'request-end': (e) => seen.push(`c:${e.type}:${e.req}`), 'session-start': (e) => seen.push(`c:${e.type}`) }),
    ]);
    expect(Object.keys(handlers).sort()).toEqual([...SIM_EVENT_TYPES].sort());
    deliver(handlers, { type: 'session-start', t: 0, session: 0, slot: 0 });
    deliver(handlers, { type: 'request-end', t: 1, req: 7, session: 0, slot: 0, step: 0, backend: 1, outcome: 'completed', status: 200, latencyMs: 1, lockWaitMs: 0, lockTimedOut: false, lostUpdates: 0 });
    deliver(handlers, { type: 'backend-state', t: 2, backend: 1, mode: 'refused' });
    expect(seen).toEqual(['b:session-start', 'c:session-start', 'a:request-end:7', 'c:request-end:7']);
  });
});
