/**
 * Analyzers are passive observers of the event stream, one per metric: they see every event
 * synchronously and in simulation order, keep state only for what is live (memory follows
 * concurrency, not run length), never call back into the model, and return plain
 * JSON-serialisable data from `finish`.
 */
import type { SimTime } from '../engine/index.js';
import type { SimEvent, SimEventType } from '../model/index.js';

export interface Analyzer<Result> {
  readonly name: string;
  /** The event types `observe` acts on; the dispatcher sends it only these. */
  readonly interests: readonly SimEventType[];
  observe(event: SimEvent): void;
  finish(endTime: SimTime): Result;
}

/** The `default:` branch of an exhaustive switch: a new event type is a compile error until handled. */
export function unhandled(event: never): never {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
}

/**
 * One function that hands each event to the analyzers interested in its type, in the order
 * given (per-type lists: most events concern one or two analyzers, not all of them). It runs
 * for every event, so it switches on the type and calls bound functions: no keyed or method
 * lookup per event.
 */
export function dispatcher(analyzers: readonly Analyzer<unknown>[]): (event: SimEvent) => void {
  const byType = new Map<SimEventType, Analyzer<unknown>[]>();
  for (const analyzer of analyzers) {
    for (const type of analyzer.interests) {
      const list = byType.get(type) ?? [];
      list.push(analyzer);
      byType.set(type, list);
    }
  }
  const fanOut = (type: SimEventType) => fanOutTo(byType.get(type) ?? []);
  const onSessionStart = fanOut('session-start');
  const onRequestStart = fanOut('request-start');
  const onAttemptEnd = fanOut('attempt-end');
  const onRequestEnd = fanOut('request-end');
  const onSessionEnd = fanOut('session-end');
  const onBackendState = fanOut('backend-state');
  const onScenarioEvent = fanOut('scenario-event');
  return (event) => {
    switch (event.type) {
      case 'request-end':
        onRequestEnd(event);
        break;
      case 'attempt-end':
        onAttemptEnd(event);
        break;
      case 'request-start':
        onRequestStart(event);
        break;
      case 'session-start':
        onSessionStart(event);
        break;
      case 'session-end':
        onSessionEnd(event);
        break;
      case 'backend-state':
        onBackendState(event);
        break;
      case 'scenario-event':
        onScenarioEvent(event);
        break;
      default:
        unhandled(event);
    }
  };
}

/** Calls each analyzer's `observe` through a function bound to it (no method lookup per event). */
function fanOutTo(analyzers: readonly Analyzer<unknown>[]): (event: SimEvent) => void {
  const calls = analyzers.map((a) => a.observe.bind(a));
  switch (calls.length) {
    case 0:
      return () => {};
    case 1:
      return calls[0]!;
    case 2: {
      const [a, b] = calls as [(e: SimEvent) => void, (e: SimEvent) => void];
      return (event) => {
        a(event);
        b(event);
      };
    }
    default:
      return (event) => {
        for (let i = 0; i < calls.length; i++) calls[i]!(event);
      };
  }
}
