/**
 * Applies a scenario's timeline at its times: backends fail and recover, slow down or answer
 * errors for a while; the shared cache goes away, gets slower or is flushed; backends join or
 * leave the pool. Each event runs
 * before anything else due at the same instant (urgent priority), and an event with a duration
 * undoes itself when the duration is over.
 */
import { Priority, type Scheduler } from '../engine/index.js';
import type { Backend, BackendMode, ScenarioChange, SessionStore } from '../model/index.js';
import type { TimelineEvent } from '../scenario/index.js';

/** What the timeline acts on. */
export interface TimelineWorld {
  readonly scheduler: Scheduler;
  readonly store: SessionStore;
  backend(name: string): Backend;
  /** Changes a backend's mode (losing its work and memory when it leaves `up`) and reports it. */
  setBackendMode(backend: Backend, mode: BackendMode): void;
  /** Reports any other change (`backend` undefined: a change of the shared cache). */
  report(backend: Backend | undefined, change: ScenarioChange): void;
  /** Makes a backend answer every request with an error, or stop doing so. */
  setAnswersErrors(backend: Backend, on: boolean): void;
  /** Starts or ends draining a backend (sticky-bound users stay, no new ones). */
  setDraining(backend: Backend, on: boolean): void;
  /** Brings a backend into the balancer's pool, or takes it out (a configuration reload). */
  setInPool(backend: Backend, inPool: boolean): void;
}

/** Schedules every event of `timeline` (and its undoing, for events with a duration). */
export function scheduleTimeline(timeline: readonly TimelineEvent[], world: TimelineWorld): void {
  const { scheduler, store } = world;
  const at = (time: number, action: () => void) => scheduler.at(time, action, Priority.Urgent);
  const later = (event: TimelineEvent, undo: () => void) => {
    if ('durationMs' in event && event.durationMs !== undefined) at(event.atMs + event.durationMs, undo);
  };
  for (const event of timeline) {
    switch (event.kind) {
      case 'mode': {
        const backend = world.backend(event.backend);
        at(event.atMs, () => world.setBackendMode(backend, event.mode));
        if (event.mode !== 'up') later(event, () => world.setBackendMode(backend, 'up'));
        break;
      }
      case 'slow': {
        const backend = world.backend(event.backend);
        const normal = backend.speed;
        at(event.atMs, () => {
          backend.speed = event.speed;
          world.report(backend, { kind: 'slow', speed: event.speed });
        });
        later(event, () => {
          backend.speed = normal;
          world.report(backend, { kind: 'normal-speed' });
        });
        break;
      }
      case 'errors': {
        const backend = world.backend(event.backend);
        at(event.atMs, () => {
          world.setAnswersErrors(backend, true);
          world.report(backend, { kind: 'answers-errors' });
        });
        later(event, () => {
          world.setAnswersErrors(backend, false);
          world.report(backend, { kind: 'answers-normally' });
        });
        break;
      }
      case 'cache-outage':
        at(event.atMs, () => {
          store.available = false;
          world.report(undefined, { kind: 'cache-down' });
        });
        later(event, () => {
          store.available = true;
          world.report(undefined, { kind: 'cache-up' });
        });
        break;
      case 'cache-latency': {
        const normal = store.roundTripMs;
        at(event.atMs, () => {
          if (store.kind === 'shared') store.roundTripMs = event.roundTripMs;
          world.report(undefined, { kind: 'cache-round-trip', roundTripMs: event.roundTripMs });
        });
        later(event, () => {
          store.roundTripMs = normal;
          world.report(undefined, { kind: 'cache-round-trip-restored', roundTripMs: normal });
        });
        break;
      }
      case 'cache-flush':
        at(event.atMs, () => {
          store.flush();
          world.report(undefined, { kind: 'cache-flushed' });
        });
        break;
      case 'add-backend': {
        const backend = world.backend(event.backend);
        at(event.atMs, () => world.setInPool(backend, true));
        break;
      }
      case 'remove-backend': {
        const backend = world.backend(event.backend);
        at(event.atMs, () => world.setInPool(backend, false));
        break;
      }
      case 'drain': {
        const backend = world.backend(event.backend);
        at(event.atMs, () => world.setDraining(backend, true));
        later(event, () => {
          world.setDraining(backend, false);
          world.setInPool(backend, false);
        });
        break;
      }
    }
  }
}
