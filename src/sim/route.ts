/**
 * "Where does this client go?": routes first requests through one balancer, built by
 * `createStrategy` exactly as a simulation builds it, and reports the backend each lands on. The
 * balancer's state carries from one request to the next, as in one real worker (so for methods
 * that ignore keys, N requests give the first N picks, and fallbacks advance the round robin).
 *
 * A backend listed as dead fails every attempt: the request's chain is then every backend the
 * balancer tried, in order, until one that is alive answered (its rehash chain, for hashing
 * methods), and the failures feed the balancer's health rules for the requests after it.
 */
import type { SimTime } from '../engine/index.js';
import { NO_COOKIES, parseAddress, type BackendName, type Request } from '../model/index.js';
import { createStrategy, strategyNeeds, type BalancerSpec, type PeerSpec, type StickySpec, type StrategyInputs } from '../strategies/index.js';

/** One first request: the client address, and optionally the session id and cookies it sends. */
export interface RouteRequest {
  readonly client: string;
  readonly sessionId?: string;
  readonly cookies?: ReadonlyMap<string, string>;
}

/** Where one request went. */
export interface RouteResult {
  /** The backends attempted, in order (a dead one fails and the balancer tries again). */
  readonly chain: readonly BackendName[];
  /** The backend that answered, or undefined when the balancer had none left (nginx's "no live upstreams"). */
  readonly backend: BackendName | undefined;
  /** The cookies the response set, `name=value`. */
  readonly setCookies: readonly string[];
}

/** The balancer and pool to route through. */
export interface RouteSetup {
  readonly balancer: BalancerSpec;
  readonly sticky?: StickySpec;
  readonly peers: readonly PeerSpec[];
  readonly inputs?: StrategyInputs;
}

/** Options of `routeKeys`. */
export interface RouteOptions {
  /** Backends whose every attempt fails. */
  readonly dead?: ReadonlySet<BackendName>;
  /** The simulated time of every request (ms; default 0). */
  readonly atMs?: SimTime;
}

/** Whether `text` is an address a balancer can take: dotted-decimal IPv4 or IPv6. */
export function isClientAddress(text: string): boolean {
  if (text.includes(':')) return parseAddress(text) !== undefined;
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text);
}

/**
 * Routes `requests` in order through one fresh strategy. Throws RangeError for a request whose
 * client is not an address, or when the spec does not fit the peers.
 */
export function routeKeys(setup: RouteSetup, requests: readonly RouteRequest[], options: RouteOptions = {}): RouteResult[] {
  const strategy = createStrategy(setup.balancer, setup.sticky, setup.peers, setup.inputs);
  const dead = options.dead ?? new Set<BackendName>();
  const now = options.atMs ?? 0;
  return requests.map((r, id): RouteResult => {
    const address = isClientAddress(r.client) ? parseAddress(r.client) : undefined;
    if (address === undefined) throw new RangeError(`not an IP address: ${JSON.stringify(r.client)}`);
    const request: Request = { id, sessionId: r.sessionId ?? `route-${id}`, step: 'route', method: 'GET', client: address, cookies: r.cookies ?? NO_COOKIES, sentAt: now };
    const picker = strategy.open(request, now);
    const chain: BackendName[] = [];
    const setCookies: string[] = [];
    for (let attempt = 0; attempt < Math.max(1, picker.tries); attempt++) {
      const pick = picker.pick(now);
      if (pick === undefined) break;
      chain.push(pick.backend);
      if (!dead.has(pick.backend)) {
        picker.onSuccess?.(pick.backend, now, { setCookie: (name, value) => void setCookies.push(`${name}=${value}`) });
        return { chain, backend: pick.backend, setCookies };
      }
      picker.onFailure?.(pick.backend, 'error', now);
    }
    return { chain, backend: undefined, setCookies };
  });
}

/** What a method's key reads, so that a bare key can be turned into a request. */
export type KeyInput = { readonly kind: 'client' } | { readonly kind: 'session-id' } | { readonly kind: 'cookie'; readonly names: readonly string[] } | { readonly kind: 'none' };

const COOKIE_NAMES = /\$\{?cookie_([A-Za-z0-9_]+)\}?|cookie\(\s*([A-Za-z0-9_-]+)\s*\)/g;

/**
 * The input a balancer's key reads: the client address (`ip_hash`, `$remote_addr`, `balance
 * source`, `source_ip`, ClientIP affinity), the session id (`$session_id`, `X-Session-Id`), a
 * cookie's value, or nothing (methods that ignore keys). Throws RangeError for keys mixing inputs.
 */
export function keyInputOf(balancer: BalancerSpec): KeyInput {
  const needs = strategyNeeds(balancer, undefined).filter((n) => n !== 'cookie' || balancer.key !== undefined);
  if (needs.length > 1) throw new RangeError(`the key ${JSON.stringify(balancer.key)} reads more than one input (${needs.join(', ')}); lbsim route takes one value per key`);
  switch (needs[0]) {
    case 'client-ip':
      return { kind: 'client' };
    case 'session-id':
    case 'header':
      return { kind: 'session-id' };
    case 'cookie':
      return { kind: 'cookie', names: [...(balancer.key ?? '').matchAll(COOKIE_NAMES)].map((m) => (m[1] ?? m[2]) as string) };
    default:
      return { kind: 'none' };
  }
}

/** The first request that carries `key` where the balancer's key reads it (client `fallbackClient` otherwise). */
export function requestForKey(input: KeyInput, key: string, fallbackClient = '192.0.2.1'): RouteRequest {
  switch (input.kind) {
    case 'client':
      return { client: key };
    case 'session-id':
      return { client: fallbackClient, sessionId: key };
    case 'cookie':
      return { client: fallbackClient, cookies: new Map(key === '' ? [] : input.names.map((name) => [name, key])) };
    default:
      return { client: fallbackClient };
  }
}
