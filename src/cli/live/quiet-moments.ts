/**
 * A live run compares real servers with lbsim session by session, so a timeline event must not
 * race a request: a backend killed while a request is in service there, or a millisecond before
 * one arrives, fails that request on one side and not on the other, and with round robin the
 * balancer's position then differs for every later pick. nginx adds a race of its own: it counts
 * `fail_timeout` from the whole wall-clock second of a failure, so a failure a millisecond either
 * side of a second moves when the server is tried again by a whole second.
 *
 * So each moment a timeline event changes a backend (its start, and its end when it has a
 * duration) is moved to the nearest moment at which, in lbsim's own run of that strategy, no
 * attempt on that backend is in progress or due within `marginMs`, and (nginx) the first failed
 * attempt after it falls no closer than `marginMs` to a whole second. The moves are at most
 * `maxShiftMs`, are reported, and the prediction runs on the moved timeline. A moment with no quiet time within
 * reach stays where it was and is reported as not quiet.
 */
import type { Scenario, StrategySpec, TimelineEvent } from '../../scenario/index.js';
import { runStrategy } from '../../sim/index.js';

export interface QuietOptions {
  /** Nothing on the backend this close to the moment (ms): the driver's lateness and a hop stay under it. */
  readonly marginMs: number;
  /** The farthest a moment is moved (ms). */
  readonly maxShiftMs: number;
  /** The candidates' spacing (ms). */
  readonly stepMs: number;
  /** Also keep failed attempts off whole seconds (nginx's passive health). */
  readonly wholeSeconds: boolean;
}

export const DEFAULT_QUIET: Omit<QuietOptions, 'wholeSeconds'> = { marginMs: 20, maxShiftMs: 1000, stepMs: 5 };

/** One moment of the timeline, where the scenario had it and where the live run has it. */
export interface MovedMoment {
  readonly backend: string;
  /** What happens then, in the timeline's words (`refused`, `up`, `slow`, `errors`, `normal`). */
  readonly change: string;
  readonly scenarioMs: number;
  readonly liveMs: number;
  /** False when no quiet moment was within reach: the moment kept its time and may race a request. */
  readonly quiet: boolean;
}

/** A moment of an event: its start, or its end (`atMs + durationMs`). */
interface MomentRef {
  readonly event: number;
  readonly edge: 'start' | 'end';
  readonly backend: string;
  readonly change: string;
}

type BackendEvent = Extract<TimelineEvent, { kind: 'mode' | 'slow' | 'errors' }>;

const onBackend = (e: TimelineEvent): e is BackendEvent => e.kind === 'mode' || e.kind === 'slow' || e.kind === 'errors';

function momentsOf(timeline: readonly TimelineEvent[]): MomentRef[] {
  const moments: MomentRef[] = [];
  timeline.forEach((e, event) => {
    if (!onBackend(e)) return;
    const change = e.kind === 'mode' ? e.mode : e.kind === 'slow' ? `slow ×${e.speed}` : 'answers errors';
    moments.push({ event, edge: 'start', backend: e.backend, change });
    if (e.durationMs !== undefined) moments.push({ event, edge: 'end', backend: e.backend, change: e.kind === 'mode' ? 'up' : 'normal' });
  });
  return moments;
}

const timeOf = (timeline: readonly TimelineEvent[], m: MomentRef): number => {
  const e = timeline[m.event] as BackendEvent;
  return m.edge === 'start' ? e.atMs : e.atMs + (e.durationMs ?? 0);
};

/** The timeline with one moment at `t` (an end keeps its place when its start moves, and the reverse). */
function withMoment(timeline: readonly TimelineEvent[], m: MomentRef, t: number): TimelineEvent[] {
  return timeline.map((e, i) => {
    if (i !== m.event || !onBackend(e)) return e;
    if (m.edge === 'end') return { ...e, durationMs: t - e.atMs };
    const end = e.durationMs === undefined ? undefined : e.atMs + e.durationMs;
    return { ...e, atMs: t, ...(end === undefined ? {} : { durationMs: end - t }) };
  }) as TimelineEvent[];
}

/** Attempts of one run: per backend, [start, end] of each; and the failed attempts' ends. */
interface Attempts {
  readonly busy: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  readonly failedAt: readonly number[];
}

function attemptsOf(scenario: Scenario, spec: StrategySpec): Attempts {
  const busy = new Map<number, [number, number][]>();
  const failedAt: number[] = [];
  // A request's first attempt starts when it does; each later one when the one before ended.
  const from = new Map<number, number>();
  runStrategy(scenario, spec, {
    observe: (_, e) => {
      if (e.type === 'request-start') from.set(e.req, e.t);
      else if (e.type === 'attempt-end') {
        const list = busy.get(e.backend) ?? [];
        list.push([from.get(e.req) ?? e.t, e.t]);
        busy.set(e.backend, list);
        from.set(e.req, e.t);
        if (!e.ok) failedAt.push(e.t);
      } else if (e.type === 'request-end') from.delete(e.req);
    },
  });
  return { busy, failedAt };
}

/**
 * Whether nothing races a moment at `t` on backend `b` in this run. With nginx, the first failed
 * attempt from the moment on (before the next moment, `until`) must also be clear of a whole
 * second: it starts `fail_timeout`. Later failures are not asked: nginx tries the server again at
 * the first request after a whole second, so with dense traffic they come just after one, in
 * lbsim and in nginx alike.
 */
function quietAt(run: Attempts, b: number, t: number, until: number, options: QuietOptions): boolean {
  const m = options.marginMs;
  if ((run.busy.get(b) ?? []).some(([start, end]) => start <= t + m && end >= t - m)) return false;
  if (!options.wholeSeconds) return true;
  const first = run.failedAt.find((at) => at >= t - m);
  if (first === undefined || first >= until) return true;
  const intoSecond = ((first % 1000) + 1000) % 1000;
  return intoSecond >= m && intoSecond <= 1000 - m;
}

/** The candidates for a moment at `t0`: nearest first, never before 0. */
function* candidates(t0: number, options: QuietOptions): Generator<number> {
  yield t0;
  for (let d = options.stepMs; d <= options.maxShiftMs; d += options.stepMs) {
    if (t0 - d >= 0) yield t0 - d;
    yield t0 + d;
  }
}

/**
 * The scenario with each backend moment of its timeline moved to the nearest quiet time for
 * this strategy, in time order (each moment is placed with the earlier ones already placed).
 */
export function quietTimeline(scenario: Scenario, spec: StrategySpec, options: QuietOptions): { readonly scenario: Scenario; readonly moved: readonly MovedMoment[] } {
  let timeline = [...scenario.timeline];
  const moments = momentsOf(timeline).sort((a, b) => timeOf(timeline, a) - timeOf(timeline, b));
  const moved: MovedMoment[] = [];
  const index = new Map(scenario.backends.map((b, i) => [b.name, i]));
  for (const [n, m] of moments.entries()) {
    const t0 = timeOf(timeline, m);
    const next = moments[n + 1];
    const until = next === undefined ? Infinity : timeOf(timeline, next);
    const b = index.get(m.backend) ?? -1;
    // The run as it stands: a first sieve, exact before t0 (and t0 itself); a candidate it passes is checked on its own run.
    const before = attemptsOf({ ...scenario, timeline }, spec);
    let placed: number | undefined;
    for (const t of candidates(t0, options)) {
      // The other edge of the same event stays on its side of this one.
      const e = timeline[m.event] as BackendEvent;
      if (m.edge === 'start' && e.durationMs !== undefined && t >= e.atMs + e.durationMs) continue;
      if (m.edge === 'end' && t <= e.atMs) continue;
      if (t < t0 && !quietAt(before, b, t, until, options)) continue;
      const candidate = withMoment(timeline, m, t);
      if (quietAt(attemptsOf({ ...scenario, timeline: candidate }, spec), b, t, until, options)) {
        placed = t;
        timeline = candidate;
        break;
      }
    }
    moved.push({ backend: m.backend, change: m.change, scenarioMs: t0, liveMs: placed ?? t0, quiet: placed !== undefined });
  }
  return { scenario: { ...scenario, timeline }, moved };
}
