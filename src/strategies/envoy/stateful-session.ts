/**
 * Envoy's stateful session by cookie (`envoy.http.stateful_session.cookie`): the response
 * carries a cookie naming the upstream host; a request with it goes to that host while the host
 * is balanced over; otherwise the load balancer picks and the cookie is rewritten. In strict
 * mode a request whose host is gone is answered 503 instead (lbsim: a balancer failure, 502).
 *
 * Reference: Envoy `source/extensions/http/stateful_session/cookie/cookie.cc` (the cookie value
 * is the host's address `ip:port`, base64-encoded, as the first releases of the filter wrote it;
 * later ones encode the address together with an expiry) and `source/common/router/router.cc` (`overrideHostToSelect`,
 * `strict`). The cookie is written when the answering host differs from the one it named, with
 * `Max-Age` = the configured `ttl` (none: a browser-session cookie).
 */
import type { SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import type { CookiePolicy } from '../cookie-route.js';
import type { ResponseHeaders } from '../strategy.js';

/** The cookie value Envoy writes for a host address: base64 of its text. */
export function envoySessionValue(address: string): string {
  return btoa(address);
}

/** Envoy's stateful-session cookie as a routing-cookie policy. */
export class EnvoySessionCookie implements CookiePolicy {
  private readonly encoded = new Map<BackendName, string>();
  private readonly decoded = new Map<string, BackendName>();

  /** `hosts`: the cluster's addresses; `ttlMs`: the cookie's `ttl` (undefined: none). */
  constructor(
    readonly name: string,
    readonly strict: boolean,
    hosts: readonly BackendName[],
    private readonly ttlMs: SimTime | undefined,
  ) {
    for (const host of hosts) {
      const value = envoySessionValue(host);
      this.encoded.set(host, value);
      this.decoded.set(value, host);
    }
  }

  target(value: string, _now: SimTime): BackendName | undefined {
    // An address of no host is still a target: strict mode must refuse it.
    const known = this.decoded.get(value);
    if (known !== undefined) return known;
    try {
      return atob(value);
    } catch {
      return undefined;
    }
  }

  write(backend: BackendName, routed: boolean, _request: Request, _now: SimTime, response: ResponseHeaders): void {
    if (!routed) response.setCookie(this.name, this.encoded.get(backend) ?? envoySessionValue(backend), this.ttlMs);
  }
}
