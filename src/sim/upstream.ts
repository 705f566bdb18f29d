/**
 * nginx's per-request attempt loop: ask the balancer for a server, report the attempt's outcome,
 * and decide whether a failed attempt is passed to the next server (`proxy_next_upstream`,
 * `proxy_next_upstream_tries`) or ends the request with 502 / 504. One implementation, used by
 * the simulation and by `replay`.
 *
 * Reference: nginx 1.22.1 `src/http/ngx_http_upstream.c` (`ngx_http_upstream_connect`,
 * `ngx_http_upstream_next`) and `src/http/modules/ngx_http_proxy_module.c` (the
 * `proxy_next_upstream` masks); rules in test/fixtures/nginx-failover/RULES.md §5, §7, §8.
 */
import type { SimTime } from '../engine/index.js';
import type { BackendName, HttpMethod } from '../model/index.js';
import type { FailureReason, PeerPicker, Pick, ResponseHeaders } from '../strategies/index.js';
import type { BackendMode, ProxySettings } from '../scenario/index.js';

// Proxy settings are input (parsed from nginx text), so they are defined beside the parser.
export { DEFAULT_PROXY_SETTINGS, type ProxySettings } from '../scenario/index.js';

/**
 * How a backend behaves (test/fixtures/nginx-failover/README.md): `up` answers; `refused`
 * rejects the connection; `blackhole` never completes it; `crash` and `reset` read the request,
 * then close or reset; `hang` reads it and never answers. One definition, the scenario's.
 */
export type { BackendMode } from '../scenario/index.js';

/** The failure nginx sees for one attempt, and whether the request had been sent. */
export interface AttemptFailure {
  readonly reason: FailureReason;
  readonly sent: boolean;
}

const ERROR_BEFORE_SENDING: AttemptFailure = Object.freeze({ reason: 'error', sent: false });
const TIMEOUT_BEFORE_SENDING: AttemptFailure = Object.freeze({ reason: 'timeout', sent: false });
const ERROR_AFTER_SENDING: AttemptFailure = Object.freeze({ reason: 'error', sent: true });
const TIMEOUT_AFTER_SENDING: AttemptFailure = Object.freeze({ reason: 'timeout', sent: true });

/** How an attempt on a backend in a failing mode ends: failure class, whether the request was sent, how long it took (ms). */
export function attemptFailureFor(
  mode: Exclude<BackendMode, 'up'>,
  settings: ProxySettings,
): { failure: AttemptFailure; durationMs: number } {
  switch (mode) {
    case 'refused':
      return { failure: ERROR_BEFORE_SENDING, durationMs: 0 };
    case 'blackhole':
      return { failure: TIMEOUT_BEFORE_SENDING, durationMs: settings.connectTimeoutMs };
    case 'crash':
    case 'reset':
      return { failure: ERROR_AFTER_SENDING, durationMs: 0 };
    case 'hang':
      return { failure: TIMEOUT_AFTER_SENDING, durationMs: settings.readTimeoutMs };
  }
}

/** Methods nginx will not pass to another server once sent, unless `non_idempotent` is listed. */
function isNonIdempotent(method: HttpMethod): boolean {
  return method === 'POST' || method === 'LOCK' || method === 'PATCH';
}

/**
 * One client request's trip through an upstream: `nextAttempt` asks the picker for a server,
 * the caller runs the attempt and reports it with `attemptSucceeded` or `attemptFailed`, until
 * `nextAttempt` returns undefined and `status` is set.
 */
export class UpstreamRequest {
  /** Servers attempted, in order. "No live upstreams" adds nothing here; see `noLiveUpstreams`. */
  readonly tried: BackendName[] = [];
  /** nginx `$upstream_status`: per attempt 200, 502 (error) or 504 (timeout); a final 502 for "no live upstreams". */
  readonly upstreamStatus: number[] = [];
  private finalStatus: number | undefined = undefined;
  private noLive = false;
  private triesLeft = 0;
  private pending: BackendName | undefined = undefined;
  private picker!: PeerPicker;
  private method!: HttpMethod;
  private settings!: ProxySettings;

  /**
   * @param recordTrail keep `tried` and `upstreamStatus` (replay prints them; the simulation,
   *   which only needs the outcome, passes false to keep its hot path allocation-free).
   */
  constructor(picker: PeerPicker, method: HttpMethod, settings: ProxySettings, private readonly recordTrail = true) {
    this.reset(picker, method, settings);
  }

  /** Starts a new request on this record (the simulation recycles records instead of allocating one per request). */
  reset(picker: PeerPicker, method: HttpMethod, settings: ProxySettings): void {
    this.picker = picker;
    this.method = method;
    this.settings = settings;
    if (this.tried.length > 0) this.tried.length = 0;
    if (this.upstreamStatus.length > 0) this.upstreamStatus.length = 0;
    this.finalStatus = undefined;
    this.noLive = false;
    this.pending = undefined;
    const limit = settings.tries;
    this.triesLeft = limit > 0 && limit < picker.tries ? limit : picker.tries;
  }

  /** The client's status once the request is finished, else undefined. */
  get status(): number | undefined {
    return this.finalStatus;
  }

  /** True when the balancer found no eligible server (nginx "no live upstreams": 502, `$upstream_addr` shows the upstream's name). */
  get noLiveUpstreams(): boolean {
    return this.noLive;
  }

  /** Next backend to attempt, or undefined when the request is finished (status set: 502 no live upstreams, or last attempt's status). */
  nextAttempt(now: SimTime): Pick | undefined {
    if (this.finalStatus !== undefined) return undefined;
    if (this.pending !== undefined) throw new Error(`attempt on ${this.pending} was not reported`);
    const pick = this.picker.pick(now);
    if (pick === undefined) {
      this.noLive = true;
      if (this.recordTrail) this.upstreamStatus.push(502);
      this.finalStatus = 502;
      return undefined;
    }
    if (this.recordTrail) this.tried.push(pick.backend);
    this.pending = pick.backend;
    return pick;
  }

  /** The attempt on `backend` got a response (200); the request is finished. */
  attemptSucceeded(backend: BackendName, now: SimTime, response: ResponseHeaders): void {
    this.settle(backend);
    this.picker.onSuccess?.(backend, now, response);
    if (this.recordTrail) this.upstreamStatus.push(200);
    this.finalStatus = 200;
  }

  /**
   * The attempt on `backend` failed at `now` (when nginx learned of it). The failure always
   * counts against the server; the request goes on to another server only if tries remain,
   * `proxy_next_upstream` lists the failure class, and a non-idempotent request was not sent
   * (unless `non_idempotent`). Otherwise the client gets 502 (error) or 504 (timeout).
   */
  attemptFailed(backend: BackendName, failure: AttemptFailure, now: SimTime): void {
    this.settle(backend);
    this.picker.onFailure?.(backend, failure.reason, now);
    const status = failure.reason === 'timeout' ? 504 : 502;
    if (this.recordTrail) this.upstreamStatus.push(status);
    if (this.triesLeft > 0) this.triesLeft--;
    const next = this.settings.nextUpstream;
    const passOn =
      this.triesLeft > 0 &&
      (failure.reason === 'timeout' ? next.timeout : next.error) &&
      (!failure.sent || !isNonIdempotent(this.method) || next.nonIdempotent);
    if (!passOn) this.finalStatus = status;
  }

  /**
   * How long the balancer keeps retrying the attempt's server after the attempt failed
   * (`attemptMs` after it started), before the failure is final: HAProxy's retries; 0 for nginx.
   */
  retryingMs(failure: AttemptFailure, attemptMs: number): number {
    return this.picker.retryingMs?.(failure.reason, failure.sent, attemptMs, this.settings.connectTimeoutMs) ?? 0;
  }

  /** The request is over: its picker may be recycled. */
  close(): void {
    this.picker.close?.();
  }

  private settle(backend: BackendName): void {
    if (this.pending !== backend) {
      throw new Error(`reported an attempt on ${backend}, but the pending attempt is on ${this.pending ?? 'nothing'}`);
    }
    this.pending = undefined;
  }
}
