/**
 * Cookie stickiness as a decorator over any balancing method: the request's cookie names the
 * backend to use; without a usable one the wrapped method picks, and a successful response
 * (re)writes the cookie to the backend that answered.
 *
 * Modelled on the shape of nginx's sticky modules (NGINX Plus `sticky cookie`, the third-party
 * nginx-sticky-module): they save the wrapped method's get and free and call them. As with
 * those, there is no failback: once a failure moved the user and the cookie was rewritten, the
 * user stays on the new backend after the old one recovers.
 *
 * One difference from nginx's own pick: a cookie pick does not start nginx's "checking" pick
 * (only the family's get does), so a success on it does not clear an old failure count.
 */
import { cookiePicks } from './named-peers.js';
import type { SimTime } from '../engine/index.js';
import type { BackendName, Request } from '../model/index.js';
import { DecoratingPicker } from './decorator.js';
import type { PeerPicker, Pick, ResponseHeaders, Strategy } from './strategy.js';

/** The cookie that carries the backend's name. */
export interface StickyCookie {
  readonly name: string;
  /** Cookie lifetime in ms; undefined means a browser-session cookie (set only when it changes). */
  readonly maxAgeMs?: SimTime;
}

class StickyPicker extends DecoratingPicker {
  /** Whether the cookie's backend has been attempted in this request (by the cookie or not). */
  private cookieTargetTried = false;

  constructor(
    private readonly strategy: Strategy,
    inner: PeerPicker,
    private readonly wanted: BackendName | undefined,
    private readonly cookie: StickyCookie,
    private readonly cookiePick: (backend: BackendName) => Pick,
  ) {
    super(inner);
  }

  pick(now: SimTime): Pick | undefined {
    const wanted = this.wanted;
    // Asked again on every retry: after a timeout the cookie's backend may be usable again.
    if (wanted !== undefined && !this.cookieTargetTried && this.strategy.usable(wanted, now)) {
      this.cookieTargetTried = true;
      return this.cookiePick(wanted);
    }
    const pick = this.inner.pick(now);
    if (pick !== undefined && pick.backend === wanted) this.cookieTargetTried = true;
    return pick;
  }

  override onSuccess(backend: BackendName, now: SimTime, response: ResponseHeaders): void {
    const maxAgeMs = this.cookie.maxAgeMs;
    // A session cookie is written only when it changes; one with a lifetime is refreshed.
    if (maxAgeMs !== undefined || this.wanted !== backend) response.setCookie(this.cookie.name, backend, maxAgeMs);
    super.onSuccess(backend, now, response);
  }
}

/**
 * Wraps `inner` with cookie stickiness. A request whose cookie `cookie.name` names a backend
 * that `inner.usable` accepts goes there first (`via: 'cookie'`); otherwise, and for retries,
 * the inner method picks. The backend's name is the cookie value.
 */
export function withStickyCookie(inner: Strategy, cookie: StickyCookie): Strategy {
  const cookiePick = cookiePicks();
  return {
    method: inner.method,
    open(request: Request, now: SimTime): PeerPicker {
      const wanted = request.cookies.get(cookie.name);
      return new StickyPicker(inner, inner.open(request, now), wanted, cookie, cookiePick);
    },
    usable: (backend, now) => inner.usable(backend, now),
    setTakenOut: (backend, takenOut) => inner.setTakenOut(backend, takenOut),
  };
}
