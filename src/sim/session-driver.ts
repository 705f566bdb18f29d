/**
 * Sessions through their journey: a session arrives, each step sends its requests through the
 * balancer (opening a picker on the pool's current strategy) into the attempt loop, and when all
 * of a step's requests are over, the session thinks and takes the next step, or ends: completed,
 * abandoned by its user, or broken with the cause the session rules found.
 */
import type { EventTarget, Scheduler, SimTime, TargetId } from '../engine/index.js';
import { cartFilled, type BreakCause, type EventHandlers, type PlanTable, type RequestOutcome, type SessionOutcome, type SessionStore, type SimEventOf, type SimEventType, type SessionSource } from '../model/index.js';
import type { Step } from '../scenario/index.js';
import type { AttemptLoop, RequestFinisher } from './attempt-loop.js';
import type { PoolController } from './pool-controller.js';
import type { RecordPool, RequestRecord, SessionRecord } from './records.js';
import type { RunConfig } from './run-config.js';
import type { SessionService } from './session-service.js';
import { UpstreamRequest } from './upstream.js';

/** Progress: measured sessions arrived so far, and the simulated time (negative during a warm-up). */
export type ProgressSink = (sessionsArrived: number, now: SimTime) => void;

const ARRIVAL = 0;
const NEXT_STEP = 1;
const PROGRESS_EVERY = 4096;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EventOf<T extends SimEventType> = Mutable<SimEventOf<T>>;

export class SessionDriver implements EventTarget, RequestFinisher {
  private readonly targetId: TargetId;
  private readonly steps: readonly Step[];
  /** Sessions that arrived and have not ended. */
  liveSessions = 0;
  /** The next session, drawn and scheduled; undefined once arrivals are over. */
  pendingArrival: SessionRecord | undefined;
  private nextRequestId = 0;
  // Recycled event records (see EventSink).
  private readonly sessionStart: EventOf<'session-start'> = { type: 'session-start', t: 0, session: 0, slot: 0 };
  private readonly requestStart: EventOf<'request-start'> = { type: 'request-start', t: 0, req: 0, session: 0, step: 0 };
  private readonly requestEnd: EventOf<'request-end'> = { type: 'request-end', t: 0, req: 0, session: 0, slot: 0, step: 0, backend: 0, outcome: 'completed', status: 200, latencyMs: 0, lockWaitMs: 0, lockTimedOut: false, lostUpdates: 0 };
  private readonly sessionEnd: EventOf<'session-end'> = { type: 'session-end', t: 0, session: 0, slot: 0, outcome: 'completed', cause: undefined, stepsCompleted: 0, cartFilled: false, orderValue: 0, plannedToPay: false };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly config: RunConfig,
    private readonly workload: SessionSource,
    private readonly plans: PlanTable,
    private readonly sessions: RecordPool<SessionRecord>,
    private readonly requests: RecordPool<RequestRecord>,
    private readonly pool: PoolController,
    private readonly store: SessionStore,
    private readonly service: SessionService,
    private readonly attempts: AttemptLoop,
    private readonly sink: EventHandlers,
    private readonly progress?: ProgressSink,
  ) {
    this.targetId = scheduler.register(this);
    this.steps = config.steps;
  }

  fire(kind: number, ref: number): void {
    if (kind === ARRIVAL) this.arrive();
    else this.issueStep(this.sessions.get(ref));
  }

  /** Draws the next session and schedules its arrival; none once arrivals are over. */
  scheduleNextArrival(): void {
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
    this.service.sessionArrived(slot);
    this.pendingArrival = session;
    this.scheduler.schedule(plans.arrivalMs[slot]!, this.targetId, ARRIVAL, slot);
    if (this.progress && this.workload.count % PROGRESS_EVERY === 0) this.progress(this.workload.measuredCount, this.scheduler.now);
  }

  private arrive(): void {
    const session = this.pendingArrival!;
    this.liveSessions++;
    const event = this.sessionStart;
    event.t = this.scheduler.now;
    event.session = session.index;
    event.slot = session.slot;
    this.sink['session-start'](event);
    this.scheduleNextArrival();
    this.issueStep(session);
  }

  private issueStep(session: SessionRecord): void {
    const step = this.steps[session.step]!;
    session.expireCookies(this.scheduler.now);
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
    request.poolEpoch = this.pool.poolEpoch;
    // A request keeps the strategy it opened with, retries included, and so its server list.
    request.memberBackends = this.pool.memberBackends;
    request.session = session;
    request.backend = -1;
    const picker = this.pool.strategy.open(request, now);
    if (request.upstream) request.upstream.reset(picker, step.method, this.config.proxy);
    else request.upstream = new UpstreamRequest(picker, step.method, this.config.proxy, false);
    const event = this.requestStart;
    event.t = now;
    event.req = request.id;
    event.session = session.index;
    event.step = session.step;
    this.sink['request-start'](event);
    this.attempts.nextAttempt(request);
  }

  /** A request is over (answered, or its attempts spent); the step is over when all its requests are. */
  finishRequest(request: RequestRecord, outcome: RequestOutcome, status: number, backend: number): void {
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
    event.cartFilled = cartFilled(this.config.cartStep, stepsCompleted);
    event.orderValue = this.plans.orderValue[session.slot]!;
    event.plannedToPay = session.lastStep === this.plans.steps - 1;
    this.sessions.release(session);
    this.sink['session-end'](event);
  }
}
