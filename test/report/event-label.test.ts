/**
 * The words for each change, as summary.json has always printed them (the golden summaries hold
 * some of them; these are the rest). The table is keyed by kind, so a new kind of change fails to
 * compile here until it has an expected label too.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioChange } from '../../src/model/index.js';
import { changeLabel, eventLabel } from '../../src/report/event-label.js';

const SCENARIO_LABELS: { readonly [K in ScenarioChange['kind']]: readonly [Extract<ScenarioChange, { kind: K }>, string] } = {
  slow: [{ kind: 'slow', speed: 0.25 }, 'slow ×0.25'],
  'normal-speed': [{ kind: 'normal-speed' }, 'back to normal speed'],
  'answers-errors': [{ kind: 'answers-errors' }, 'answers errors'],
  'answers-normally': [{ kind: 'answers-normally' }, 'answers normally'],
  'cache-down': [{ kind: 'cache-down' }, 'down'],
  'cache-up': [{ kind: 'cache-up' }, 'back up'],
  'cache-round-trip': [{ kind: 'cache-round-trip', roundTripMs: 30 }, 'round trip 30 ms'],
  'cache-round-trip-restored': [{ kind: 'cache-round-trip-restored', roundTripMs: 1.5 }, 'round trip back to 1.5 ms'],
  'cache-flushed': [{ kind: 'cache-flushed' }, 'flushed'],
  draining: [{ kind: 'draining' }, 'draining'],
  drained: [{ kind: 'drained' }, 'drained'],
  'health-checks-failed': [{ kind: 'health-checks-failed' }, 'marked down by health checks'],
  'health-checks-passed': [{ kind: 'health-checks-passed' }, 'passes health checks again'],
  'added-to-pool': [{ kind: 'added-to-pool' }, 'added to the pool'],
  'removed-from-pool': [{ kind: 'removed-from-pool' }, 'removed from the pool'],
};

describe('event labels', () => {
  it('words every scenario change as the summary always has', () => {
    for (const [change, label] of Object.values(SCENARIO_LABELS)) expect(changeLabel(change)).toBe(label);
  });

  it('words every backend mode', () => {
    const modes = (['up', 'refused', 'blackhole', 'crash', 'reset', 'hang'] as const).map((mode) => changeLabel({ kind: 'mode', mode }));
    expect(modes).toEqual(['back up', 'down (refusing connections)', 'down (connections hang)', 'down (crashes mid-request)', 'down (resets connections)', 'down (never answers)']);
  });

  it('names the backend, or the shared cache for backend −1', () => {
    const names = ['10.0.0.1:80', '10.0.0.2:80'];
    expect(eventLabel({ atMs: 0, backend: 1, change: { kind: 'mode', mode: 'refused' } }, names)).toBe('10.0.0.2:80 down (refusing connections)');
    expect(eventLabel({ atMs: 0, backend: 0, change: { kind: 'slow', speed: 0.2 } }, names)).toBe('10.0.0.1:80 slow ×0.2');
    expect(eventLabel({ atMs: 0, backend: -1, change: { kind: 'cache-up' } }, names)).toBe('shared cache back up');
  });
});
