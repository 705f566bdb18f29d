/**
 * HAProxy's cookie persistence, `cookie NAME insert indirect nocache`, as a decorator over an
 * HAProxy method: a request whose cookie names a running server goes straight to it without
 * consulting (or advancing) the balancer and gets no Set-Cookie; any other request is balanced
 * and its response inserts the cookie of the server that answered.
 *
 * Reference: HAProxy 2.6 `src/http_ana.c` (`http_manage_client_side_cookies`,
 * `http_manage_server_side_cookies`), described in test/fixtures/haproxy/ALGORITHMS.md
 * ("Cookie persistence"):
 *
 * - cookies called NAME are read left to right; for each non-empty value, the first server
 *   (declaration order) whose `cookie` equals it exactly is looked up; a running one takes the
 *   request, a disabled one is ignored and the next NAME cookie is tried;
 * - the inserted cookie is a browser-session cookie `NAME=<server's cookie>`; a server without a
 *   cookie value deletes it instead (`NAME=; Expires=Thu, 01-Jan-1970 …`);
 * - `nocache` marks such responses `Cache-control: private` (no cache is simulated);
 * - `option redispatch` (a setting of the wrapped method): when the cookie's server fails, the
 *   retry is balanced to another server, and the response re-issues the cookie. Without it the
 *   request fails with its server.
 */
import type { SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import type { FailureReason, PeerPicker, Pick, ResponseHeaders, Strategy } from '../strategy.js';
import { DecoratingPicker } from '../decorator.js';
import type { HaproxyStrategy } from './balance.js';
import type { HaproxyServers } from './servers.js';

/** The values of the request's cookies called NAME, in header order (a raw Cookie header may repeat a name). */
export type CookieValues = (request: Request, name: string) => Iterable<string>;

/** The running server the cookie values name, by HAProxy's left-to-right rule, or -1. */
export function cookieServer(servers: HaproxyServers, values: Iterable<string>): number {
  for (const value of values) {
    const i = cookieTarget(servers, value);
    if (i >= 0) return i;
  }
  return -1;
}

/** The running server one cookie value names, or -1 (empty, unknown, or its server is disabled). */
function cookieTarget(servers: HaproxyServers, value: string | undefined): number {
  if (value === undefined || value === '') return -1;
  const i = servers.indexOfCookie(value);
  return i >= 0 && servers.running[i] === 1 ? i : -1;
}

class CookiePicker extends DecoratingPicker {
  private directTried = false;
  private directInFlight = false;

  constructor(
    private readonly servers: HaproxyServers,
    inner: PeerPicker,
    private readonly direct: number,
    private readonly name: string,
    private readonly cookiePicks: readonly Pick[],
  ) {
    super(inner);
  }

  pick(now: SimTime): Pick | undefined {
    if (this.direct >= 0 && !this.directTried) {
      this.directTried = true;
      this.directInFlight = true;
      this.servers.take(this.direct);
      return this.cookiePicks[this.direct] as Pick;
    }
    return this.inner.pick(now);
  }

  override onSuccess(backend: BackendName, now: SimTime, response: ResponseHeaders): void {
    const direct = this.releaseDirect(backend);
    if (!direct) {
      const value = this.servers.cookies[this.servers.indexOf(backend)] ?? '';
      if (value === '') response.setCookie(this.name, '', 0);
      else response.setCookie(this.name, value);
    }
    super.onSuccess(backend, now, response);
  }

  override onFailure(backend: BackendName, reason: FailureReason, now: SimTime): void {
    this.releaseDirect(backend);
    // However it was chosen, a failed attempt on the cookie's server ends its direct route.
    if (this.direct >= 0 && this.servers.names[this.direct] === backend) this.directTried = true;
    super.onFailure(backend, reason, now);
  }

  /** Ends the direct attempt if `backend` is its server; returns whether it was. */
  private releaseDirect(backend: BackendName): boolean {
    if (!this.directInFlight || this.servers.names[this.direct] !== backend) return false;
    this.directInFlight = false;
    this.servers.release(this.direct);
    return true;
  }
}

/**
 * An HAProxy method with `cookie NAME insert indirect nocache`. `values` reads the request's NAME
 * cookies; by default the browser's jar, which holds one value per name (tests replay raw Cookie
 * headers, where a name may repeat).
 */
export class HaproxyCookieStrategy implements Strategy {
  readonly method = 'haproxy-cookie';
  private readonly cookiePicks: readonly Pick[];

  constructor(
    readonly inner: HaproxyStrategy,
    readonly name: string,
    private readonly values?: CookieValues,
  ) {
    this.cookiePicks = inner.servers.pickTable('cookie');
  }

  open(request: Request, now: SimTime): PeerPicker {
    const servers = this.inner.servers;
    const values = this.values;
    const direct = values === undefined ? cookieTarget(servers, request.cookies.get(this.name)) : cookieServer(servers, values(request, this.name));
    return new CookiePicker(servers, this.inner.open(request, now), direct, this.name, this.cookiePicks);
  }

  usable(backend: BackendName, now: SimTime): boolean {
    return this.inner.usable(backend, now);
  }

  /** The server stops or starts in the method; a cookie naming a stopped server is ignored, as for a disabled one. */
  setTakenOut(backend: BackendName, takenOut: boolean): void {
    this.inner.setTakenOut(backend, takenOut);
  }
}
