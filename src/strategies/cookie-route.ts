/**
 * A balancer-issued routing cookie as a decorator over any method, for the balancers whose
 * cookie differs from lbsim's `sticky.cookie` in what it holds and when it is written: Envoy's
 * stateful session (`envoy.http.stateful_session.cookie`, with its strict mode) and AWS ALB's
 * duration-based and application-based stickiness. A `CookiePolicy` says how a cookie value
 * names a backend, whether a request whose backend is gone fails (strict) and what a response
 * writes; the decorator does the routing, as nginx's sticky modules wrap get and free.
 *
 * A request whose cookie names a usable backend goes there first (`via: 'cookie'`); otherwise,
 * and on retries, the wrapped method picks. In strict mode a request whose cookie names a
 * backend that is not usable gets no pick at all: Envoy answers it 503 ("no healthy upstream");
 * lbsim's simulation records it as a balancer failure (its 502, "no live upstream").
 */
import { DecoratingPicker } from './decorator.js';
import { cookiePicks } from './named-peers.js';
import type { SimTime } from '../engine/index.js';
import type { BackendName, Request } from '../model/index.js';
import type { FailureReason, PeerPicker, Pick, ResponseHeaders, Strategy } from './strategy.js';

/** How one balancer's routing cookie reads and writes. */
export interface CookiePolicy {
  readonly name: string;
  /** Strict: a cookie naming a backend that is not usable fails the request. */
  readonly strict: boolean;
  /** The backend the cookie value routes to at `now`, or undefined (unreadable, expired). */
  target(value: string, now: SimTime): BackendName | undefined;
  /**
   * Writes the response's cookies after `backend` answered. `routed`: the request's cookie
   * already named it.
   */
  write(backend: BackendName, routed: boolean, request: Request, now: SimTime, response: ResponseHeaders): void;
}

class CookieRoutePicker extends DecoratingPicker {
  private targetTried = false;

  constructor(
    private readonly strategy: Strategy,
    inner: PeerPicker,
    private readonly policy: CookiePolicy,
    private readonly request: Request,
    private readonly wanted: BackendName | undefined,
    private readonly cookiePick: (backend: BackendName) => Pick,
  ) {
    super(inner);
  }

  pick(now: SimTime): Pick | undefined {
    const wanted = this.wanted;
    if (wanted !== undefined && !this.targetTried) {
      this.targetTried = true;
      if (this.strategy.usable(wanted, now)) return this.cookiePick(wanted);
      if (this.policy.strict) return undefined;
    }
    const pick = this.inner.pick(now);
    if (pick !== undefined && pick.backend === wanted) this.targetTried = true;
    return pick;
  }

  override onSuccess(backend: BackendName, now: SimTime, response: ResponseHeaders): void {
    this.policy.write(backend, backend === this.wanted, this.request, now, response);
    super.onSuccess(backend, now, response);
  }

  override onFailure(backend: BackendName, reason: FailureReason, now: SimTime): void {
    // However it was chosen (an outer decorator may have), a failed cookie target is not retried.
    if (backend === this.wanted) this.targetTried = true;
    super.onFailure(backend, reason, now);
  }
}

/** Wraps `inner` with the routing cookie `policy`. */
export function withCookieRoute(inner: Strategy, policy: CookiePolicy, method = inner.method): Strategy {
  const cookiePick = cookiePicks();
  return {
    method,
    open(request: Request, now: SimTime): PeerPicker {
      const value = request.cookies.get(policy.name);
      const wanted = value === undefined ? undefined : policy.target(value, now);
      return new CookieRoutePicker(inner, inner.open(request, now), policy, request, wanted, cookiePick);
    },
    usable: (backend, now) => inner.usable(backend, now),
    setTakenOut: (backend, takenOut) => inner.setTakenOut(backend, takenOut),
  };
}
