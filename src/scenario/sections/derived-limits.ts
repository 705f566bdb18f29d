/**
 * Counts a scenario implies without stating them, checked before anything runs: the sessions a
 * window lets arrive, backends × strategies, the health-check probes and the lock polls of the
 * run. Each field is fine alone; together they would exhaust memory or never end, so the refusal
 * names the field to change and the limit (LIMITS) it passes.
 */
import { meanOf, type Distribution } from '../../engine/index.js';
import type { BackendSpec } from './backends.js';
import type { Issue } from './issue.js';
import { formatCount, LIMITS } from './limits.js';
import type { StrategySpec } from './strategies.js';

/** What the checks read of a normalised scenario. */
export interface DerivedCounts {
  readonly sessions: number | undefined;
  readonly warmupMs: number;
  readonly arrivals: { readonly profile: readonly { readonly fromMs: number; readonly ratePerSec: number }[]; readonly windowMs: number | undefined; readonly referenceWindowMs: number };
  readonly backends: readonly BackendSpec[];
  readonly strategies: readonly StrategySpec[];
  readonly journey: { readonly thinkTime: Distribution; readonly steps: readonly { readonly service: Distribution }[] };
}

/** Sessions expected to arrive from 0 until `endMs` under the piecewise rate profile. */
function expectedArrivals(profile: DerivedCounts['arrivals']['profile'], endMs: number): number {
  let count = 0;
  profile.forEach((piece, i) => {
    const to = Math.min(endMs, profile[i + 1]?.fromMs ?? Infinity);
    if (to > piece.fromMs) count += ((to - piece.fromMs) * piece.ratePerSec) / 1000;
  });
  return count;
}

/** A session's expected length: its steps' service at the slowest backend's speed, and the think times between. */
function expectedSessionMs(s: DerivedCounts): number {
  const slowest = Math.min(...s.backends.map((b) => b.speed));
  const steps = s.journey.steps;
  return steps.reduce((sum, step) => sum + meanOf(step.service) / slowest, 0) + Math.max(0, steps.length - 1) * meanOf(s.journey.thinkTime);
}

/** About how long the run lasts: the warm-up, the arrival window, and the last session's expected length. */
function expectedRunMs(s: DerivedCounts): number {
  return s.warmupMs + s.arrivals.referenceWindowMs + expectedSessionMs(s);
}

const seconds = (ms: number): string => `${formatCount(ms / 1000)} s`;

export function checkDerivedLimits(s: DerivedCounts, issue: Issue): void {
  if (s.sessions === undefined && s.arrivals.windowMs !== undefined) {
    const arriving = expectedArrivals(s.arrivals.profile, s.arrivals.windowMs);
    if (arriving > LIMITS.sessions) issue(['arrivals', 'window'], `about ${formatCount(arriving)} sessions would arrive in ${seconds(s.arrivals.windowMs)} at these rates; at most ${formatCount(LIMITS.sessions)} sessions (give \`sessions\` to stop them sooner)`);
  }
  // Little's law: sessions alive at once = arrival rate × how long each stays.
  const peakRate = Math.max(...s.arrivals.profile.map((p) => p.ratePerSec));
  const inFlight = Math.min(s.sessions ?? Infinity, (peakRate * expectedSessionMs(s)) / 1000);
  if (inFlight > LIMITS.sessionsInFlight) issue(['journey'], `about ${formatCount(inFlight)} sessions would be alive at once (${formatCount(peakRate)} arriving per second, each lasting about ${seconds(expectedSessionMs(s))}); at most ${formatCount(LIMITS.sessionsInFlight)} sessions in flight`);
  const backendRuns = s.backends.length * s.strategies.length;
  if (backendRuns > LIMITS.backendRuns) issue(['strategies'], `${formatCount(s.strategies.length)} strategies over ${formatCount(s.backends.length)} backends are ${formatCount(backendRuns)} backend runs; at most ${formatCount(LIMITS.backendRuns)} (backends × strategies)`);
  const runMs = expectedRunMs(s);
  let probes = 0;
  s.strategies.forEach((strategy, i) => {
    const check = strategy.healthCheck;
    if (check !== undefined) {
      const mine = (runMs / check.interval) * s.backends.length;
      // The strategy whose probes pass the limit of the run is the one named (once).
      if (probes <= LIMITS.healthCheckProbes && probes + mine > LIMITS.healthCheckProbes) {
        issue(['strategies', i, 'healthCheck', 'interval'], `every ${intervalText(check.interval)} over the run (about ${seconds(runMs)}), ${formatCount(s.backends.length)} backends make about ${formatCount(mine)} probes; at most ${formatCount(LIMITS.healthCheckProbes)} health-check probes in a run`);
      }
      probes += mine;
    }
    const locking = strategy.locking;
    if (locking !== undefined && locking.timeout / locking.poll > LIMITS.lockPolls) {
      issue(['strategies', i, 'locking', 'poll'], `polling every ${intervalText(locking.poll)} for up to ${intervalText(locking.timeout)} is ${formatCount(locking.timeout / locking.poll)} polls per request; at most ${formatCount(LIMITS.lockPolls)} (locking.timeout / locking.poll)`);
    }
    const choices = strategy.balancer.options?.choiceCount;
    if (choices !== undefined && choices > LIMITS.choiceCount) issue(['strategies', i, 'balancer', 'options', 'choiceCount'], `at most ${formatCount(LIMITS.choiceCount)} backends compared per pick, got ${choices}`);
  });
}

/** A period as the file would write it: `1us`, `250ms`, `5s`. */
function intervalText(ms: number): string {
  if (ms < 1) return `${Number((ms * 1000).toPrecision(6))}us`;
  if (ms < 1000) return `${Number(ms.toPrecision(6))}ms`;
  return `${Number((ms / 1000).toPrecision(6))}s`;
}
