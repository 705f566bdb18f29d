/**
 * The facts a run produces, in simulation order: the only thing analyzers see. Backends are
 * identified by their index in the scenario's backend list; sessions and requests by their
 * 0-based numbers. `slot` is a small number unique among the sessions alive at the same time
 * (reused once a session ends), so observers can keep per-session state in arrays, not maps.
 * Events are emitted synchronously and recycled: observers must not keep them beyond the handler call
 * (they hold plain values, so copying what is needed is enough).
 */
import type { SimTime } from '../engine/index.js';
import type { BackendMode } from './backend.js';
import type { BreakCause, SessionOutcome } from './session.js';

export type RequestOutcome = 'completed' | 'failed' | 'rejected';

export type SimEvent =
  | { readonly type: 'session-start'; readonly t: SimTime; readonly session: number; readonly slot: number }
  | { readonly type: 'request-start'; readonly t: SimTime; readonly req: number; readonly session: number; readonly step: number }
  | {
      /** One upstream attempt ended; `backendDown` when it went to a backend that was not up. */
      readonly type: 'attempt-end';
      readonly t: SimTime;
      readonly req: number;
      readonly backend: number;
      readonly ok: boolean;
      readonly backendDown: boolean;
    }
  | {
      readonly type: 'request-end';
      readonly t: SimTime;
      readonly req: number;
      readonly session: number;
      readonly slot: number;
      readonly step: number;
      /** The backend that answered, or -1 when none did. */
      readonly backend: number;
      readonly outcome: RequestOutcome;
      readonly status: number;
      readonly latencyMs: SimTime;
      /** Time spent waiting for the session lock (shared cache with locking). */
      readonly lockWaitMs: SimTime;
      /** The request gave up waiting for the session lock. */
      readonly lockTimedOut: boolean;
      /** Updates of concurrent requests this request's write overwrote (last write wins). */
      readonly lostUpdates: number;
    }
  | {
      readonly type: 'session-end';
      readonly t: SimTime;
      readonly session: number;
      readonly slot: number;
      readonly outcome: SessionOutcome;
      readonly cause: BreakCause | undefined;
      /** Steps completed before the session ended. */
      readonly stepsCompleted: number;
      /** Whether the session had filled its cart (completed a step past add-to-cart). */
      readonly cartFilled: boolean;
      /** What the order would have paid. */
      readonly orderValue: number;
      /** Whether the user planned to go on to the last step and pay (the abandonment draws, made up front, left them in). */
      readonly plannedToPay: boolean;
    }
  | { readonly type: 'backend-state'; readonly t: SimTime; readonly backend: number; readonly mode: BackendMode }
  | {
      /** Another change took effect: from the timeline, the health checks or the pool (`backend` −1: a change of the shared cache). */
      readonly type: 'scenario-event';
      readonly t: SimTime;
      readonly backend: number;
      readonly change: ScenarioChange;
    };

/**
 * What a `scenario-event` changed, one kind per change the run makes. A fresh value each time and
 * never modified, so an observer may keep it (unlike the event that carries it).
 */
export type ScenarioChange =
  | { readonly kind: 'slow'; /** Times the backend's normal speed. */ readonly speed: number }
  | { readonly kind: 'normal-speed' }
  | { readonly kind: 'answers-errors' }
  | { readonly kind: 'answers-normally' }
  | { readonly kind: 'cache-down' }
  | { readonly kind: 'cache-up' }
  | { readonly kind: 'cache-round-trip'; readonly roundTripMs: number }
  | { readonly kind: 'cache-round-trip-restored'; /** What it was before the change. */ readonly roundTripMs: number }
  | { readonly kind: 'cache-flushed' }
  | { readonly kind: 'draining' }
  | { readonly kind: 'drained' }
  | { readonly kind: 'health-checks-failed' }
  | { readonly kind: 'health-checks-passed' }
  | { readonly kind: 'added-to-pool' }
  | { readonly kind: 'removed-from-pool' };

export type SimEventType = SimEvent['type'];

/** The event of one type. */
export type SimEventOf<T extends SimEventType> = Extract<SimEvent, { type: T }>;

// A record, so that the compiler checks that the list names every type of the union.
const EVENT_TYPES: Readonly<Record<SimEventType, true>> = {
  'session-start': true,
  'request-start': true,
  'attempt-end': true,
  'request-end': true,
  'session-end': true,
  'backend-state': true,
  'scenario-event': true,
};

/** Every event type. */
export const SIM_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly SimEventType[];

/**
 * One handler per event type: the run calls the handler of each event's type directly, so a
 * handler only ever sees events of one shape. (A single `observe(event)` switching on `type`
 * sees seven object shapes, and V8's property loads on it turn megamorphic and slow.)
 */
export type EventHandlers = { readonly [T in SimEventType]: (event: SimEventOf<T>) => void };

/** Marks an event type an observer does not handle: it is never called for events of that type. */
export const IGNORED = 'ignored';

/**
 * What an observer does with each event type: its handler, or IGNORED. Every type must be named,
 * so that a new type of event fails to compile until each observer has decided about it.
 */
export type EventHandling = { readonly [T in SimEventType]: ((event: SimEventOf<T>) => void) | typeof IGNORED };

const ignore = (): void => {};

/**
 * Handlers that call every given handler of each type, in the order given (a type nobody handles
 * costs one empty call).
 */
export function fanOut(observers: readonly EventHandling[]): EventHandlers {
  const handlersOf = (type: SimEventType): ((event: never) => void) => {
    const calls = observers.flatMap((o) => (o[type] === IGNORED ? [] : [o[type] as (event: SimEvent) => void]));
    // Written out up to four: a call site per handler, which V8 can inline, where a loop's one
    // call site sees every handler and cannot.
    const [a, b, c, d] = calls as [(event: SimEvent) => void, (event: SimEvent) => void, (event: SimEvent) => void, (event: SimEvent) => void];
    switch (calls.length) {
      case 0:
        return ignore;
      case 1:
        return a;
      case 2:
        return (event: SimEvent) => {
          a(event);
          b(event);
        };
      case 3:
        return (event: SimEvent) => {
          a(event);
          b(event);
          c(event);
        };
      case 4:
        return (event: SimEvent) => {
          a(event);
          b(event);
          c(event);
          d(event);
        };
      default:
        return (event: SimEvent) => {
          for (let i = 0; i < calls.length; i++) calls[i]!(event);
        };
    }
  };
  return Object.fromEntries(SIM_EVENT_TYPES.map((type) => [type, handlersOf(type)])) as unknown as EventHandlers;
}

/** Handlers that pass every event, whatever its type, to one function (traces, tests: not the hot path). */
export function everyEvent(observe: (event: SimEvent) => void): EventHandlers {
  return Object.fromEntries(SIM_EVENT_TYPES.map((type) => [type, observe])) as unknown as EventHandlers;
}

/** Hands one event to the handler of its type, unless its type is ignored (replaying recorded events). */
export function deliver(handlers: EventHandling, event: SimEvent): void {
  const handler = handlers[event.type];
  if (handler !== IGNORED) (handler as (event: SimEvent) => void)(event);
}
