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
import { grown, Priority, Scheduler, type EventTarget, type SimTime, type TargetId } from '../engine/index.js';
import {
  Backend,
  LocalSessionStore,
  PlanTable,
  SharedSessionCache,
  Workload,
  type BackendHost,
  type BackendMode,
  type BreakCause,
  type ReadFailure,
  type RequestOutcome,
  type SessionOutcome,
  type SessionStore,
  type StoreStats,
  type EventHandlers,
  type SimEventOf,
  type SimEventType,
} from '../model/index.js';
import { peerSpecOf, type Scenario, type Step, type StrategySpec } from '../scenario/index.js';
import { balancerAffinity, createStrategy, methodPeers, type Strategy } from '../strategies/index.js';
import { RecordPool, RequestRecord, SessionRecord } from './records.js';
import type { RunRng } from './rng.js';
import { HealthChecker, type Detection } from './health-check.js';
import { scheduleTimeline } from './timeline.js';
import { attemptFailureFor, UpstreamRequest } from './upstream.js';

/**
 * Receives every event of the run, in order, through the handler of its type. Event objects are
 * recycled: read them during the call, copy what you keep.
 */
export type EventSink = EventHandlers;

/** Progress: measured sessions arrived so far, and the simulated time (negative during a warm-up). */
export type ProgressSink = (sessionsArrived: number, now: SimTime) => void;

const ARRIVAL = 0;
const NEXT_STEP = 1;
const ATTEMPT_FAILED = 2;
const PROGRESS_EVERY = 4096;

const READ_FAILURE_CAUSE: Readonly<Record<Exclude<ReadFailure, 'missing'>, BreakCause>> = {
  stale: 'state-stale',
  expired: 'expired',
  evicted: 'evicted',
  'not-serializable': 'not-serializable',
  'store-down': 'store-down',
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EventOf<T extends SimEventType> = Mutable<SimEventOf<T>>;

/** What one strategy's run leaves besides the analyzers' results. */
export interface RunFacts {
  readonly endTimeMs: SimTime;
  readonly eventsProcessed: number;
  /** Worker-ms busy per backend. */
  readonly busyTimeMs: readonly number[];
  readonly store: ReturnType<SessionStore['stats']> & { readonly kind: SessionStore['kind'] };
  /** Failures the active health checks detected, when the strategy has them. */
  readonly detections: readonly Detection[] | undefined;
}

export class StrategyRun implements EventTarget, BackendHost {
  private readonly scheduler: Scheduler;
  /** This run's number in the scheduler (arrivals, next steps and failed attempts come back here). */
  private readonly targetId: TargetId;
  private readonly backends: Backend[];
  private readonly backendIndex = new Map<string, number>();
  private strategy: Strategy;
  private readonly rebuildStrategy: () => Strategy;
  /** The backend of each server in the current method's list (a pick's `peer`, see `methodPeers`); a new array at each rebuild. */
  private memberBackends = new Int32Array(0);
  /** Which backends are in the balancer's pool (standby and removed ones are not). */
  private readonly inPool: boolean[];
  /** Bumped at every pool change (a configuration reload). */
  private poolEpoch = 0;
  /** Backends being drained, by name. */
  private readonly draining = new Set<string>();
  /** Backends the active health checks marked unhealthy, by name (the balancer treats them as `down`). */
  private readonly unhealthy = new Set<string>();
  private readonly healthChecker: HealthChecker | undefined;
  private liveSessions = 0;
  private readonly store: SessionStore;
  private readonly workload: Workload;
  private readonly steps: readonly Step[];
  private readonly sessions = new RecordPool((slot) => new SessionRecord(slot));
  /** The live sessions' plans, by slot. */
  private readonly plans: PlanTable;
  private readonly requests = new RecordPool((slot) => new RequestRecord(slot));
  private readonly cartStep: number;
  private readonly notSerializableShare: number;
  private readonly failOnStoreOutage: boolean;
  /** Per-session locking of the shared cache, when the strategy has it. */
  private readonly locking: { readonly poll: number; readonly timeout: number } | undefined;
  /** With locking: when each session slot's lock is free again. */
  private lockFreeAt = new Float64Array(0);
  /** Shared cache without locking: a writer stores the state it read plus its change, and concurrent updates can be lost. */
  private readonly lastWriteWins: boolean;
  /** The method routes by the client address: an address change moves the user (`ip-changed`). */
  private readonly routesByAddress: boolean;
  /** The method routes by a key (address, session id, …): a recovered backend takes its users back (`failback`). */
  private readonly routesByKey: boolean;
  private nextRequestId = 0;
  private pendingArrival: SessionRecord | undefined;
  // Recycled event records (see EventSink).
  private readonly sessionStart: EventOf<'session-start'> = { type: 'session-start', t: 0, session: 0, slot: 0 };
  private readonly requestStart: EventOf<'request-start'> = { type: 'request-start', t: 0, req: 0, session: 0, step: 0 };
  private readonly attemptEnd: EventOf<'attempt-end'> = { type: 'attempt-end', t: 0, req: 0, backend: 0, ok: true, backendDown: false };
  private readonly requestEnd: EventOf<'request-end'> = { type: 'request-end', t: 0, req: 0, session: 0, slot: 0, step: 0, backend: 0, outcome: 'completed', status: 200, latencyMs: 0, lockWaitMs: 0, lockTimedOut: false, lostUpdates: 0 };
  private readonly sessionEnd: EventOf<'session-end'> = { type: 'session-end', t: 0, session: 0, slot: 0, outcome: 'completed', cause: undefined, stepsCompleted: 0, cartFilled: false, orderValue: 0, plannedToPay: false };

  constructor(
    private readonly scenario: Scenario,
    spec: StrategySpec,
    rng: RunRng,
    private readonly sink: EventSink,
    private readonly progress?: ProgressSink,
  ) {
    // With a warm-up the clock starts before 0; measurement begins at 0.
    this.scheduler = new Scheduler(-scenario.warmupMs);
    this.targetId = this.scheduler.register(this);
    this.backends = scenario.backends.map((b, i) => new Backend(i, b, this.scheduler, this));
    scenario.backends.forEach((b, i) => this.backendIndex.set(b.name, i));
    const peers = scenario.backends.map(peerSpecOf);
    const sticky = spec.sticky ? { cookie: spec.sticky.cookie.maxAge === undefined ? { name: spec.sticky.cookie.name } : { name: spec.sticky.cookie.name, maxAgeMs: spec.sticky.cookie.maxAge } } : undefined;
    // Methods that draw random numbers (nginx `random`) get a stream of their own, derived from the seed.
    const strategyRng = rng.root.fork(`balancer/${spec.name}`);
    this.inPool = scenario.backends.map((b) => !b.standby);
    // A pool change is a configuration reload: the balancer starts over with the new server list.
    this.rebuildStrategy = () => {
      const members = peers.filter((_, i) => this.inPool[i]);
      this.memberBackends = Int32Array.from(methodPeers(spec.balancer, members), (peer) => this.backendIndex.get(peer.name)!);
      return createStrategy(spec.balancer, sticky, members, { rng: strategyRng, draining: this.draining, markedDown: this.unhealthy });
    };
    this.strategy = this.rebuildStrategy();
    this.healthChecker = spec.healthCheck
      ? new HealthChecker(spec.healthCheck, this.backends, this.scheduler, (i) => this.inPool[i]!, (i, healthy) => this.setHealthy(i, healthy))
      : undefined;
    this.store = spec.store === 'local' ? new LocalSessionStore(this.backends.length, scenario.stores.local.ttl) : new SharedSessionCache({ roundTripMs: scenario.stores.shared.roundTrip, ttlMs: scenario.stores.shared.ttl, capacity: scenario.stores.shared.capacity });
    this.workload = new Workload(workloadSpec(scenario), rng.root);
    this.steps = scenario.journey.steps;
    const totalRequests = this.workload.requestOffsets[this.workload.requestOffsets.length - 1]!;
    this.plans = new PlanTable(this.steps.length, totalRequests);
    this.locking = spec.locking;
    this.lastWriteWins = this.store.kind === 'shared' && !this.locking;
    this.cartStep = scenario.journey.steps.findIndex((s) => s.fillsCart);
    this.notSerializableShare = scenario.stores.shared.notSerializable;
    this.failOnStoreOutage = scenario.stores.shared.onOutage === 'fail';
    const affinity = balancerAffinity(spec.balancer);
    this.routesByAddress = affinity === 'address';
    this.routesByKey = affinity === 'address' || affinity === 'key';
  }

  /** Ends the run after the event being handled (the facts then cover the run so far). */
  stop(): void {
    this.scheduler.stop();
  }

  /** Runs to the end (arrivals over, every session ended) and returns the run's facts. */
  run(): RunFacts {
    scheduleTimeline(this.scenario.timeline, {
      scheduler: this.scheduler,
      // The local store lives in the backends' memory: cache events reach only a stand-in.
      store: this.store.kind === 'shared' ? this.store : new SharedSessionCache({ roundTripMs: 0, ttlMs: Infinity }),
      backend: (name) => this.backends[this.backendIndex.get(name)!]!,
      setBackendMode: (backend, mode) => this.setBackendMode(backend, mode),
      report: (backend, change) => this.sink['scenario-event']({ type: 'scenario-event', t: this.scheduler.now, backend: backend ? backend.index : -1, change }),
      setInPool: (backend, inPool) => this.setInPool(backend, inPool),
      setDraining: (backend, on) => {
        if (on) this.draining.add(backend.name);
        else this.draining.delete(backend.name);
        this.strategy = this.rebuildStrategy();
        this.sink['scenario-event']({ type: 'scenario-event', t: this.scheduler.now, backend: backend.index, change: { kind: on ? 'draining' : 'drained' } });
      },
      setAnswersErrors: (backend, on) => {
        backend.answersErrors = on;
        if (on) this.healthChecker?.backendFailed(backend.index, this.scheduler.now);
        else if (backend.mode === 'up') this.healthChecker?.backendRecovered(backend.index);
      },
    });
    this.healthChecker?.start(() => this.pendingArrival !== undefined || this.liveSessions > 0);
    // Work and cache traffic of the warm-up do not count: take what they had at time 0 off the totals.
    let busyAtStart: readonly number[] = this.backends.map(() => 0);
    let storeAtStart: StoreStats | undefined;
    if (this.scenario.warmupMs > 0) {
      this.scheduler.at(0, () => {
        busyAtStart = this.backends.map((b) => b.busyTimeMs(0));
        storeAtStart = this.store.stats();
      }, Priority.Urgent);
    }
    this.scheduleNextArrival();
    const stats = this.scheduler.run();
    const store = this.store.stats();
    return {
      endTimeMs: stats.endTime,
      eventsProcessed: stats.eventsProcessed,
      busyTimeMs: this.backends.map((b, i) => b.busyTimeMs(stats.endTime) - busyAtStart[i]!),
      store: { kind: this.store.kind, ...(storeAtStart ? storeStatsSince(store, storeAtStart) : store) },
      detections: this.healthChecker ? this.healthChecker.detections : undefined,
    };
  }

  fire(kind: number, ref: number): void {
    switch (kind) {
      case ARRIVAL:
        this.arrive();
        break;
      case NEXT_STEP:
        this.issueStep(this.sessions.get(ref));
        break;
      case ATTEMPT_FAILED:
        this.attemptFailed(this.requests.get(ref));
        break;
    }
  }

  private scheduleNextArrival(): void {
    const session = this.sessions.take();
    const slot = session.slot;
    const plans = this.plans;
    if (!this.workload.fill(plans, slot)) {
      this.sessions.release(session);
      this.pendingArrival = undefined;
      return;
    }
    session.reset();
    session.index = plans.index[slot]!;
    session.lastStep = plans.lastStep[slot]!;
    session.refusesCookies = plans.refusesCookies[slot] === 1;
    if (this.locking) {
      if (slot >= this.lockFreeAt.length) this.lockFreeAt = grown(this.lockFreeAt, Math.max(64, 2 * slot));
      this.lockFreeAt[slot] = -Infinity;
    }
    this.pendingArrival = session;
    this.scheduler.schedule(plans.arrivalMs[slot]!, this.targetId, ARRIVAL, slot);
    if (this.progress && this.workload.count % PROGRESS_EVERY === 0) this.progress(this.workload.measuredCount, this.scheduler.now);
  }

  private arrive(): void {
    const now = this.scheduler.now;
    const session = this.pendingArrival!;
    this.liveSessions++;
    const event = this.sessionStart;
    event.t = now;
    event.session = session.index;
    event.slot = session.slot;
    this.sink['session-start'](event);
    this.scheduleNextArrival();
    this.issueStep(session);
  }

  private issueStep(session: SessionRecord): void {
    const now = this.scheduler.now;
    const step = this.steps[session.step]!;
    session.expireCookies(now);
    const requests = this.plans.requestsAt[session.slot * this.plans.steps + session.step]!;
    session.outstanding = requests;
    session.stepFailedStatus = 0;
    // A page may fire several requests at once; the first `writers` of them change the session.
    for (let k = 0; k < requests; k++) this.issueRequest(session, step, k);
  }

  private issueRequest(session: SessionRecord, step: Step, k: number): void {
    const now = this.scheduler.now;
    const request = this.requests.take();
    request.index = k;
    request.writes = k < step.writers;
    request.lockWaitMs = 0;
    request.lockTimedOut = false;
    request.lostUpdates = 0;
    request.id = this.nextRequestId++;
    request.step = step.name;
    request.method = step.method;
    request.client = this.plans.addressAt(session.slot, session.step);
    request.sentAt = now;
    request.poolEpoch = this.poolEpoch;
    // A request keeps the strategy it opened with, retries included, and so its server list.
    request.memberBackends = this.memberBackends;
    request.session = session;
    request.backend = -1;
    const picker = this.strategy.open(request, now);
    if (request.upstream) request.upstream.reset(picker, step.method, this.scenario.proxy);
    else request.upstream = new UpstreamRequest(picker, step.method, this.scenario.proxy, false);
    const event = this.requestStart;
    event.t = now;
    event.req = request.id;
    event.session = session.index;
    event.step = session.step;
    this.sink['request-start'](event);
    this.nextAttempt(request);
  }

  private nextAttempt(request: RequestRecord): void {
    const now = this.scheduler.now;
    const upstream = request.upstream!;
    const pick = upstream.nextAttempt(now);
    if (pick === undefined) {
      this.finishRequest(request, 'failed', upstream.status ?? 502, -1);
      return;
    }
    const index = pick.peer >= 0 ? request.memberBackends[pick.peer]! : this.backendIndex.get(pick.backend)!;
    const backend = this.backends[index]!;
    request.backend = index;
    request.attemptStartedAt = now;
    if (backend.mode === 'up') {
      if (backend.answersErrors) {
        // Answered at once with a 500: a response, not an upstream failure (nginx passes it on).
        request.respondedAt = now;
        upstream.attemptSucceeded(backend.name, now, request);
        this.emitAttemptEnd(request, index, true);
        this.finishRequest(request, 'failed', 500, index);
        return;
      }
      if (!backend.admit(request.slot)) {
        // The backend answers 503 at once; nginx passes it to the client (not an upstream failure).
        request.respondedAt = now;
        upstream.attemptSucceeded(backend.name, now, request);
        this.emitAttemptEnd(request, index, true);
        this.finishRequest(request, 'rejected', 503, index);
      }
      return;
    }
    const { failure, durationMs } = attemptFailureFor(backend.mode, this.scenario.proxy);
    this.scheduleFailure(request, failure.reason, failure.sent, now + durationMs);
  }

  private scheduleFailure(request: RequestRecord, reason: 'error' | 'timeout', sent: boolean, at: SimTime): void {
    request.failureReason = reason;
    request.failureSent = sent;
    this.scheduler.schedule(at, this.targetId, ATTEMPT_FAILED, request.slot);
  }

  private attemptFailed(request: RequestRecord): void {
    const now = this.scheduler.now;
    const backend = this.backends[request.backend]!;
    this.emitAttemptEnd(request, request.backend, false);
    request.upstream!.attemptFailed(backend.name, request.failureSent ? (request.failureReason === 'error' ? SENT_ERROR : SENT_TIMEOUT) : request.failureReason === 'error' ? UNSENT_ERROR : UNSENT_TIMEOUT, now);
    this.nextAttempt(request);
  }

  /**
   * BackendHost: service starts; decides whether this step breaks the session, returns its
   * duration. Kept small, with locking and the session checks out of line, so that V8 inlines it
   * into the backend: a fraction returned from a call that is not inlined is boxed.
   */
  serviceStarted(ref: number, backend: Backend): SimTime {
    const request = this.requests.get(ref);
    request.errorStatus = 0;
    if (this.locking) return this.lockedServiceStarted(request, backend);
    this.judgeStep(request, backend);
    return this.serviceTimeOf(request, backend, 0);
  }

  /** With per-session locking: the request polls for the lock, and holds its worker meanwhile (PHP-style locking). */
  private lockedServiceStarted(request: RequestRecord, backend: Backend): SimTime {
    const locking = this.locking!;
    const now = this.scheduler.now;
    const slot = request.session.slot;
    const lockFreeAt = this.lockFreeAt[slot]!;
    const wait = lockFreeAt > now ? Math.ceil((lockFreeAt - now) / locking.poll) * locking.poll : 0;
    if (wait > locking.timeout) {
      request.errorStatus = 500;
      request.lockTimedOut = true;
      request.lockWaitMs = locking.timeout;
      return locking.timeout;
    }
    request.lockWaitMs = wait;
    this.judgeStep(request, backend);
    const duration = this.serviceTimeOf(request, backend, wait);
    this.lockFreeAt[slot] = now + duration;
    return duration;
  }

  /** Whether this step breaks the session (the first cause found holds); a lock-free writer reads the state it will change. */
  private judgeStep(request: RequestRecord, backend: Backend): void {
    const session = request.session;
    let cause: BreakCause | undefined;
    if (!this.store.available && this.failOnStoreOutage) {
      // The application cannot load sessions at all: every request errors.
      request.errorStatus = 500;
      cause = 'store-down';
    } else cause = this.breakCause(request, this.steps[session.step]!, backend);
    session.pendingBreak ??= cause;
    // Without a lock, a shared-cache writer works on the state it read now (read-modify-write).
    if (request.writes && this.lastWriteWins) {
      request.snapshot.length = 0;
      for (const update of session.storeState) request.snapshot.push(update);
    }
  }

  /** How long `request` holds its worker: a lock wait, its demand at the backend's speed, and the store's round trips (two for a write). */
  private serviceTimeOf(request: RequestRecord, backend: Backend, waitMs: SimTime): SimTime {
    const session = request.session;
    const demand = this.plans.serviceMs[session.slot * this.plans.requests + this.workload.requestOffsets[session.step]! + request.index]!;
    return waitMs + demand / backend.speed + this.store.roundTripMs * (request.writes ? 2 : 1);
  }

  /** BackendHost: service ends; the answer goes back through the balancer. */
  serviceEnded(ref: number, backend: Backend): void {
    const now = this.scheduler.now;
    const request = this.requests.get(ref);
    const session = request.session;
    if (session.pendingBreak === undefined && request.errorStatus === 0) {
      if (request.writes) {
        this.applyUpdate(session, request);
        this.recordWrite(session, backend, now);
      }
      session.lastServed = backend.index;
      session.lastServedIncarnation = backend.incarnation;
      session.lastServedPoolEpoch = request.poolEpoch;
    }
    if (session.pendingBreak === undefined) session.lastServedClient = request.client;
    request.respondedAt = now;
    request.upstream!.attemptSucceeded(backend.name, now, request);
    this.emitAttemptEnd(request, backend.index, true);
    if (request.errorStatus !== 0) this.finishRequest(request, 'failed', request.errorStatus, backend.index);
    else this.finishRequest(request, 'completed', 200, backend.index);
  }

  /** BackendHost: the backend left `up` while `ref` was queued or in service. */
  requestLost(ref: number, backend: Backend): void {
    const now = this.scheduler.now;
    const request = this.requests.get(ref);
    const { failure, durationMs } = attemptFailureFor(backend.mode === 'up' ? 'crash' : backend.mode, this.scenario.proxy);
    // The request had been sent: a timeout runs from when the attempt started.
    this.scheduleFailure(request, failure.reason, true, Math.max(now, request.attemptStartedAt + durationMs));
  }

  private breakCause(request: RequestRecord, step: Step, backend: Backend): BreakCause | undefined {
    const session = request.session;
    if (step.coupled && session.lastServed >= 0 && session.lastServed !== backend.index) {
      return this.died(session.lastServed, session.lastServedIncarnation) ? 'backend-failed' : 'coupled-moved';
    }
    if (!step.needsSession || session.version === 0) return undefined;
    const serializable = this.plans.serializationDraw[session.slot]! >= this.notSerializableShare;
    const failure = this.store.read(session.slot, session.version, backend.index, serializable, this.scheduler.now);
    // The state is there, but without a change a concurrent request overwrote.
    if (failure === undefined) return session.lostUpdates > 0 ? 'lost-update' : undefined;
    if (failure !== 'missing') return READ_FAILURE_CAUSE[failure];
    // The holder left the pool, or the pool changed since the session's last step: a remap.
    if (session.holder >= 0 && !this.inPool[session.holder]) return 'remapped';
    if (this.died(session.holder, session.holderIncarnation)) return 'backend-failed';
    // The holder is alive, yet the request landed elsewhere. Why?
    if (this.routesByKey && session.lastServedPoolEpoch !== this.poolEpoch) return 'remapped';
    if (this.routesByAddress && request.client !== session.lastServedClient) return 'ip-changed';
    // A key points back at a backend that failed and recovered: the balancer took its users back.
    if (this.routesByKey && backend.upSince > -Infinity) return 'failback';
    return 'state-missing';
  }

  /**
   * The write of `request`'s update under last-write-wins: the writer stores the state it read
   * plus its own change, and updates committed meanwhile are lost. With a lock, or in a backend's
   * own memory, a change always joins the current state: nothing to track.
   */
  private applyUpdate(session: SessionRecord, request: RequestRecord): void {
    if (!this.lastWriteWins) return;
    const state = session.storeState;
    const kept = request.snapshot;
    let lost = 0;
    for (const committed of state) if (!kept.includes(committed)) lost++;
    state.length = 0;
    for (const u of kept) state.push(u);
    request.lostUpdates = lost;
    session.lostUpdates += lost;
    state.push(session.nextUpdate++);
  }

  private died(backend: number, incarnation: number): boolean {
    return backend >= 0 && this.backends[backend]!.incarnation !== incarnation;
  }

  private recordWrite(session: SessionRecord, backend: Backend, now: SimTime): void {
    session.version++;
    session.holder = backend.index;
    session.holderIncarnation = backend.incarnation;
    this.store.write(session.slot, session.version, backend.index, now);
  }

  private emitAttemptEnd(request: RequestRecord, backend: number, ok: boolean): void {
    const event = this.attemptEnd;
    event.t = this.scheduler.now;
    event.req = request.id;
    event.backend = backend;
    event.ok = ok;
    event.backendDown = !ok;
    this.sink['attempt-end'](event);
  }

  private finishRequest(request: RequestRecord, outcome: RequestOutcome, status: number, backend: number): void {
    const now = this.scheduler.now;
    const session = request.session;
    const event = this.requestEnd;
    event.t = now;
    event.req = request.id;
    event.session = session.index;
    event.slot = session.slot;
    event.step = session.step;
    event.backend = backend;
    event.outcome = outcome;
    event.status = status;
    event.latencyMs = now - request.sentAt;
    event.lockWaitMs = request.lockWaitMs;
    event.lockTimedOut = request.lockTimedOut;
    event.lostUpdates = request.lostUpdates;
    request.upstream!.close();
    this.requests.release(request);
    this.sink['request-end'](event);
    if (outcome !== 'completed' && session.stepFailedStatus === 0) session.stepFailedStatus = status;
    // The step is over when all its requests are.
    if (--session.outstanding > 0) return;
    if (session.stepFailedStatus !== 0) return this.endSession(session, 'broken', session.pendingBreak ?? 'request-failed');
    if (session.pendingBreak !== undefined) return this.endSession(session, 'broken', session.pendingBreak);
    if (session.step === session.lastStep) {
      return this.endSession(session, session.step === this.plans.steps - 1 ? 'completed' : 'abandoned', undefined);
    }
    this.scheduler.schedule(now + this.plans.thinkMs[session.slot * this.plans.steps + session.step]!, this.targetId, NEXT_STEP, session.slot);
    session.step++;
  }

  private endSession(session: SessionRecord, outcome: SessionOutcome, cause: BreakCause | undefined): void {
    const stepsCompleted = outcome === 'broken' ? session.step : session.step + 1;
    this.store.forget(session.slot);
    this.liveSessions--;
    const event = this.sessionEnd;
    event.t = this.scheduler.now;
    event.session = session.index;
    event.slot = session.slot;
    event.outcome = outcome;
    event.cause = cause;
    event.stepsCompleted = stepsCompleted;
    event.cartFilled = this.cartStep >= 0 && stepsCompleted > this.cartStep;
    event.orderValue = this.plans.orderValue[session.slot]!;
    event.plannedToPay = session.lastStep === this.plans.steps - 1;
    this.sessions.release(session);
    this.sink['session-end'](event);
  }

  private setHealthy(index: number, healthy: boolean): void {
    const name = this.backends[index]!.name;
    if (healthy) this.unhealthy.delete(name);
    else this.unhealthy.add(name);
    this.strategy = this.rebuildStrategy();
    this.sink['scenario-event']({ type: 'scenario-event', t: this.scheduler.now, backend: index, change: { kind: healthy ? 'health-checks-passed' : 'health-checks-failed' } });
  }

  private setInPool(backend: Backend, inPool: boolean): void {
    if (this.inPool[backend.index] === inPool) return;
    this.inPool[backend.index] = inPool;
    this.poolEpoch++;
    this.strategy = this.rebuildStrategy();
    // A removed backend's process is stopped: its work in flight and its memory are gone.
    if (!inPool) this.setBackendMode(backend, 'refused');
    else this.setBackendMode(backend, 'up');
    this.sink['scenario-event']({ type: 'scenario-event', t: this.scheduler.now, backend: backend.index, change: { kind: inPool ? 'added-to-pool' : 'removed-from-pool' } });
  }

  private setBackendMode(backend: Backend, mode: BackendMode): void {
    const now = this.scheduler.now;
    if (backend.mode === mode) return;
    const wasUp = backend.mode === 'up';
    backend.setMode(mode);
    if (wasUp) this.store.backendLost(backend.index);
    if (mode !== 'up') this.healthChecker?.backendFailed(backend.index, now);
    else if (!backend.answersErrors) this.healthChecker?.backendRecovered(backend.index);
    this.sink['backend-state']({ type: 'backend-state', t: now, backend: backend.index, mode });
  }
}

const SENT_ERROR = { reason: 'error', sent: true } as const;
const SENT_TIMEOUT = { reason: 'timeout', sent: true } as const;
const UNSENT_ERROR = { reason: 'error', sent: false } as const;
const UNSENT_TIMEOUT = { reason: 'timeout', sent: false } as const;

/** Store counters accumulated since `start`. */
function storeStatsSince(now: StoreStats, start: StoreStats): StoreStats {
  return {
    reads: now.reads - start.reads,
    writes: now.writes - start.writes,
    hits: now.hits - start.hits,
    misses: now.misses - start.misses,
    evictions: now.evictions - start.evictions,
    expirations: now.expirations - start.expirations,
  };
}

/** The workload part of a scenario. */
export function workloadSpec(scenario: Scenario) {
  return {
    sessions: scenario.sessions,
    warmupMs: scenario.warmupMs,
    windowMs: scenario.arrivals.windowMs,
    spacing: scenario.arrivals.spacing,
    profile: scenario.arrivals.profile,
    clients: scenario.clients,
    steps: scenario.journey.steps,
    thinkTime: scenario.journey.thinkTime,
  };
}

