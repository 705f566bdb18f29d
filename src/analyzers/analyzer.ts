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
 * given (per-type lists: most events concern one or two analyzers, not all of them).
 */
export function dispatcher(analyzers: readonly Analyzer<unknown>[], extra?: (event: SimEvent) => void): (event: SimEvent) => void {
  const byType = new Map<SimEventType, Analyzer<unknown>[]>();
  for (const analyzer of analyzers) {
    for (const type of analyzer.interests) {
      const list = byType.get(type) ?? [];
      list.push(analyzer);
      byType.set(type, list);
    }
  }
  const lists = {
    'session-start': byType.get('session-start') ?? [],
    'request-start': byType.get('request-start') ?? [],
    'attempt-end': byType.get('attempt-end') ?? [],
    'request-end': byType.get('request-end') ?? [],
    'session-end': byType.get('session-end') ?? [],
    'backend-state': byType.get('backend-state') ?? [],
    'scenario-event': byType.get('scenario-event') ?? [],
  } satisfies Record<SimEventType, Analyzer<unknown>[]>;
  return (event) => {
    const list = lists[event.type];
    for (let i = 0; i < list.length; i++) list[i]!.observe(event);
    if (extra) extra(event);
  };
}
