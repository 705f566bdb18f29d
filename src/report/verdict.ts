/**
 * Which strategies are a choice at all, and the verdict on them, written from the numbers. A
 * strategy that breaks far more sessions than the best is not a choice, however fast or even it
 * looks: its broken sessions never reach the slow steps at the end of the journey, and its load
 * is light because its users left. So the best-of-row marks (the terminal's `*`, the report's ★)
 * go only to contenders, on every row but the breakage rows themselves, and the verdict names
 * the strategies that keep sessions with what each costs, and those that break them.
 */
import { BREAK_CAUSES } from '../model/index.js';
import { listing, ms, percent } from './format.js';
import type { StrategySummary } from './summary.js';

/** A contender breaks at most this share of sessions more than the strategy that breaks fewest (5 percentage points). */
export const BREAKAGE_MARGIN = 0.05;

/** The rule, as printed under the tables. */
export const MARK_RULE = `Marks on rows other than breakage go only to strategies whose breakage rate is within ${percent(BREAKAGE_MARGIN).replace('.0%', '')} points of the lowest.`;

/** Indexes of the strategies whose breakage rate is within the margin of the lowest. */
export function contenders(strategies: readonly Pick<StrategySummary, 'breakageRate'>[]): ReadonlySet<number> {
  const lowest = Math.min(...strategies.map((s) => s.breakageRate));
  // A hair of tolerance: rates are rounded to 6 decimals, and a strategy exactly at the margin is in.
  return new Set(strategies.flatMap((s, i) => (s.breakageRate <= lowest + BREAKAGE_MARGIN + 1e-9 ? [i] : [])));
}

/** A median this much above the fastest contender's is a cost worth naming (smaller gaps are within a run's noise). */
const LATENCY_GAP = 0.02;
/** A busiest backend this far above the mean is a skew worth naming, when no contender is that close to even. */
const SKEW_WORTH_NAMING = 0.15;

function kept(s: StrategySummary): string {
  if (s.sessions.broken === 0) return 'all sessions';
  // A mean over replications can be a fraction of a session: "100.0%" would claim too much.
  const share = percent(1 - s.breakageRate);
  return share === '100.0%' ? 'nearly all sessions' : `${share} of sessions`;
}

function mainCause(s: StrategySummary): string {
  const cause = BREAK_CAUSES.reduce((a, b) => (s.brokenByCause[b] > s.brokenByCause[a] ? b : a));
  return s.brokenByCause[cause] === s.sessions.broken ? `all ${cause}` : `mostly ${cause}`;
}

/** `name` with what tells it apart when the name alone may not: where it keeps sessions. */
function named(s: StrategySummary): string {
  return s.store === 'local' ? `${s.name} (sessions in backend memory)` : s.name;
}

/**
 * The verdict, in sentences: which strategies keep sessions and at what cost (median latency
 * over the fastest contender, load on the busiest backend, a shared cache to depend on), and
 * which break them. Empty without strategies.
 */
export function verdict(strategies: readonly StrategySummary[]): string[] {
  if (strategies.length === 0) return [];
  const inRace = contenders(strategies);
  const keepers = strategies.filter((_, i) => inRace.has(i)).sort((a, b) => a.breakageRate - b.breakageRate);
  const breakers = strategies.filter((_, i) => !inRace.has(i)).sort((a, b) => a.breakageRate - b.breakageRate);
  const fastest = Math.min(...keepers.map((s) => s.latencyMs.p50));
  const evenest = Math.min(...keepers.map((s) => s.skew.requestsMaxOverMean));
  const costs = keepers.map((s) => {
    const parts: string[] = [];
    const gap = s.latencyMs.p50 - fastest;
    if (keepers.length > 1 && gap > LATENCY_GAP * fastest) parts.push(`adds ${ms(gap)} to the median latency`);
    const over = s.skew.requestsMaxOverMean - 1;
    if (over >= SKEW_WORTH_NAMING && s.skew.requestsMaxOverMean - evenest >= SKEW_WORTH_NAMING / 2) parts.push(`loads its busiest backend ${Math.round(over * 100)}% above the mean`);
    if (s.store === 'shared') parts.push('depends on the shared cache');
    return `${s.name} keeps ${kept(s)}${parts.length > 0 ? ` but ${listing(parts)}` : ''}`;
  });
  const sentences: string[] = [];
  const best = keepers[0]!;
  if (best.breakageRate >= BREAKAGE_MARGIN) sentences.push(`No strategy here keeps sessions well: the best, ${best.name}, breaks ${percent(best.breakageRate)} (${mainCause(best)}).`);
  sentences.push(`${costs.join('; ')}.`);
  for (const s of breakers) sentences.push(`${named(s)} breaks ${percent(s.breakageRate)} of sessions (${mainCause(s)}): not a choice here.`);
  return sentences;
}
