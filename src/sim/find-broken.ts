/**
 * The first broken session, for `lbsim trace --broken [--cause C]`: the lowest session number (in
 * arrival order, warm-up included, as `trace --session` counts) that any strategy broke, with the
 * given cause when one is asked for. Every strategy runs to its end: a session that arrived
 * earlier may break later than one that arrived after it.
 */
import type { BreakCause } from '../model/index.js';
import type { Scenario } from '../scenario/index.js';
import { runStrategy } from './run.js';

export interface BrokenSessionSearch {
  /** 0-based index of the first matching broken session, or undefined when none broke so. */
  readonly index: number | undefined;
  /** Broken sessions by cause, summed over the strategies (every cause, the asked one or not). */
  readonly brokenByCause: Readonly<Partial<Record<BreakCause, number>>>;
}

export function findBrokenSession(scenario: Scenario, cause?: BreakCause): BrokenSessionSearch {
  let index: number | undefined;
  const brokenByCause: Partial<Record<BreakCause, number>> = {};
  for (const spec of scenario.strategies) {
    runStrategy(scenario, spec, {
      observe: (_, e) => {
        if (e.type !== 'session-end' || e.outcome !== 'broken' || e.cause === undefined) return;
        brokenByCause[e.cause] = (brokenByCause[e.cause] ?? 0) + 1;
        if ((cause === undefined || e.cause === cause) && (index === undefined || e.session < index)) index = e.session;
      },
    });
  }
  return { index, brokenByCause };
}
