/**
 * One strategy over one scenario: sessions arrive, each step is routed through the strategy and
 * nginx's attempt loop (`UpstreamRequest`), served by a backend, checked against the session
 * store, and every fact is emitted to the analyzers. The same workload (same seed, same streams)
 * is replayed for every strategy, so differences between strategies are the strategies'.
 *
 * A session breaks at the first step that cannot be served as the user expects, with one cause
 * (the first that applied, in this order): the client got an error (`request-failed`); a coupled
 * step moved (`coupled-moved`, or `backend-failed` when its backend died); the state was not
 * readable (`backend-failed` / `failback` when the holder's memory died, else what the store says).
 */
import { Priority, Scheduler, type EventTarget, type SimTime } from '../engine/index.js';
import {
  Backend,
  LocalSessionStore,
  SharedSessionCache,
  Workload,
  type BackendHost,
  type BreakCause,
  type ReadFailure,
  type Request,
  type SessionOutcome,
  type SessionPlan,
  type SessionStore,
  type SimEvent,
} from '../model/index.js';
import type { Scenario, StrategySpec } from '../scenario/index.js';
import { createStrategy, type ResponseHeaders, type Strategy } from '../strategies/index.js';
import { attemptFailureFor, UpstreamRequest, type AttemptFailure } from './upstream.js';
import type { RunRng } from './rng.js';

/** Receives every event of the run, in order. */
export type EventSink = (event: SimEvent) => void;

const ARRIVAL = 0;
const NEXT_STEP = 1;
const ATTEMPT_FAILED = 2;
const BACKEND_UP = 3;

const READ_FAILURE_CAUSE: Readonly<Record<Exclude<ReadFailure, 'missing'>, BreakCause>> = {
  stale: 'state-stale',
  expired: 'expired',
  evicted: 'evicted',
  'not-serializable': 'not-serializable',
  'store-down': 'store-down',
};

const NO_COOKIES: ReadonlyMap<string, string> = new Map();

interface Cookie {
  value: string;
  expiresAt: SimTime;
}

interface SessionState {
  readonly plan: SessionPlan;
  step: number;
  /** Writes so far: the version a read must see. */
  version: number;
  /** Backend that made the last write, and its incarnation then (-1: none yet). */
  holder: number;
  holderIncarnation: number;
  /** The holder before the current one (for failback). */
  formerHolder: number;
  formerHolderIncarnation: number;
  /** Backend that completed the previous step (coupled steps must run there). */
  lastServed: number;
  lastServedIncarnation: number;
  cookies: Map<string, Cookie> | undefined;
  pendingBreak: BreakCause | undefined;
}

interface RequestState {
  readonly id: number;
  readonly session: SessionState;
  readonly sentAt: SimTime;
  readonly upstream: UpstreamRequest;
  backend: number;
  attemptStartedAt: SimTime;
  failure: AttemptFailure | undefined;
}

/** What one strategy's run leaves besides the analyzers' results. */
export interface RunFacts {
  readonly endTimeMs: SimTime;
  readonly eventsProcessed: number;
  /** Worker-ms busy per backend. */
  readonly busyTimeMs: readonly number[];
  readonly store: ReturnType<SessionStore['stats']> & { readonly kind: SessionStore['kind'] };
}

export class StrategyRun implements EventTarget, BackendHost {
  private readonly scheduler = new Scheduler();
  private readonly backends: Backend[];
  private readonly backendIndex = new Map<string, number>();
  private readonly strategy: Strategy;
  private readonly store: SessionStore;
  private readonly workload: Workload;
  private readonly sessions = new Map<number, SessionState>();
  private readonly requests = new Map<number, RequestState>();
  private readonly cartStep: number;
  private nextRequestId = 0;
  private pendingArrival: SessionPlan | undefined;

  constructor(
    private readonly scenario: Scenario,
    spec: StrategySpec,
    rng: RunRng,
    private readonly emit: EventSink,
  ) {
    this.backends = scenario.backends.map((b, i) => new Backend(i, b, this.scheduler, this));
    scenario.backends.forEach((b, i) => this.backendIndex.set(b.name, i));
    const peers = scenario.backends.map((b) => ({ name: b.name, weight: b.weight, down: b.down, backup: false, maxFails: b.maxFails, failTimeoutMs: b.failTimeoutMs }));
    const sticky = spec.sticky ? { cookie: spec.sticky.cookie.maxAge === undefined ? { name: spec.sticky.cookie.name } : { name: spec.sticky.cookie.name, maxAgeMs: spec.sticky.cookie.maxAge } } : undefined;
    this.strategy = createStrategy(spec.balancer, sticky, peers);
    this.store = spec.store === 'local' ? new LocalSessionStore(this.backends.length, scenario.stores.local.ttl) : new SharedSessionCache({ roundTripMs: scenario.stores.shared.roundTrip, ttlMs: scenario.stores.shared.ttl, capacity: scenario.stores.shared.capacity });
    this.workload = new Workload(workloadSpec(scenario), rng.root);
    this.cartStep = cartStepOf(scenario);
  }

  /** Runs to the end (arrivals over, every session ended) and returns the run's facts. */
  run(): RunFacts {
    for (const event of this.scenario.timeline) {
      const index = this.backendIndex.get(event.backend)!;
      this.scheduler.at(event.atMs, () => this.setBackendMode(index, event.mode), Priority.Urgent);
      if (event.durationMs !== undefined && event.mode !== 'up') this.scheduler.schedule(event.atMs + event.durationMs, this, BACKEND_UP, index, Priority.Urgent);
    }
    this.scheduleNextArrival();
    const stats = this.scheduler.run();
    return {
      endTimeMs: stats.endTime,
      eventsProcessed: stats.eventsProcessed,
      busyTimeMs: this.backends.map((b) => b.busyTimeMs(stats.endTime)),
      store: { kind: this.store.kind, ...this.store.stats() },
    };
  }

  fire(kind: number, ref: number, now: SimTime): void {
    switch (kind) {
      case ARRIVAL:
        this.arrive(now);
        break;
      case NEXT_STEP:
        this.issueStep(this.sessions.get(ref)!, now);
        break;
      case ATTEMPT_FAILED:
        this.attemptFailed(this.requests.get(ref)!, now);
        break;
      case BACKEND_UP:
        this.setBackendMode(ref, 'up');
        break;
    }
  }

  private scheduleNextArrival(): void {
    this.pendingArrival = this.workload.next();
    if (this.pendingArrival) this.scheduler.schedule(this.pendingArrival.arrivalMs, this, ARRIVAL, 0);
  }

  private arrive(now: SimTime): void {
    const plan = this.pendingArrival!;
    const session: SessionState = {
      plan,
      step: 0,
      version: 0,
      holder: -1,
      holderIncarnation: 0,
      formerHolder: -1,
      formerHolderIncarnation: 0,
      lastServed: -1,
      lastServedIncarnation: 0,
      cookies: undefined,
      pendingBreak: undefined,
    };
    this.sessions.set(plan.index, session);
    this.emit({ type: 'session-start', t: now, session: plan.index });
    this.scheduleNextArrival();
    this.issueStep(session, now);
  }

  private issueStep(session: SessionState, now: SimTime): void {
    const step = this.scenario.journey.steps[session.step]!;
    const request: Request = {
      id: this.nextRequestId++,
      sessionId: session.plan.id,
      step: step.name,
      method: step.method,
      client: session.plan.client,
      cookies: this.cookiesFor(session, now),
      sentAt: now,
    };
    const upstream = new UpstreamRequest(this.strategy.open(request, now), step.method, this.scenario.proxy);
    const state: RequestState = { id: request.id, session, sentAt: now, upstream, backend: -1, attemptStartedAt: now, failure: undefined };
    this.requests.set(state.id, state);
    this.emit({ type: 'request-start', t: now, req: state.id, session: session.plan.index, step: session.step });
    this.nextAttempt(state, now);
  }

  private nextAttempt(request: RequestState, now: SimTime): void {
    const pick = request.upstream.nextAttempt(now);
    if (pick === undefined) {
      this.finishRequest(request, now, 'failed', request.upstream.status ?? 502, -1);
      return;
    }
    const index = this.backendIndex.get(pick.backend)!;
    const backend = this.backends[index]!;
    request.backend = index;
    request.attemptStartedAt = now;
    if (backend.mode === 'up') {
      if (!backend.admit(request.id, now)) {
        // The backend answers 503 at once; nginx passes it to the client (not an upstream failure).
        request.upstream.attemptSucceeded(backend.name, now, this.responseFor(request.session, now));
        this.emit({ type: 'attempt-end', t: now, req: request.id, backend: index, ok: true, backendDown: false });
        this.finishRequest(request, now, 'rejected', 503, index);
      }
      return;
    }
    const { failure, durationMs } = attemptFailureFor(backend.mode, this.scenario.proxy);
    this.scheduleFailure(request, failure, now + durationMs);
  }

  private scheduleFailure(request: RequestState, failure: AttemptFailure, at: SimTime): void {
    request.failure = failure;
    this.scheduler.schedule(at, this, ATTEMPT_FAILED, request.id);
  }

  private attemptFailed(request: RequestState, now: SimTime): void {
    const backend = this.backends[request.backend]!;
    this.emit({ type: 'attempt-end', t: now, req: request.id, backend: request.backend, ok: false, backendDown: true });
    request.upstream.attemptFailed(backend.name, request.failure!, now);
    this.nextAttempt(request, now);
  }

  /** BackendHost: service starts; decides whether this step breaks the session, returns its duration. */
  serviceStarted(ref: number, backend: Backend, now: SimTime): SimTime {
    const request = this.requests.get(ref)!;
    const session = request.session;
    const step = this.scenario.journey.steps[session.step]!;
    session.pendingBreak = this.breakCause(session, step, backend, now);
    const storeTrips = this.store.roundTripMs * (step.writes ? 2 : 1);
    return session.plan.serviceMs[session.step]! / backend.speed + storeTrips;
  }

  /** BackendHost: service ends; the answer goes back through the balancer. */
  serviceEnded(ref: number, backend: Backend, now: SimTime): void {
    const request = this.requests.get(ref)!;
    const session = request.session;
    const step = this.scenario.journey.steps[session.step]!;
    if (session.pendingBreak === undefined) {
      if (step.writes) this.recordWrite(session, backend, now);
      session.lastServed = backend.index;
      session.lastServedIncarnation = backend.incarnation;
    }
    request.upstream.attemptSucceeded(backend.name, now, this.responseFor(session, now));
    this.emit({ type: 'attempt-end', t: now, req: ref, backend: backend.index, ok: true, backendDown: false });
    this.finishRequest(request, now, 'completed', 200, backend.index);
  }

  /** BackendHost: the backend left `up` while `ref` was queued or in service. */
  requestLost(ref: number, backend: Backend, now: SimTime): void {
    const request = this.requests.get(ref)!;
    const { failure, durationMs } = attemptFailureFor(backend.mode === 'up' ? 'crash' : backend.mode, this.scenario.proxy);
    // The request had been sent: a timeout runs from when the attempt started.
    this.scheduleFailure(request, { reason: failure.reason, sent: true }, Math.max(now, request.attemptStartedAt + durationMs));
  }

  private breakCause(session: SessionState, step: Scenario['journey']['steps'][number], backend: Backend, now: SimTime): BreakCause | undefined {
    if (step.coupled && session.lastServed >= 0 && session.lastServed !== backend.index) {
      return this.died(session.lastServed, session.lastServedIncarnation) ? 'backend-failed' : 'coupled-moved';
    }
    if (!step.needsSession || session.version === 0) return undefined;
    const serializable = session.plan.serializationDraw >= this.scenario.stores.shared.notSerializable;
    const failure = this.store.read(session.plan.index, session.version, backend.index, serializable, now);
    if (failure === undefined) return undefined;
    if (failure !== 'missing') return READ_FAILURE_CAUSE[failure];
    if (this.died(session.holder, session.holderIncarnation)) return 'backend-failed';
    // Back on a former holder that lost its memory while the user was elsewhere.
    if (backend.index === session.formerHolder && this.died(session.formerHolder, session.formerHolderIncarnation)) return 'failback';
    return 'state-missing';
  }

  private died(backend: number, incarnation: number): boolean {
    return backend >= 0 && this.backends[backend]!.incarnation !== incarnation;
  }

  private recordWrite(session: SessionState, backend: Backend, now: SimTime): void {
    session.version++;
    if (session.holder !== backend.index) {
      session.formerHolder = session.holder;
      session.formerHolderIncarnation = session.holderIncarnation;
    }
    session.holder = backend.index;
    session.holderIncarnation = backend.incarnation;
    this.store.write(session.plan.index, session.version, backend.index, now);
  }

  private finishRequest(request: RequestState, now: SimTime, outcome: 'completed' | 'failed' | 'rejected', status: number, backend: number): void {
    this.requests.delete(request.id);
    const session = request.session;
    this.emit({ type: 'request-end', t: now, req: request.id, session: session.plan.index, step: session.step, backend, outcome, status, latencyMs: now - request.sentAt });
    if (outcome !== 'completed') return this.endSession(session, now, 'broken', 'request-failed');
    if (session.pendingBreak !== undefined) return this.endSession(session, now, 'broken', session.pendingBreak);
    const { plan } = session;
    if (session.step === plan.lastStep) {
      return this.endSession(session, now, session.step === this.scenario.journey.steps.length - 1 ? 'completed' : 'abandoned', undefined);
    }
    this.scheduler.schedule(now + plan.thinkMs[session.step]!, this, NEXT_STEP, plan.index);
    session.step++;
  }

  private endSession(session: SessionState, now: SimTime, outcome: SessionOutcome, cause: BreakCause | undefined): void {
    const index = session.plan.index;
    const stepsCompleted = outcome === 'broken' ? session.step : session.step + 1;
    this.sessions.delete(index);
    this.store.forget(index);
    this.emit({ type: 'session-end', t: now, session: index, outcome, cause, stepsCompleted, cartFilled: this.cartStep >= 0 && stepsCompleted > this.cartStep, orderValue: session.plan.orderValue });
  }

  private setBackendMode(index: number, mode: Scenario['timeline'][number]['mode']): void {
    const backend = this.backends[index]!;
    const now = this.scheduler.now;
    if (backend.mode === mode) return;
    const wasUp = backend.mode === 'up';
    backend.setMode(mode, now);
    if (wasUp) this.store.backendLost(index);
    this.emit({ type: 'backend-state', t: now, backend: index, mode });
  }

  private cookiesFor(session: SessionState, now: SimTime): ReadonlyMap<string, string> {
    if (!session.cookies) return NO_COOKIES;
    const sent = new Map<string, string>();
    for (const [name, cookie] of session.cookies) {
      if (cookie.expiresAt > now) sent.set(name, cookie.value);
      else session.cookies.delete(name);
    }
    return sent;
  }

  private responseFor(session: SessionState, now: SimTime): ResponseHeaders {
    return {
      setCookie(name, value, maxAgeMs) {
        session.cookies ??= new Map();
        session.cookies.set(name, { value, expiresAt: maxAgeMs === undefined ? Infinity : now + maxAgeMs });
      },
    };
  }
}

function workloadSpec(scenario: Scenario) {
  return {
    sessions: scenario.sessions,
    windowMs: scenario.arrivals.windowMs,
    spacing: scenario.arrivals.spacing,
    profile: scenario.arrivals.profile,
    clients: scenario.clients,
    steps: scenario.journey.steps,
    thinkTime: scenario.journey.thinkTime,
  };
}

/** The step whose completion means "the cart holds something": the first named like a cart, else the second writing step. */
function cartStepOf(scenario: Scenario): number {
  const steps = scenario.journey.steps;
  const named = steps.findIndex((s) => /cart/i.test(s.name));
  if (named >= 0) return named;
  return steps.findIndex((s, i) => i > 0 && s.writes);
}
