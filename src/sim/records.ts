/**
 * The recycled records of a run: one per live session and one per request in flight, kept in
 * slot tables with free lists, so the event loop allocates nothing per request once warm.
 * Events carry slot numbers; a record is reset when it is taken again.
 */
import type { SimTime } from '../engine/index.js';
import { NO_COOKIES, sessionIdOf, type BreakCause, type ClientAddress, type HttpMethod, type Request } from '../model/index.js';
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
  /** Whether the expiry map may hold anything: most sessions never get a cookie, and the flag spares each step a visit to the map. */
  hasExpiringCookies = false;
  /** The browser refuses cookies, from the plan. */
  refusesCookies = false;
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
  /** The next update id, and the updates lost to concurrent writes. */
  nextUpdate = 0;
  lostUpdates = 0;
  // Created on first use and kept for the slot's next sessions: most sessions never need them,
  // and a record without them is a third of the size, so that the records of thousands of live
  // sessions stay in cache. (For the same reason no field holds a non-integer number: V8 keeps
  // such a field in a box of its own, one more cache line per record.)
  private jar: Map<string, string> | undefined = undefined;
  private expiry: Map<string, SimTime> | undefined = undefined;
  private updates: number[] | undefined = undefined;

  constructor(readonly slot: number) {}

  /** The browser's cookie jar: what requests send. */
  get cookies(): ReadonlyMap<string, string> {
    return this.jar ?? NO_COOKIES;
  }

  /** Update ids in the stored state (last-write-wins tracking). */
  get storeState(): number[] {
    return (this.updates ??= []);
  }

  /** Stores a cookie the response set; `expiresAt` undefined: a browser-session cookie. */
  setCookie(name: string, value: string, expiresAt: SimTime | undefined): void {
    (this.jar ??= new Map()).set(name, value);
    if (expiresAt === undefined) this.expiry?.delete(name);
    else {
      (this.expiry ??= new Map()).set(name, expiresAt);
      this.hasExpiringCookies = true;
    }
  }

  reset(): void {
    this.step = 0;
    this.version = 0;
    this.holder = -1;
    this.lastServed = -1;
    // Map.clear() allocates a fresh table even when empty: skip it on the common path.
    if (this.jar !== undefined && this.jar.size > 0) this.jar.clear();
    if (this.hasExpiringCookies) this.expiry?.clear();
    this.hasExpiringCookies = false;
    this.pendingBreak = undefined;
    this.outstanding = 0;
    this.stepFailedStatus = 0;
    if (this.updates !== undefined && this.updates.length > 0) this.updates.length = 0;
    this.nextUpdate = 0;
    this.lostUpdates = 0;
  }

  /** Drops expired cookies before a request is sent. */
  expireCookies(now: SimTime): void {
    if (!this.hasExpiringCookies) return;
    for (const [name, expiresAt] of this.expiry!) {
      if (expiresAt <= now) {
        this.jar?.delete(name);
        this.expiry!.delete(name);
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

  /** What the browser sends: the session's jar as it is when read (a response may set a cookie while this request is in flight). */
  get cookies(): ReadonlyMap<string, string> {
    return this.session.cookies;
  }

  get sessionId(): string {
    return sessionIdOf(this.session.index);
  }

  setCookie(name: string, value: string, maxAgeMs?: SimTime): void {
    const session = this.session;
    if (session.refusesCookies) return;
    session.setCookie(name, value, maxAgeMs === undefined ? undefined : this.respondedAt + maxAgeMs);
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

