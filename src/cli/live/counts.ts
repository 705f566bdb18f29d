/**
 * Methods whose picks depend on timing or randomness (round robin across sessions, least_conn,
 * random) cannot be compared session by session: which request a concurrent session sends
 * first decides the next pick. They are compared by counts instead, each measured count against
 * the spread of lbsim's replications (the seed's run and `LIVE_REPLICATIONS` more (compare.ts), seeds
 * `<seed>/rep/<i>` as `lbsim run --replications` draws them): within the lowest and highest of
 * those runs, the difference is inside what lbsim itself would show run to run.
 */
import type { Prediction } from './compare.js';

/** One count, predicted (the seed's run), its replications' range, and measured. */
export interface CountCheck {
  readonly count: string;
  readonly predicted: number;
  readonly low: number;
  readonly high: number;
  readonly measured: number;
  readonly within: boolean;
}

/** The counts compared, as a prediction or a measurement gives them. */
export interface Counts {
  readonly completed: number;
  readonly abandoned: number;
  readonly broken: number;
  /** Per backend in scenario order: requests it answered. */
  readonly answers: readonly number[];
}

export function predictedCounts(p: Prediction): Counts {
  const s = p.summary.sessions;
  return { completed: s.completed, abandoned: s.abandoned, broken: s.broken, answers: p.answers };
}

export function countChecks(names: readonly string[], own: Counts, others: readonly Counts[], measured: Counts): CountCheck[] {
  const all = [own, ...others];
  const check = (count: string, of: (c: Counts) => number): CountCheck => {
    const values = all.map(of);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const m = of(measured);
    return { count, predicted: of(own), low, high, measured: m, within: m >= low && m <= high };
  };
  return [
    check('sessions completed', (c) => c.completed),
    check('sessions abandoned', (c) => c.abandoned),
    check('sessions broken', (c) => c.broken),
    ...names.map((name, i) => check(`answers from ${name}`, (c) => c.answers[i] ?? 0)),
  ];
}
