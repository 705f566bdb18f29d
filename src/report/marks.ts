/**
 * Which strategies a row marks as best, and how sure that is. A single run compares the figures
 * as printed. A replicated run compares on paired differences: the strategies ran on the same
 * seeds, so for each other strategy the 95% interval of its per-replication difference from the
 * best is taken, and one whose interval holds 0 ties with the best and shares the mark. When
 * every strategy ties, nothing stands out and nothing is marked.
 */
import { bestIndexes, type Better } from './format.js';
import { meanInterval, type Interval } from './replications.js';
import type { StrategySummary, Summary } from './summary.js';

/** The per-replication values of the figure at `path`, when the summary is replicated. */
export function replicatesAt(strategy: StrategySummary, path: string): readonly number[] | undefined {
  return strategy.replicates?.[path];
}

/** The 95% interval of the mean at `path` (`ci95` beside the figure), when the summary is replicated. */
export function intervalAt(strategy: StrategySummary, path: string): Interval | undefined {
  const keys = path.split('.');
  const leaf = keys.pop()!;
  const parent = keys.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], strategy) as { ci95?: Record<string, Interval> } | undefined;
  return parent?.ci95?.[leaf];
}

/** Whether `a` and `b` (paired per-replication values) differ by less than the noise: the 95% interval of a − b holds 0. */
export function pairedTie(a: readonly number[], b: readonly number[]): boolean {
  const { mean, ci95 } = meanInterval(a.map((x, i) => x - b[i]!));
  return mean === 0 || (ci95.low <= 0 && ci95.high >= 0);
}

/**
 * Indexes of the strategies marked best on a row of `path` (see the file comment); `among`
 * limits who competes (the contenders of `verdict.ts`).
 */
export function markedBest(strategies: readonly StrategySummary[], path: string, values: readonly number[], better: Better, format: (value: number) => string, among?: ReadonlySet<number>): ReadonlySet<number> {
  const competing = strategies.flatMap((_, i) => (among === undefined || among.has(i) ? [i] : []));
  const series = competing.map((i) => replicatesAt(strategies[i]!, path));
  if (better === 'none' || competing.length < 2 || series.some((s) => s === undefined || s.length < 2)) return bestIndexes(values, better, format, among);
  const sign = better === 'lower' ? 1 : -1;
  const best = competing.reduce((a, b) => (sign * values[b]! < sign * values[a]! ? b : a));
  const ties = competing.filter((i) => i === best || pairedTie(replicatesAt(strategies[i]!, path)!, replicatesAt(strategies[best]!, path)!));
  return ties.length === competing.length ? new Set() : new Set(ties);
}

/** What the figures are, in a sentence or two: the mean of N runs with intervals, or one run. */
export function provenance(summary: Summary): string {
  const n = summary.replications ?? 1;
  if (n > 1) return `Mean of ${n} runs (seeds ${summary.seed}/rep/0 … /rep/${n - 1}); ± is the 95% interval of the mean (Student's t). Marks are judged on paired differences: strategies share seeds, and one whose difference from the best is inside its 95% interval ties with it.`;
  return `One run (seed ${summary.seed}): no intervals. Run with --replications N to see how much a figure moves from seed to seed.`;
}
