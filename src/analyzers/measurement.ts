/**
 * The measured period: with a warm-up, the run starts before time 0 and measurement begins at 0.
 * Analyzers then see the sessions that arrive from 0 on (their outcomes) and the requests sent
 * from 0 on, by any session (load and latency at steady state, with the system already full).
 * Events are numbered in the order they start, so one threshold per kind decides.
 */
import type { EventHandlers } from '../model/index.js';

/** Passes on to `sink` only the events of the measured period (time 0 on). */
export function measuredPeriod(sink: EventHandlers): EventHandlers {
  let firstSession = Infinity;
  let firstRequest = Infinity;
  return {
    'session-start': (event) => {
      if (event.t < 0) return;
      if (firstSession === Infinity) firstSession = event.session;
      sink['session-start'](event);
    },
    'session-end': (event) => {
      if (event.session >= firstSession) sink['session-end'](event);
    },
    'request-start': (event) => {
      if (event.t < 0) return;
      if (firstRequest === Infinity) firstRequest = event.req;
      sink['request-start'](event);
    },
    'attempt-end': (event) => {
      if (event.req >= firstRequest) sink['attempt-end'](event);
    },
    'request-end': (event) => {
      if (event.req >= firstRequest) sink['request-end'](event);
    },
    'backend-state': (event) => {
      if (event.t >= 0) sink['backend-state'](event);
    },
    'scenario-event': (event) => {
      if (event.t >= 0) sink['scenario-event'](event);
    },
  };
}
