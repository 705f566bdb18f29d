/**
 * The measurement in the shape of a strategy in `summary.json`: the live run's answers and the
 * balancer's log are turned into the events a simulated run emits, and the same analyzers and
 * the same summary turn those into figures, so that predicted and measured are computed alike.
 *
 * What each event comes from:
 * - sessions: their arrival (planned time plus how late the driver was), and their end as the
 *   answers decided it: a 409 is `state-stale`; a 410 says only that the state was missing, and
 *   why is found as lbsim finds it, from what the run did (`breakCauses`);
 * - requests: when the driver sent each and how long its answer took; the backend that answered
 *   (its `x-backend` header);
 * - attempts: nginx logs every upstream tried with its status; HAProxy logs the server that
 *   answered and its retries, whose server is the one the run had killed at that moment;
 * - backends' busy time and store operations: the backends' own headers (`x-backend-ms` less
 *   `x-queue-ms`; `x-store`);
 * - backend modes and slow-downs: what the live run did to the processes, at its moments.
 */
import { runAnalyzers, defaultWindowMs } from '../../analyzers/index.js';
import { cartFilled, deliver, missingStateCause, type BreakCause, type RequestOutcome, type SimEvent } from '../../model/index.js';
import { buildSummary, type StrategySummary } from '../../report/index.js';
import type { Scenario, StrategySpec } from '../../scenario/index.js';
import { seriesBounds } from '../../sim/index.js';
import { LBSIM_VERSION } from '../../version.js';
import type { LoggedRequest } from './compare.js';
import { balancerAffinity } from '../../strategies/index.js';
import type { DriveResult, MeasuredCause, MeasuredRequest } from './driver.js';
import { backendChanges, type BackendChange } from './live-scenario.js';
import type { LiveSession } from './sessions.js';

/** The cause lbsim names for each class an answer shows. */
export const CLASS_CAUSE: Readonly<Record<MeasuredCause, BreakCause>> = { missing: 'state-missing', stale: 'state-stale', 'store-down': 'store-down', 'request-failed': 'request-failed' };

/**
 * A request's outcome as lbsim counts it: a backend that answers about the session's state (no
 * state, older state) completed the request, and the session breaks; 503 is a refusal.
 */
function outcomeOf(status: number): RequestOutcome {
  if (status === 200 || status === 409 || status === 410) return 'completed';
  return status === 503 ? 'rejected' : 'failed';
}

/**
 * Why each broken session broke, from the class its answer showed and what is known of the run:
 * a missing state is `backend-failed` when the backend that held it was killed since the
 * session's last write, and otherwise as lbsim's rule (`missingStateCause`) decides from the
 * client's address, the method and the backends' recoveries.
 */
function breakCauses(spec: StrategySpec, sessions: readonly LiveSession[], drive: DriveResult, changes: readonly BackendChange[]): (session: number, cls: MeasuredCause) => BreakCause {
  // As the run decides it: a key hashed on the client's address places by address.
  const affinity = balancerAffinity(spec.balancer);
  const plan = new Map(sessions.map((s) => [s.index, s]));
  const bySession = new Map<number, MeasuredRequest[]>();
  for (const r of [...drive.requests].sort((a, b) => a.sentMs - b.sentMs)) {
    const session = Number(r.id.split('.')[0]);
    const list = bySession.get(session);
    if (list === undefined) bySession.set(session, [r]);
    else list.push(r);
  }
  const killedBetween = (backend: string | undefined, from: number, to: number) => changes.some((c) => c.kind === 'mode' && c.mode === 'refused' && c.backend === backend && c.atMs > from && c.atMs <= to);
  const recoveredBy = (backend: string | undefined, t: number) => changes.some((c) => c.kind === 'mode' && c.mode === 'up' && c.backend === backend && c.atMs <= t);
  return (session, cls) => {
    if (cls !== 'missing') return CLASS_CAUSE[cls];
    const steps = plan.get(session)!.steps;
    let holder: string | undefined;
    let wroteAt = -Infinity;
    let lastClient: string | undefined;
    for (const r of bySession.get(session) ?? []) {
      const [, step, k] = r.id.split('.').map(Number) as [number, number, number];
      if (r.status !== 200) {
        const clientChanged = lastClient !== undefined && steps[step]!.address !== lastClient;
        // No pool changes live (a reload is refused): the holder never left the pool.
        return missingStateCause(false, killedBetween(holder, wroteAt, r.sentMs), affinity === 'key' || affinity === 'address', false, affinity === 'address', clientChanged, recoveredBy(r.backend, r.sentMs));
      }
      lastClient = steps[step]!.address;
      if (steps[step]!.requests[k]!.writes) [holder, wroteAt] = [r.backend, r.sentMs];
    }
    return 'state-missing';
  };
}

/** An event without its session's slot, which is known only once the events are in time order. */
type WithoutSlot<E> = E extends unknown ? Omit<E, 'slot'> : never;
/** An event to deliver, with the order it was made in (ties keep it). */
type Pending = { readonly t: number; readonly order: number; readonly event: WithoutSlot<SimEvent> };

export function measuredSummary(scenario: Scenario, spec: StrategySpec, sessions: readonly LiveSession[], drive: DriveResult, logged: ReadonlyMap<string, LoggedRequest>, generatedAt: Date): StrategySummary {
  const names = scenario.backends.map((b) => b.name);
  const indexOf = new Map(names.map((n, i) => [n, i]));
  const changes = backendChanges(scenario.timeline);
  const pending: Pending[] = [];
  const add = (t: number, event: Pending['event']) => pending.push({ t, order: pending.length, event });
  /** The backend the run had killed at `t` (HAProxy's failed attempt), or -1. */
  const killedAt = (t: number) => {
    const dead = new Set<string>();
    for (const c of changes) if (c.kind === 'mode' && c.atMs <= t) (c.mode === 'refused' ? dead.add(c.backend) : dead.delete(c.backend));
    return dead.size === 1 ? (indexOf.get([...dead][0]!) ?? -1) : -1;
  };
  for (const c of changes) {
    const b = indexOf.get(c.backend) ?? -1;
    if (c.kind === 'mode') add(c.atMs, { type: 'backend-state', t: c.atMs, backend: b, mode: c.mode });
    else if (c.kind === 'slow') add(c.atMs, { type: 'scenario-event', t: c.atMs, backend: b, change: c.speed === 1 ? { kind: 'normal-speed' } : { kind: 'slow', speed: c.speed } });
    else add(c.atMs, { type: 'scenario-event', t: c.atMs, backend: b, change: c.on ? { kind: 'answers-errors' } : { kind: 'answers-normally' } });
  }
  const plan = new Map(sessions.map((s) => [s.index, s]));
  const lastEnd = new Map<number, number>();
  let busy = names.map(() => 0);
  const store = { reads: 0, writes: 0, hits: 0 };
  drive.requests.forEach((r, req) => {
    const [session, step] = r.id.split('.').map(Number) as [number, number];
    const end = r.sentMs + r.latencyMs;
    lastEnd.set(session, Math.max(lastEnd.get(session) ?? 0, end));
    add(r.sentMs, { type: 'request-start', t: r.sentMs, req, session, step });
    const log = logged.get(r.id);
    const answered = r.backend === undefined ? -1 : (indexOf.get(r.backend) ?? -1);
    for (const upstream of log?.failedUpstreams ?? []) {
      const b = upstream === undefined ? killedAt(r.sentMs) : (indexOf.get(upstream) ?? -1);
      if (b >= 0) add(r.sentMs, { type: 'attempt-end', t: r.sentMs, req, backend: b, ok: false, backendDown: true });
    }
    if (answered >= 0) {
      add(end, { type: 'attempt-end', t: end, req, backend: answered, ok: r.status < 500, backendDown: false });
      busy[answered]! += (r.backendMs ?? 0) - (r.queueMs ?? 0);
    }
    store.reads += r.store?.reads ?? 0;
    store.writes += r.store?.writes ?? 0;
    store.hits += r.store?.hits ?? 0;
    add(end, { type: 'request-end', t: end, req, session, step, backend: answered, outcome: outcomeOf(r.status), status: r.status, latencyMs: r.latencyMs, lockWaitMs: 0, lockTimedOut: false, lostUpdates: 0 });
  });
  const cartStep = scenario.journey.steps.findIndex((s) => s.fillsCart);
  const causeOf = breakCauses(spec, sessions, drive, changes);
  for (const s of drive.sessions) {
    const planned = plan.get(s.index)!;
    const start = planned.arrivalMs + s.lateMs;
    add(start, { type: 'session-start', t: start, session: s.index });
    const end = lastEnd.get(s.index) ?? start;
    add(end, {
      type: 'session-end',
      t: end,
      session: s.index,
      outcome: s.outcome,
      cause: s.cause === undefined ? undefined : causeOf(s.index, s.cause),
      stepsCompleted: s.stepsCompleted,
      cartFilled: cartFilled(cartStep, s.stepsCompleted),
      orderValue: planned.orderValue,
      plannedToPay: planned.lastStep === planned.steps.length - 1,
    });
  }
  // In time order; a session takes a slot free when it starts (any slot unique among live sessions will do).
  pending.sort((a, b) => a.t - b.t || a.order - b.order);
  const analyzers = runAnalyzers(scenario.journey.steps.length, names.length, scenario.timeseriesWindowMs ?? defaultWindowMs(scenario.arrivals.referenceWindowMs), seriesBounds(scenario));
  const slotOf = new Map<number, number>();
  const free: number[] = [];
  let slots = 0;
  let endTime = 0;
  for (const { t, event } of pending) {
    if (event.type === 'session-start') slotOf.set(event.session, free.pop() ?? slots++);
    const withSlot = 'session' in event && event.type !== 'request-start' ? { ...event, slot: slotOf.get(event.session)! } : event;
    deliver(analyzers.handlers, withSlot as SimEvent);
    if (event.type === 'session-end') free.push(slotOf.get(event.session)!);
    endTime = Math.max(endTime, t);
  }
  busy = busy.map((ms) => Math.max(0, ms));
  const result = {
    spec,
    ...analyzers.finish(endTime),
    facts: { endTimeMs: endTime, eventsProcessed: pending.length, busyTimeMs: busy, store: { ...store, misses: store.reads - store.hits, evictions: 0, expirations: 0, kind: spec.store }, detections: undefined },
    backendNames: names,
  };
  return buildSummary({ scenario, strategies: [result] }, { lbsimVersion: LBSIM_VERSION, generatedAt: generatedAt.toISOString(), runTimeMs: 0 }, null).strategies[0]!;
}
