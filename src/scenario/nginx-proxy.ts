/** What lbsim reads of nginx's proxy module: the retry settings of one `location`, and nginx's defaults. */

/** The retry settings of one nginx `location` (proxy module); sim/upstream.ts applies them. */
export interface ProxySettings {
  /** `proxy_next_upstream`: which failures are passed on; all false is `off`. */
  readonly nextUpstream: { readonly error: boolean; readonly timeout: boolean; readonly nonIdempotent: boolean };
  /** `proxy_next_upstream_tries`; 0 means no limit beyond the balancer's own. */
  readonly tries: number;
  /** `proxy_connect_timeout` in ms. */
  readonly connectTimeoutMs: number;
  /** `proxy_read_timeout` in ms. */
  readonly readTimeoutMs: number;
}

/** nginx's defaults: `proxy_next_upstream error timeout`, no tries limit, 60 s timeouts. */
export const DEFAULT_PROXY_SETTINGS: ProxySettings = Object.freeze({
  nextUpstream: Object.freeze({ error: true, timeout: true, nonIdempotent: false }),
  tries: 0,
  connectTimeoutMs: 60_000,
  readTimeoutMs: 60_000,
});
