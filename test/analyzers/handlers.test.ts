/**
 * Every analyzer names every event type, with a handler or IGNORED: a new type of event fails to
 * compile until each analyzer has decided about it. The typecheck (`tsc --noEmit`, run before the
 * tests) is what checks the first case: an unused @ts-expect-error is itself an error.
 */
import { describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analyzers/index.js';
import { deliver, fanOut, IGNORED, type SimEvent } from '../../src/model/index.js';

const sessionStart: SimEvent = { type: 'session-start', t: 0, session: 0, slot: 0 };
const cacheFlushed: SimEvent = { type: 'scenario-event', t: 1, backend: -1, change: { kind: 'cache-flushed' } };

describe('analyzer event handling', () => {
  it('does not compile when one event type is neither handled nor marked ignored', () => {
    let sessions = 0;
    const forgetful: Analyzer<number> = {
      name: 'forgetful',
      // @ts-expect-error: 'scenario-event' is missing
      on: {
        'session-start': () => {
          sessions++;
        },
        'request-start': IGNORED,
        'attempt-end': IGNORED,
        'request-end': IGNORED,
        'session-end': IGNORED,
        'backend-state': IGNORED,
      },
      finish: () => sessions,
    };
    expect(forgetful.name).toBe('forgetful');
  });

  it('compiles with the type marked ignored, and is never called for that type', () => {
    let sessions = 0;
    const seen: string[] = [];
    const counting: Analyzer<number> = {
      name: 'counting',
      on: {
        'session-start': (event) => {
          sessions++;
          seen.push(event.type);
        },
        'request-start': IGNORED,
        'attempt-end': IGNORED,
        'request-end': IGNORED,
        'session-end': IGNORED,
        'backend-state': IGNORED,
        'scenario-event': IGNORED,
      },
      finish: () => sessions,
    };
    const handlers = fanOut([counting.on]);
    for (const event of [sessionStart, cacheFlushed]) deliver(handlers, event);
    deliver(counting.on, cacheFlushed);
    expect(counting.finish(1)).toBe(1);
    expect(seen).toEqual(['session-start']);
  });
});
