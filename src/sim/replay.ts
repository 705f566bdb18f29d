/**
 * Replay: runs a recorded request log through one nginx upstream while backends change mode,
 * and reports what nginx would have done for each request (`$upstream_addr`,
 * `$upstream_status`, the client's status). It drives the same strategies (`createStrategy`)
 * and the same attempt loop (`UpstreamRequest`) as the simulation.
 *
 * Timing follows the failover recordings (test/fixtures/nginx-failover/README.md, "Replaying a
 * file"): requests are handled one at a time at their `t`; events with `t` at or before a
 * request's `t` apply before it; an attempt on an `up` backend succeeds at once, a failing one
 * takes `attemptFailureFor(...).durationMs`, and the next attempt starts when it ended (nginx's
 * clock, whole seconds, is taken from that later time by the peer list).
 */
import type { BackendName, HttpMethod, Request } from '../model/index.js';
import { NO_COOKIES, parseAddress } from '../model/index.js';
import type { NginxConfig } from '../scenario/index.js';
import { createStrategy, type ResponseHeaders } from '../strategies/index.js';
import { UpstreamRequest, attemptFailureFor, type BackendMode } from './upstream.js';

export type { NginxConfig } from '../scenario/index.js';

/** A backend changes mode at `t` (seconds from the start). */
export interface ReplayEvent {
  readonly t: number;
  readonly server: BackendName;
  readonly mode: BackendMode;
}

/** One recorded request: time in seconds, client address text, HTTP method (GET when absent), any other fields. */
export interface ReplayRequest {
  readonly t: number;
  readonly client: string;
  readonly method?: string;
  readonly [field: string]: unknown;
}

/** The request with nginx's answer: servers tried (the upstream's name for "no live upstreams"), statuses. */
export type ReplayResult<R extends ReplayRequest = ReplayRequest> = R & {
  readonly tried: string[];
  readonly upstream_status: number[];
  readonly status: number;
};

const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'LOCK'];

/** The HTTP method named by `text` (case-insensitive), or undefined when lbsim does not know it. */
export function httpMethodOf(text: string): HttpMethod | undefined {
  const upper = text.toUpperCase();
  return HTTP_METHODS.find((m) => m === upper);
}

/** Replayed responses carry no cookies worth keeping: nginx's methods here set none. */
const IGNORED_HEADERS: ResponseHeaders = { setCookie: () => undefined };

/**
 * Replays `requests` (in time order) against a fresh balancer for `config`, all backends `up`
 * at the start. Throws RangeError on input the caller should have validated: an event for an
 * unknown server, a client that is not an IP address, an unknown method, time going backwards.
 */
export function* replay<R extends ReplayRequest>(
  config: NginxConfig,
  events: readonly ReplayEvent[],
  requests: Iterable<R>,
): Generator<ReplayResult<R>> {
  const strategy = createStrategy({ method: config.method }, undefined, config.peers);
  const modes = new Map<BackendName, BackendMode>(config.peers.map((p) => [p.name, 'up']));
  const timeline = [...events].sort((a, b) => a.t - b.t);
  for (const event of timeline) {
    if (!modes.has(event.server)) throw new RangeError(`event for unknown server ${event.server}`);
  }
  let nextEvent = 0;
  let id = 0;
  let lastT = -Infinity;
  for (const recorded of requests) {
    if (!(recorded.t >= lastT)) throw new RangeError(`request ${id} at t=${recorded.t} is earlier than the one before`);
    lastT = recorded.t;
    for (; nextEvent < timeline.length && (timeline[nextEvent] as ReplayEvent).t <= recorded.t; nextEvent++) {
      const event = timeline[nextEvent] as ReplayEvent;
      modes.set(event.server, event.mode);
    }
    const client = parseAddress(recorded.client);
    if (client === undefined) throw new RangeError(`request ${id}: client ${recorded.client} is not an IP address`);
    const method = httpMethodOf(recorded.method ?? 'GET');
    if (method === undefined) throw new RangeError(`request ${id}: unknown method ${recorded.method}`);

    let now = recorded.t * 1000;
    const request: Request = { id, sessionId: '', step: '', method, client, cookies: NO_COOKIES, sentAt: now };
    const upstream = new UpstreamRequest(strategy.open(request, now), method, config.proxy);
    for (let pick = upstream.nextAttempt(now); pick !== undefined; pick = upstream.nextAttempt(now)) {
      const mode = modes.get(pick.backend) ?? 'up';
      if (mode === 'up') {
        upstream.attemptSucceeded(pick.backend, now, IGNORED_HEADERS);
      } else {
        const { failure, durationMs } = attemptFailureFor(mode, config.proxy);
        now += durationMs;
        const retrying = upstream.retryingMs(failure, durationMs);
        if (retrying > 0) now += retrying;
        upstream.attemptFailed(pick.backend, failure, now);
      }
    }
    id++;
    yield {
      ...recorded,
      tried: upstream.noLiveUpstreams ? [...upstream.tried, config.upstreamName] : [...upstream.tried],
      upstream_status: [...upstream.upstreamStatus],
      status: upstream.status as number,
    };
  }
}
