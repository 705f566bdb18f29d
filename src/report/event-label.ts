/**
 * The words for what changed during a run (the summary's timeline labels, and through them the
 * report's charts): one place, so each change reads the same everywhere, and a new kind of change
 * fails to compile here until it has its words.
 */
import type { SeriesChange, SeriesEvent } from '../analyzers/index.js';
import type { BackendMode } from '../model/index.js';

const MODE_LABEL: Readonly<Record<BackendMode, string>> = {
  up: 'back up',
  refused: 'down (refusing connections)',
  blackhole: 'down (connections hang)',
  crash: 'down (crashes mid-request)',
  reset: 'down (resets connections)',
  hang: 'down (never answers)',
};

/** What changed, in words: `down (refusing connections)`, `slow ×0.25`, `flushed`, … */
export function changeLabel(change: SeriesChange): string {
  switch (change.kind) {
    case 'mode':
      return MODE_LABEL[change.mode];
    case 'slow':
      return `slow ×${change.speed}`;
    case 'normal-speed':
      return 'back to normal speed';
    case 'answers-errors':
      return 'answers errors';
    case 'answers-normally':
      return 'answers normally';
    case 'cache-down':
      return 'down';
    case 'cache-up':
      return 'back up';
    case 'cache-round-trip':
      return `round trip ${change.roundTripMs} ms`;
    case 'cache-round-trip-restored':
      return `round trip back to ${change.roundTripMs} ms`;
    case 'cache-flushed':
      return 'flushed';
    case 'draining':
      return 'draining';
    case 'drained':
      return 'drained';
    case 'health-checks-failed':
      return 'marked down by health checks';
    case 'health-checks-passed':
      return 'passes health checks again';
    case 'added-to-pool':
      return 'added to the pool';
    case 'removed-from-pool':
      return 'removed from the pool';
    default:
      return unlabelled(change);
  }
}

/** Compiles only while every kind of change above has its words. */
function unlabelled(change: never): never {
  throw new Error(`no label for the change ${JSON.stringify(change)}`);
}

/** The event with what it happened to: `10.0.0.3:80 down (refusing connections)`, `shared cache flushed`. */
export function eventLabel(event: SeriesEvent, backendNames: readonly string[]): string {
  return `${event.backend < 0 ? 'shared cache' : backendNames[event.backend]} ${changeLabel(event.change)}`;
}
