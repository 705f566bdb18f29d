/**
 * `arrivals`: when sessions start (a rate, Poisson or evenly spaced, an optional window and a
 * piecewise profile), and its normaliser, which resolves the profile and the window that
 * percentages of time refer to.
 */
import { z } from 'zod';
import { positiveDurationMs, ratePerSec, resolveTimePoint, strictObject, timePoint, type TimePoint } from '../../fields/index.js';
import { LIMITS } from './limits.js';
import type { Issue } from './issue.js';

export const arrivalsSchema = strictObject({
  rate: ratePerSec().describe('Sessions starting per second, such as "20/s" or "3000/m"'),
  /** `poisson` (exponential gaps) or `even` (exactly 1/rate apart: hand-computable tests and demos). */
  spacing: z.enum(['poisson', 'even']).describe('poisson: random arrivals (the default); even: exactly 1 / rate apart').default('poisson'),
  window: positiveDurationMs().describe('Arrivals stop after this long (such as "10m"); also the window that percentages refer to').optional(),
  /** Piecewise rate: from each `from` on, `rate` applies (a flash-sale spike). */
  profile: z.array(strictObject({ from: timePoint(), rate: ratePerSec() })).max(LIMITS.profilePieces).describe('Rate changes: each { from: TIME, rate: RATE } sets the rate from then on').optional(),
});

type ArrivalsInput = z.output<typeof arrivalsSchema>;
type Piece = { readonly fromMs: number; readonly ratePerSec: number };

/**
 * Expected time for `sessions` arrivals under the rate profile (integrates the piecewise rate).
 * Percentages of the window refer to this when the scenario gives no explicit window.
 */
function expectedArrivalTimeMs(sessions: number, profile: readonly Piece[]): number {
  let remaining = sessions;
  for (let i = 0; i < profile.length; i++) {
    const piece = profile[i]!;
    const end = profile[i + 1]?.fromMs ?? Infinity;
    const expected = ((end - piece.fromMs) * piece.ratePerSec) / 1000;
    if (expected >= remaining) return piece.fromMs + (remaining / piece.ratePerSec) * 1000;
    remaining -= expected;
  }
  return Infinity;
}

/** The arrivals as the simulator takes them; `sessions` and `warmupMs` are the file's top-level fields. */
export function normalizeArrivals(arrivals: ArrivalsInput, sessions: number | undefined, warmupMs: number, issue: Issue) {
  if (sessions === undefined && arrivals.window === undefined) {
    issue(['sessions'], 'expected `sessions` (a session count) or `arrivals.window` (a duration): one of them must end the arrivals');
  }
  const absolute = (p: TimePoint) => (p.kind === 'absolute' ? p.ms : undefined);
  // Percent points in the profile need a window, which itself may depend on the profile:
  // resolve them against an explicit window or the base rate's expected time.
  const provisionalWindow = arrivals.window ?? ((sessions ?? 0) / arrivals.rate) * 1000;
  const profile: Piece[] = [{ fromMs: 0, ratePerSec: arrivals.rate }, ...(arrivals.profile ?? []).map((p) => ({ fromMs: absolute(p.from) ?? resolveTimePoint(p.from, provisionalWindow), ratePerSec: p.rate }))]
    .sort((a, b) => a.fromMs - b.fromMs);
  if (profile.every((p) => p.ratePerSec === 0)) issue(['arrivals', 'rate'], 'expected a rate above 0');
  const referenceWindowMs = arrivals.window ?? expectedArrivalTimeMs(sessions ?? 0, profile);
  // The warm-up's sessions arrive at the starting rate, and count against the same limit.
  const warmupSessions = (warmupMs / 1000) * arrivals.rate;
  if (warmupSessions > LIMITS.sessions) issue(['warmup'], `a warm-up of ${warmupMs / 1000} s at ${arrivals.rate}/s is ${Math.round(warmupSessions).toLocaleString('en-US')} sessions; at most ${LIMITS.sessions.toLocaleString('en-US')}`);
  if (!Number.isFinite(referenceWindowMs)) issue(['arrivals', 'profile'], 'the profile ends at rate 0 before all sessions have arrived; give `arrivals.window`');
  return {
    ratePerSec: arrivals.rate,
    spacing: arrivals.spacing,
    /** Piecewise profile, sorted by start; the first piece starts at 0. */
    profile: profile as readonly Piece[],
    /** Arrivals stop at this time (undefined: only the session count limits them). */
    windowMs: arrivals.window,
    /** The window percentages refer to: `window`, or the expected time for `sessions` arrivals. */
    referenceWindowMs,
  };
}
