/**
 * Per-backend figures past the backends the output details (LIMITS.backendDetail): the summary
 * lists the busiest and the least busy backends by name (LIMITS.backendsShown of each), and gives
 * the distribution of every figure over all of them, so a run over ten thousand backends writes
 * a summary of kilobytes, not of a hundred megabytes. docs/scenario.md ("Limits") gives the shape.
 */
import { LIMITS } from '../scenario/index.js';
import { roundTo } from './format.js';

/** One backend's figures in the summary. */
export interface BackendRow {
  readonly name: string;
  readonly requests: number;
  readonly peakSessions: number;
  readonly utilization: number;
}

/** A figure over every backend: its extremes, quartiles, mean and total. */
export interface Spread {
  readonly min: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly max: number;
  readonly mean: number;
  readonly total: number;
}

/** What stands in for the backends left out: how many there are, how many are listed, and each figure's spread. */
export interface BackendsSummary {
  readonly count: number;
  readonly shown: number;
  readonly requests: Spread;
  readonly peakSessions: Spread;
  readonly utilization: Spread;
}

/** The value at quantile `q` of sorted `values` (nearest rank). */
const at = (sorted: Float64Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

function spread(values: readonly number[]): Spread {
  const sorted = Float64Array.from(values).sort();
  const total = values.reduce((a, b) => a + b, 0);
  return { min: sorted[0] ?? 0, p25: at(sorted, 0.25), p50: at(sorted, 0.5), p75: at(sorted, 0.75), max: at(sorted, 1), mean: roundTo(total / Math.max(1, values.length), 6), total: roundTo(total, 6) };
}

/**
 * Every backend, when there are at most LIMITS.backendDetail; else the busiest and the least busy
 * by requests (busiest first; ties in scenario order) and the spread of each figure.
 */
export function shownBackends(rows: readonly BackendRow[]): { readonly backends: readonly BackendRow[]; readonly backendsSummary?: BackendsSummary } {
  if (rows.length <= LIMITS.backendDetail) return { backends: rows };
  const order = rows.map((_, i) => i).sort((a, b) => rows[b]!.requests - rows[a]!.requests || a - b);
  const shown = [...order.slice(0, LIMITS.backendsShown), ...order.slice(-LIMITS.backendsShown)].map((i) => rows[i]!);
  return {
    backends: shown,
    backendsSummary: {
      count: rows.length,
      shown: shown.length,
      requests: spread(rows.map((r) => r.requests)),
      peakSessions: spread(rows.map((r) => r.peakSessions)),
      utilization: spread(rows.map((r) => r.utilization)),
    },
  };
}
