/**
 * The balancing protocol every method follows, modelled on nginx's upstream modules:
 * per-pool set-up (`MethodDefinition.create`, nginx's init_upstream), a per-request picker
 * (`Strategy.open`, nginx's per-request init), `pick` (nginx's get, called again on retry) and
 * the outcome report (`onSuccess` / `onFailure`, nginx's free).
 *
 * Health and weight rules belong to each balancer family (nginx, HAProxy, Envoy) and live in
 * that family's peer list; the simulator only reports outcomes through these hooks.
 */
import type { SimTime } from '../engine/index.js';
import type { BackendName, Request } from '../model/index.js';

/** One server of an upstream block, in configuration order. */
export interface PeerSpec {
  readonly name: BackendName;
  /** nginx `weight=` (default 1). */
  readonly weight: number;
  /** nginx `down` (HAProxy `disabled`; Envoy: a host failing its checks): out of the choice; nginx keeps its hash slots. */
  readonly down: boolean;
  /** nginx `backup`: used only when every primary is unusable (later issues). */
  readonly backup: boolean;
  /** nginx `max_fails=` (default 1; 0 disables failure accounting). */
  readonly maxFails: number;
  /** nginx `fail_timeout=` in milliseconds (default 10 s); nginx compares it in whole seconds. */
  readonly failTimeoutMs: SimTime;
  /** nginx `max_conns=`: attempts in flight at once beyond which the peer is skipped; absent or 0: no limit. */
  readonly maxConns?: number;
  /** HAProxy `id`: the numeric id consistent hashing places a server's points by; absent: assigned in order. */
  readonly id?: number;
  /** HAProxy `cookie` value; absent: the server's name; empty: none (an inserted cookie is deleted). */
  readonly cookie?: string;
}

/** How a pick was made, for traces and tests. */
export type PickVia = 'balance' | 'hash' | 'cookie' | 'fallback';

export interface Pick {
  readonly backend: BackendName;
  readonly via: PickVia;
  /**
   * The picked server's position in the list the method was built over (`methodPeers`: the
   * pool's peers, or a block's server lines), or -1 when the pick only names it (a cookie naming
   * any backend): callers map positions to their own backends once, where a lookup by name per
   * attempt would cost a hash.
   */
  readonly peer: number;
}

/** nginx's two failure classes, as `proxy_next_upstream` names them. */
export type FailureReason = 'error' | 'timeout';

/** What a picker may write into the response, e.g. a sticky cookie. */
export interface ResponseHeaders {
  /** `maxAgeMs` undefined means a browser-session cookie. */
  setCookie(name: string, value: string, maxAgeMs?: SimTime): void;
}

/** Per-request state and hooks; nginx's per-request init returns one of these. */
export interface PeerPicker {
  /** How many attempts this request may make (nginx: servers not marked down, primary and backup). */
  readonly tries: number;
  /** nginx get(): the next backend to try, or undefined when none is usable (nginx: "no live upstreams"). */
  pick(now: SimTime): Pick | undefined;
  /** nginx free() after a successful attempt. May set response headers (cookie insertion). */
  onSuccess?(backend: BackendName, now: SimTime, response: ResponseHeaders): void;
  /**
   * nginx free() with NGX_PEER_FAILED: the attempt on `backend` failed. The backend counts as
   * tried for the rest of this request, even if a decorator (not this picker) had chosen it.
   */
  onFailure?(backend: BackendName, reason: FailureReason, now: SimTime): void;
  /**
   * How much longer than the attempt itself (`attemptMs`) the balancer keeps at the same server
   * before this failure is final: HAProxy's retries, folded into the attempt (the server stays as
   * it is meanwhile). Asked before `onFailure`. Absent or 0: the failure is final at once (nginx,
   * Envoy).
   */
  retryingMs?(reason: FailureReason, sent: boolean, attemptMs: number, connectTimeoutMs: number): number;
  /**
   * The request is over (nginx frees the request's pool): the picker is not used again, and a
   * method may recycle it for a later request.
   */
  close?(): void;
}

/** One balancing method bound to one pool. */
export interface Strategy {
  readonly method: string;
  open(request: Request, now: SimTime): PeerPicker;
  /** Whether the family's health rules would let a request go to `backend` now (sticky decorators ask this). */
  usable(backend: BackendName, now: SimTime): boolean;
  /**
   * Takes every server called `backend` out of the method's choice (the active health checks
   * marked it down, or it is being drained), or puts it back; a name the method does not know is
   * ignored, and repeating a call changes nothing. From a fresh state this equals building the
   * method with that server `down`; unlike a rebuild it keeps the method's running state (nginx's
   * fails, weights and conns, HAProxy's round-robin position, Envoy's requests in flight), as the
   * real balancers change a server's state in place. A server configured `down` stays down.
   * Requests already open keep their number of tries.
   */
  setTakenOut(backend: BackendName, takenOut: boolean): void;
}
