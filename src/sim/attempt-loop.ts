/**
 * nginx's attempt loop for one request (`ngx_http_upstream_next`): pick a server through the
 * request's picker, send the request to that backend, and when the attempt fails, after the time
 * the failure takes (a refused connection at once, a timeout after proxy's timeout), report it and
 * try the next server, until the picker has none or the request's tries are spent. The rules of
 * which failures are passed on live in `upstream.ts`, shared with `lbsim replay`.
 */
import type { EventTarget, Scheduler, SimTime, TargetId } from '../engine/index.js';
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

const SENT_ERROR = { reason: 'error', sent: true } as const;
const SENT_TIMEOUT = { reason: 'timeout', sent: true } as const;
const UNSENT_ERROR = { reason: 'error', sent: false } as const;
const UNSENT_TIMEOUT = { reason: 'timeout', sent: false } as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class AttemptLoop implements EventTarget {
  private readonly targetId: TargetId;
  private finisher!: RequestFinisher;
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

  fire(_kind: number, ref: number): void {
    this.attemptFailed(this.requests.get(ref));
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
    if (backend.mode === 'up') {
      // Answered at once with a 500, or a 503 from a full queue: a response, not an upstream failure (nginx passes it on).
      if (backend.answersErrors) this.respond(request, index, 'failed', 500);
      else if (!backend.admit(request.slot)) this.respond(request, index, 'rejected', 503);
      return;
    }
    const { failure, durationMs } = attemptFailureFor(backend.mode, this.config.proxy);
    this.scheduleFailure(request, failure.reason, failure.sent, now + durationMs);
  }

  /** The backend answered the attempt (any status): nginx's free() without a failure, and the answer goes to the client. */
  respond(request: RequestRecord, backend: number, outcome: RequestOutcome, status: number): void {
    const now = this.scheduler.now;
    request.respondedAt = now;
    request.upstream!.attemptSucceeded(this.backends[backend]!.name, now, request);
    this.emitAttemptEnd(request, backend, true);
    this.finisher.finishRequest(request, outcome, status, backend);
  }

  /** The backend left `up` while the request was queued or in service there. */
  requestLost(request: RequestRecord, backend: Backend): void {
    const { failure, durationMs } = attemptFailureFor(backend.mode === 'up' ? 'crash' : backend.mode, this.config.proxy);
    // The request had been sent: a timeout runs from when the attempt started.
    this.scheduleFailure(request, failure.reason, true, Math.max(this.scheduler.now, request.attemptStartedAt + durationMs));
  }

  private scheduleFailure(request: RequestRecord, reason: 'error' | 'timeout', sent: boolean, at: SimTime): void {
    request.failureReason = reason;
    request.failureSent = sent;
    this.scheduler.schedule(at, this.targetId, ATTEMPT_FAILED, request.slot);
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
