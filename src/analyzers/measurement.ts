/**
 * The measured period: with a warm-up, the run starts before time 0 and measurement begins at 0.
 * Analyzers then see the sessions that arrive from 0 on (their outcomes) and the requests sent
 * from 0 on, by any session (load and latency at steady state, with the system already full).
 * Events are numbered in the order they start, so one threshold per kind decides.
 */
import type { EventHandlers, SimEventOf, SimEventType } from '../model/index.js';

/** Passes on to `sink` only the events of the measured period (time 0 on). */
export function measuredPeriod(sink: EventHandlers): EventHandlers {
  // The first session and the first request that start at 0 or later.
  let firstSession = Infinity;
  let firstRequest = Infinity;
  const passing = <T extends SimEventType>(type: T, measured: (event: SimEventOf<T>) => boolean) => {
    const next = sink[type] as (event: SimEventOf<T>) => void;
    return (event: SimEventOf<T>) => {
      if (measured(event)) next(event);
    };
  };
  return {
    'session-start': passing('session-start', (e) => {
      if (e.t >= 0 && firstSession === Infinity) firstSession = e.session;
      return e.t >= 0;
    }),
    'session-end': passing('session-end', (e) => e.session >= firstSession),
    'request-start': passing('request-start', (e) => {
      if (e.t >= 0 && firstRequest === Infinity) firstRequest = e.req;
      return e.t >= 0;
    }),
    'attempt-end': passing('attempt-end', (e) => e.req >= firstRequest),
    'request-end': passing('request-end', (e) => e.req >= firstRequest),
    'backend-state': passing('backend-state', (e) => e.t >= 0),
    'scenario-event': passing('scenario-event', (e) => e.t >= 0),
  };
}
