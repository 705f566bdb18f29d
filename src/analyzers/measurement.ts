/**
 * The measured period: with a warm-up, the run starts before time 0 and measurement begins at 0.
 * Analyzers then see the sessions that arrive from 0 on (their outcomes) and the requests sent
 * from 0 on, by any session (load and latency at steady state, with the system already full).
 * Events are numbered in the order they start, so one threshold per kind decides.
 */
import type { SimEvent } from '../model/index.js';

type Sink = (event: SimEvent) => void;

/** Passes on to `sink` only the events of the measured period (time 0 on). */
export function measuredPeriod(sink: Sink): Sink {
  let firstSession = Infinity;
  let firstRequest = Infinity;
  return (event) => {
    switch (event.type) {
      case 'session-start':
        if (event.t < 0) return;
        if (firstSession === Infinity) firstSession = event.session;
        break;
      case 'session-end':
        if (event.session < firstSession) return;
        break;
      case 'request-start':
        if (event.t < 0) return;
        if (firstRequest === Infinity) firstRequest = event.req;
        break;
      case 'attempt-end':
      case 'request-end':
        if (event.req < firstRequest) return;
        break;
      default:
        if (event.t < 0) return;
    }
    sink(event);
  };
}
