/**
 * The recycled records of a run: one per live session and one per request in flight, kept in
 * slot tables with free lists, so the event loop allocates nothing per request once warm.
 * Events carry slot numbers; a record is reset when it is taken again.
 */
import type { SimTime } from '../engine/index.js';
import { sessionIdOf, type BreakCause, type ClientAddress, type HttpMethod, type Request } from '../model/index.js';
import type { ResponseHeaders } from '../strategies/index.js';
import { UpstreamRequest } from './upstream.js';

/**
 * The live state of one session; its plan is in the run's PlanTable, at the same slot. Fields the
 * loop touches at every step come first, so that they share a cache line or two.
 */
export class SessionRecord {
  /** The session's number (its plan's index), kept here so events need not touch the plan. */
  index = 0;
  step = 0;
  /** The step after which the user leaves (or pays), from the plan. */
  lastStep = 0;
  /** Requests of the current step still in flight, and the first error status among them (0: none). */
  outstanding = 0;
  stepFailedStatus = 0;
  pendingBreak: BreakCause | undefined = undefined;
  /**
   * Whether the jar or the expiry map may hold anything: most sessions never get a cookie, and
   * the flag on the record spares the hot path a visit to each map.
   */
  hasCookies = false;
  hasExpiringCookies = false;
  /** The browser refuses cookies, from the plan. */
  refusesCookies = false;
  /** The browser's cookie jar: what requests send. */
  readonly cookies = new Map<string, string>();
  /** Backend that completed the previous step (coupled steps must run there). */
  lastServed = -1;
  lastServedIncarnation = 0;
  /** The pool (configuration) the session's last step was routed in, and the address it came from. */
  lastServedPoolEpoch = 0;
  lastServedClient: ClientAddress | undefined = undefined;
  /** Writes so far: the version a read must see. */
  version = 0;
  /** Backend that made the last write, and its incarnation then (-1: none yet). */
  holder = -1;
  holderIncarnation = 0;
  /** Expiry per cookie that has a max-age. */
  readonly cookieExpiry = new Map<string, SimTime>();
  /** Update ids in the stored state, the next id, and the updates lost to concurrent writes. */
  readonly storeState: number[] = [];
  nextUpdate = 0;
  lostUpdates = 0;
  /** When the session lock (shared cache with locking) is free again. */
  lockFreeAt = -Infinity;

  constructor(readonly slot: number) {}

  reset(): void {
    this.step = 0;
    this.version = 0;
    this.holder = -1;
    this.lastServed = -1;
    // Map.clear() allocates a fresh table even when empty: skip it on the common path.
    if (this.hasCookies) this.cookies.clear();
    if (this.hasExpiringCookies) this.cookieExpiry.clear();
    this.hasCookies = false;
    this.hasExpiringCookies = false;
    this.pendingBreak = undefined;
    this.outstanding = 0;
    this.stepFailedStatus = 0;
    if (this.storeState.length > 0) this.storeState.length = 0;
    this.nextUpdate = 0;
    this.lostUpdates = 0;
    this.lockFreeAt = -Infinity;
  }

  /** Drops expired cookies before a request is sent. */
  expireCookies(now: SimTime): void {
    if (!this.hasExpiringCookies) return;
    for (const [name, expiresAt] of this.cookieExpiry) {
      if (expiresAt <= now) {
        this.cookies.delete(name);
        this.cookieExpiry.delete(name);
      }
    }
  }
}

/** One client request in flight: the balancer's `Request`, the response's cookie writer, and nginx's attempt state. */
export class RequestRecord implements Request, ResponseHeaders {
  id = 0;
  step = '';
  method: HttpMethod = 'GET';
  client!: ClientAddress;
  cookies!: ReadonlyMap<string, string>;
  sentAt: SimTime = 0;
  session!: SessionRecord;
  /** Backend index of the current attempt. */
  backend = -1;
  attemptStartedAt: SimTime = 0;
  failureReason: 'error' | 'timeout' = 'error';
  failureSent = false;
  /** The pool (configuration) the request was routed in, and the backend of each server in its list (see `Pick.peer`). */
  poolEpoch = 0;
  memberBackends: Int32Array = new Int32Array(0);
  /** Position among the step's parallel requests, and whether it writes the session. */
  index = 0;
  writes = false;
  /** The state a lock-free shared-cache writer read (update ids). */
  readonly snapshot: number[] = [];
  lockWaitMs = 0;
  lockTimedOut = false;
  /** Updates of other requests this request's write overwrote. */
  lostUpdates = 0;
  /** Non-zero when the backend answers this request with an error (the cache is down). */
  errorStatus = 0;
  upstream: UpstreamRequest | undefined = undefined;
  /** When the response is sent (cookies set now expire relative to it). */
  respondedAt: SimTime = 0;

  constructor(readonly slot: number) {}

  get sessionId(): string {
    return sessionIdOf(this.session.index);
  }

  setCookie(name: string, value: string, maxAgeMs?: SimTime): void {
    const session = this.session;
    if (session.refusesCookies) return;
    session.cookies.set(name, value);
    session.hasCookies = true;
    if (maxAgeMs === undefined) session.cookieExpiry.delete(name);
    else {
      session.cookieExpiry.set(name, this.respondedAt + maxAgeMs);
      session.hasExpiringCookies = true;
    }
  }
}

/** A slot table with a free list. */
export class RecordPool<R extends { readonly slot: number }> {
  private readonly records: R[] = [];
  private readonly free: number[] = [];

  constructor(private readonly make: (slot: number) => R) {}

  take(): R {
    const slot = this.free.pop();
    if (slot !== undefined) return this.records[slot]!;
    const record = this.make(this.records.length);
    this.records.push(record);
    return record;
  }

  get(slot: number): R {
    return this.records[slot]!;
  }

  release(record: R): void {
    this.free.push(record.slot);
  }
}

