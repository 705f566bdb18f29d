/**
 * What happens at the backend: a request starts service, waits for the session lock if the
 * strategy locks, is judged against the session store (the session rules in
 * `model/session-rules.ts` decide whether the step breaks the session, and why), takes its
 * service time, and on the answer writes the session. The backends call it (`BackendHost`).
 */
import { grown, type SimTime } from '../engine/index.js';
import {
  coupledCause,
  lockWait,
  missingStateCause,
  readCause,
  writeLastWins,
  type Backend,
  type BackendHost,
  type BreakCause,
  type PlanTable,
  type SessionStore,
} from '../model/index.js';
import type { AttemptLoop } from './attempt-loop.js';
import type { PoolController } from './pool-controller.js';
import type { RecordPool, RequestRecord, SessionRecord } from './records.js';
import type { RunConfig } from './run-config.js';

export class SessionService implements BackendHost {
  /** With locking: when each session slot's lock is free again. */
  private lockFreeAt = new Float64Array(0);
  private attempts!: AttemptLoop;

  constructor(
    private readonly config: RunConfig,
    private readonly store: SessionStore,
    private readonly plans: PlanTable,
    /** Where each step's requests start among a session's requests (the workload's offsets). */
    private readonly requestOffsets: readonly number[],
    private readonly requests: RecordPool<RequestRecord>,
    /** Filled by the run once the backends exist (they need this service as their host). */
    private readonly backends: readonly Backend[],
    private readonly pool: PoolController,
  ) {}

  /** The attempt loop answers go back through, made after this service. */
  connect(attempts: AttemptLoop): void {
    this.attempts = attempts;
  }

  /** A new session takes `slot`: its lock is free. */
  sessionArrived(slot: number): void {
    if (!this.config.locking) return;
    if (slot >= this.lockFreeAt.length) this.lockFreeAt = grown(this.lockFreeAt, Math.max(64, 2 * slot));
    this.lockFreeAt[slot] = -Infinity;
  }

  /**
   * Service starts; decides whether this step breaks the session, returns its duration. Kept
   * small, with locking and the session checks out of line, so that V8 inlines it into the
   * backend: a fraction returned from a call that is not inlined is boxed.
   */
  serviceStarted(ref: number, backend: Backend): SimTime {
    const request = this.requests.get(ref);
    request.errorStatus = 0;
    if (this.config.locking) return this.lockedServiceStarted(request, backend);
    this.judgeStep(request, backend);
    return this.serviceTimeOf(request, backend, 0);
  }

  /** With per-session locking: the request polls for the lock, and holds its worker meanwhile (PHP-style locking). */
  private lockedServiceStarted(request: RequestRecord, backend: Backend): SimTime {
    const locking = this.config.locking!;
    const now = this.pool.scheduler.now;
    const slot = request.session.slot;
    const wait = lockWait(this.lockFreeAt[slot]!, now, locking.poll);
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
    if (!this.store.available && this.config.failOnStoreOutage) {
      // The application cannot load sessions at all: every request errors.
      request.errorStatus = 500;
      cause = 'store-down';
    } else cause = this.breakCause(request, backend);
    session.pendingBreak ??= cause;
    // Without a lock, a shared-cache writer works on the state it read now (read-modify-write).
    if (request.writes && this.config.lastWriteWins) {
      request.snapshot.length = 0;
      for (const update of session.storeState) request.snapshot.push(update);
    }
  }

  /** The facts of the session rules, gathered for this step. */
  private breakCause(request: RequestRecord, backend: Backend): BreakCause | undefined {
    const session = request.session;
    const step = this.config.steps[session.step]!;
    if (step.coupled && session.lastServed >= 0 && session.lastServed !== backend.index) return coupledCause(this.died(session.lastServed, session.lastServedIncarnation));
    if (!step.needsSession || session.version === 0) return undefined;
    const serializable = this.plans.serializationDraw[session.slot]! >= this.config.notSerializableShare;
    const cause = readCause(this.store.read(session.slot, session.version, backend.index, serializable, this.pool.scheduler.now), session.lostUpdates);
    if (cause !== 'missing') return cause;
    const { config, pool } = this;
    return missingStateCause(
      session.holder >= 0 && !pool.inPool[session.holder],
      this.died(session.holder, session.holderIncarnation),
      config.placesByKey,
      session.lastServedPoolEpoch !== pool.poolEpoch,
      config.placesByAddress,
      request.client !== session.lastServedClient,
      backend.upSince > -Infinity,
    );
  }

  /** How long `request` holds its worker: a lock wait, its demand at the backend's speed, and the store's round trips (two for a write). */
  private serviceTimeOf(request: RequestRecord, backend: Backend, waitMs: SimTime): SimTime {
    const session = request.session;
    const demand = this.plans.serviceMs[session.slot * this.plans.requests + this.requestOffsets[session.step]! + request.index]!;
    // A restarted backend may start cold (`coldStart`); a warm one divides the demand as it is.
    const now = this.pool.scheduler.now;
    const effective = backend.coldUntil > now ? demand * backend.demandFactor(now) : demand;
    return waitMs + effective / backend.speed + this.store.roundTripMs * (request.writes ? 2 : 1);
  }

  /** Service ends; the answer goes back through the balancer. */
  serviceEnded(ref: number, backend: Backend): void {
    const request = this.requests.get(ref);
    const session = request.session;
    if (session.pendingBreak === undefined && request.errorStatus === 0) {
      if (request.writes) {
        if (this.config.lastWriteWins) this.writeLastWins(session, request);
        this.recordWrite(session, backend);
      }
      session.lastServed = backend.index;
      session.lastServedIncarnation = backend.incarnation;
      session.lastServedPoolEpoch = request.poolEpoch;
    }
    if (session.pendingBreak === undefined) session.lastServedClient = request.client;
    if (request.errorStatus !== 0) this.attempts.respond(request, backend.index, 'failed', request.errorStatus);
    else this.attempts.respond(request, backend.index, 'completed', 200);
  }

  /** The backend left `up` while `ref` was queued or in service. */
  requestLost(ref: number, backend: Backend): void {
    this.attempts.requestLost(this.requests.get(ref), backend);
  }

  /** Under last-write-wins the writer stores the state it read plus its change: updates committed meanwhile are lost. */
  private writeLastWins(session: SessionRecord, request: RequestRecord): void {
    const lost = writeLastWins(session.storeState, request.snapshot, session.nextUpdate++);
    request.lostUpdates = lost;
    session.lostUpdates += lost;
  }

  private died(backend: number, incarnation: number): boolean {
    return backend >= 0 && this.backends[backend]!.incarnation !== incarnation;
  }

  private recordWrite(session: SessionRecord, backend: Backend): void {
    session.version++;
    session.holder = backend.index;
    session.holderIncarnation = backend.incarnation;
    this.store.write(session.slot, session.version, backend.index, this.pool.scheduler.now);
  }
}
