/**
 * Replications: the same scenario run with N independent seeds, summarised as the mean of every
 * figure with a 95% confidence interval (Student's t, n − 1 degrees of freedom). Every numeric
 * field keeps its name (now the mean over the replications) and each object gains a sibling
 * `ci95` holding `{ low, high, halfWidth }` for its numeric fields, so scripts that read a plain
 * summary read a replicated one too.
 */
import { pow } from '../engine/index.js';
import { roundTo } from './format.js';
import type { Summary } from './summary.js';

/** Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom. */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t₀.₉₇₅ for `df` degrees of freedom (table to 30, a Cornish–Fisher expansion beyond, within 1e-4). */
export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T_975[Math.round(df) - 1]!;
  const z = 1.959964;
  return z + (pow(z, 3) + z) / (4 * df) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * df * df);
}

export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly halfWidth: number;
}

/** Mean and 95% interval of a sample (halfWidth 0 for a single value). */
export function meanInterval(values: readonly number[]): { readonly mean: number; readonly ci95: Interval } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: { low: mean, high: mean, halfWidth: 0 } };
  const variance = values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (n - 1);
  const halfWidth = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { mean, ci95: { low: mean - halfWidth, high: mean + halfWidth, halfWidth } };
}

const round = (value: number) => roundTo(value, 6);

/** Mean and 95% interval of a sample, rounded as every replicated figure is (6 decimals). */
export function roundedInterval(values: readonly number[]): { readonly mean: number; readonly ci95: Interval } {
  const { mean, ci95 } = meanInterval(values);
  return { mean: round(mean), ci95: { low: round(ci95.low), high: round(ci95.high), halfWidth: round(ci95.halfWidth) } };
}

/** Averages structurally identical values; numbers get means and their object a `ci95` sibling. */
function combine(values: readonly unknown[]): unknown {
  const first = values[0];
  if (typeof first === 'number') return roundedInterval(values as number[]).mean;
  if (Array.isArray(first)) {
    const length = Math.min(...values.map((v) => (v as unknown[]).length));
    return Array.from({ length }, (_, i) => combine(values.map((v) => (v as unknown[])[i])));
  }
  if (first === null || typeof first !== 'object') return first;
  const out: Record<string, unknown> = {};
  const ci95: Record<string, Interval> = {};
  for (const key of Object.keys(first)) {
    const column = values.map((v) => (v as Record<string, unknown>)[key]);
    if (typeof column[0] === 'number' && column.every((c) => typeof c === 'number')) {
      const { mean, ci95: interval } = roundedInterval(column as number[]);
      out[key] = mean;
      ci95[key] = interval;
    } else out[key] = combine(column);
  }
  if (Object.keys(ci95).length > 0) out['ci95'] = ci95;
  return out;
}

/** The single numbers of `value` by dotted path (`latencyMs.p50`), lists and per-window series left out. */
function scalarPaths(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'timeline' || key === 'ci95') continue;
    if (typeof child === 'number') out[`${prefix}${key}`] = child;
    else scalarPaths(child, `${prefix}${key}.`, out);
  }
  return out;
}

/** A replicated summary: the per-strategy figures averaged over `summaries` (one per seed), with 95% intervals; `seed` is the scenario's own. */
export function combineReplications(summaries: readonly Summary[], seed: string): Summary & { readonly replications: number; readonly seeds: readonly string[] } {
  const first = summaries[0]!;
  const strategies = first.strategies.map((_, j) => {
    // Per-window timelines are kept from the first replication only: averaging windows of
    // different runs would describe no run.
    const { timeline, ...rest } = combine(summaries.map((s) => ({ ...s.strategies[j]!, timeline: undefined }))) as Summary['strategies'][number];
    void timeline;
    const each = summaries.map((s) => scalarPaths(s.strategies[j]));
    const replicates = Object.fromEntries(Object.keys(each[0]!).map((path) => [path, each.map((values) => values[path]!)]));
    // Past the backends detailed, each replication names its own busiest and least busy: averaging
    // them by position would mix backends, so the first replication's are kept, like its timeline.
    const named = first.strategies[j]!.backendsSummary === undefined ? {} : { backends: first.strategies[j]!.backends };
    return first.strategies[j]!.timeline ? { ...rest, ...named, timeline: first.strategies[j]!.timeline, replicates } : { ...rest, ...named, replicates };
  });
  return { ...first, seed, replications: summaries.length, seeds: summaries.map((s) => s.seed), strategies };
}
