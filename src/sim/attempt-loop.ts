/**
 * nginx's attempt loop for one request (`ngx_http_upstream_next`): pick a server through the
 * request's picker, send the request to that backend, and when the attempt fails, after the time
 * the failure takes (a refused connection at once, a timeout after proxy's timeout), report it and
 * try the next server, until the picker has none or the request's tries are spent. The rules of
 * which failures are passed on live in `upstream.ts`, shared with `lbsim replay`.
 *
 * With `proxy.hop`, each attempt draws the time between balancer and backend, there and back: the
 * request reaches the backend after half of it (which may have gone down meanwhile), and the
 * answer, or the news of a connection closed on it, the balancer after the other half; a refused
 * connection costs half. Without it nothing is drawn or scheduled.
 */
import { grown, type EventTarget, type Scheduler, type SimTime, type TargetId } from '../engine/index.js';
import type { Backend, EventHandlers, RequestOutcome, SimEventOf } from '../model/index.js';
import type { PoolController } from './pool-controller.js';
import type { RecordPool, RequestRecord } from './records.js';
import type { RunConfig } from './run-config.js';
import { attemptFailureFor } from './upstream.js';

/** Where a request goes when its attempts are over. */
export interface RequestFinisher {
  finishRequest(request: RequestRecord, outcome: RequestOutcome, status: number, backend: number): void;
}

const ATTEMPT_FAILED = 0;
const REACHED_BACKEND = 1;
const ANSWER_BACK = 2;

const SENT_ERROR = { reason: 'error', sent: true } as const;
const SENT_TIMEOUT = { reason: 'timeout', sent: true } as const;
const UNSENT_ERROR = { reason: 'error', sent: false } as const;
const UNSENT_TIMEOUT = { reason: 'timeout', sent: false } as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class AttemptLoop implements EventTarget {
  private readonly targetId: TargetId;
  private finisher!: RequestFinisher;
  /** With a hop, per request slot: this attempt's hop, and the status of the answer on its way back. */
  private hopMs = new Float64Array(0);
  private answerStatus = new Int32Array(0);
  /** Recycled (see EventSink): analyzers copy what they keep. */
  private readonly attemptEnd: Mutable<SimEventOf<'attempt-end'>> = { type: 'attempt-end', t: 0, req: 0, backend: 0, ok: true, backendDown: false };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly pool: PoolController,
    private readonly backends: readonly Backend[],
    private readonly requests: RecordPool<RequestRecord>,
    private readonly config: RunConfig,
    private readonly sink: EventHandlers,
  ) {
    this.targetId = scheduler.register(this);
  }

  /** Where requests go when their attempts are over, made after this loop. */
  connect(finisher: RequestFinisher): void {
    this.finisher = finisher;
  }

  fire(kind: number, ref: number): void {
    const request = this.requests.get(ref);
    if (kind === ATTEMPT_FAILED) this.attemptFailed(request);
    else if (kind === REACHED_BACKEND) this.reach(request, this.backends[request.backend]!);
    else this.answerArrived(request);
  }

  /** The request's next attempt: to the backend its picker names, or the end of the request when there is none. */
  nextAttempt(request: RequestRecord): void {
    const now = this.scheduler.now;
    const upstream = request.upstream!;
    const pick = upstream.nextAttempt(now);
    if (pick === undefined) {
      this.finisher.finishRequest(request, 'failed', upstream.status ?? 502, -1);
      return;
    }
    const index = this.pool.backendOf(pick.peer, pick.backend, request.memberBackends);
    const backend = this.backends[index]!;
    request.backend = index;
    request.attemptStartedAt = now;
    if (this.config.hop !== undefined) this.sendAcross(request, backend);
    else this.reach(request, backend);
  }

  /** The attempt leaves for a backend a hop away: it gets there after half the hop, unless the connection is refused. */
  private sendAcross(request: RequestRecord, backend: Backend): void {
    const hop = this.config.hop!;
    const slot = request.slot;
    if (slot >= this.hopMs.length) {
      this.hopMs = grown(this.hopMs, Math.max(64, 2 * slot));
      this.answerStatus = grown(this.answerStatus, this.hopMs.length);
    }
    const hopMs = hop.sample(hop.rng);
    this.hopMs[slot] = hopMs;
    if (backend.mode === 'up') this.scheduler.schedule(this.scheduler.now + hopMs / 2, this.targetId, REACHED_BACKEND, slot);
    else this.reach(request, backend);
  }

  /** The attempt is at the backend: served, answered at once, or failed as the backend's mode says. */
  private reach(request: RequestRecord, backend: Backend): void {
    const index = backend.index;
    if (backend.mode === 'up') {
      // Answered at once with a 500, or a 503 from a full queue: a response, not an upstream failure (nginx passes it on).
      if (backend.answersErrors) this.respond(request, index, 'failed', 500);
      else if (!backend.admit(request.slot)) this.respond(request, index, 'rejected', 503);
      return;
    }
    const { failure, durationMs } = attemptFailureFor(backend.mode, this.config.proxy);
    // Timeouts run from when the attempt started; a refused connection costs half a hop, one
    // closed after the request reached the backend a whole hop.
    const hop = this.config.hop === undefined ? 0 : this.hopMs[request.slot]!;
    const travel = backend.mode === 'refused' ? hop / 2 : backend.mode === 'crash' || backend.mode === 'reset' ? hop : 0;
    this.scheduleFailure(request, failure.reason, failure.sent, Math.max(this.scheduler.now, request.attemptStartedAt + travel + durationMs));
  }

  /** The backend answered the attempt (any status): nginx's free() without a failure, and the answer goes to the client. */
  respond(request: RequestRecord, backend: number, outcome: RequestOutcome, status: number): void {
    if (this.config.hop !== undefined) {
      // The answer travels back: the balancer sees it half a hop later.
      this.answerStatus[request.slot] = status;
      this.scheduler.schedule(this.scheduler.now + this.hopMs[request.slot]! / 2, this.targetId, ANSWER_BACK, request.slot);
      return;
    }
    this.deliver(request, backend, outcome, status);
  }

  private answerArrived(request: RequestRecord): void {
    const status = this.answerStatus[request.slot]!;
    this.deliver(request, request.backend, status === 200 ? 'completed' : status === 503 ? 'rejected' : 'failed', status);
  }

  private deliver(request: RequestRecord, backend: number, outcome: RequestOutcome, status: number): void {
    const now = this.scheduler.now;
    request.respondedAt = now;
    request.upstream!.attemptSucceeded(this.backends[backend]!.name, now, request);
    this.emitAttemptEnd(request, backend, true);
    this.finisher.finishRequest(request, outcome, status, backend);
  }

  /** The backend left `up` while the request was queued or in service there. */
  requestLost(request: RequestRecord, backend: Backend): void {
    const { failure, durationMs } = attemptFailureFor(backend.mode === 'up' ? 'crash' : backend.mode, this.config.proxy);
    // The request had been sent: a timeout runs from when the attempt started; the news of a
    // closed connection travels back half a hop.
    const back = this.config.hop === undefined || failure.reason === 'timeout' ? 0 : this.hopMs[request.slot]! / 2;
    this.scheduleFailure(request, failure.reason, true, Math.max(this.scheduler.now + back, request.attemptStartedAt + durationMs));
  }

  /** The attempt fails at `at`, or later when the balancer retries its server first (HAProxy's retries). */
  private scheduleFailure(request: RequestRecord, reason: 'error' | 'timeout', sent: boolean, at: SimTime): void {
    request.failureReason = reason;
    request.failureSent = sent;
    const retrying = request.upstream!.retryingMs(sent ? (reason === 'error' ? SENT_ERROR : SENT_TIMEOUT) : reason === 'error' ? UNSENT_ERROR : UNSENT_TIMEOUT, at - request.attemptStartedAt);
    this.scheduler.schedule(retrying === 0 ? at : at + retrying, this.targetId, ATTEMPT_FAILED, request.slot);
  }

  private attemptFailed(request: RequestRecord): void {
    const backend = this.backends[request.backend]!;
    this.emitAttemptEnd(request, request.backend, false);
    const failure = request.failureSent ? (request.failureReason === 'error' ? SENT_ERROR : SENT_TIMEOUT) : request.failureReason === 'error' ? UNSENT_ERROR : UNSENT_TIMEOUT;
    request.upstream!.attemptFailed(backend.name, failure, this.scheduler.now);
    this.nextAttempt(request);
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
}
