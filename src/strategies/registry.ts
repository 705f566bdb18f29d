/**
 * Method name -> definition: the real directive each balancing method reproduces, what it needs
 * from a request, the key and options it takes, and how it is bound to a pool (nginx's
 * init_upstream). HAProxy's `BE_LB_NEED_*` flags are the model for `needs`: the scenario loader
 * refuses a method whose inputs the clients cannot supply. balancer.ts checks a scenario's
 * balancer against these definitions and builds it, stickiness included.
 */
import type { RandomStream } from '../engine/index.js';
import { AlbStickiness, AlbTargets, DEFAULT_ALB_DURATION_MS } from './cloud/alb.js';
import { DEFAULT_AFFINITY_TIMEOUT_MS, KubernetesClientIpStrategy } from './cloud/kubernetes.js';
import { withCookieRoute } from './cookie-route.js';
import { DEFAULT_CHOICE_COUNT, EnvoyLeastRequestStrategy } from './envoy/least-request.js';
import { DEFAULT_MAGLEV_TABLE_SIZE, EnvoyMaglevStrategy } from './envoy/maglev.js';
import { DEFAULT_MAX_RING_SIZE, DEFAULT_MIN_RING_SIZE, EnvoyRingHashStrategy, MAX_ENVOY_RING } from './envoy/ring-hash.js';
import { EnvoySessionCookie } from './envoy/stateful-session.js';
import type { KeyReader, RequestInput } from './hash-keys.js';
import { HaproxyCookieStrategy } from './haproxy/cookie.js';
import {
  HASH_FUNCTIONS,
  HASH_TYPES,
  HaproxyHeaderStrategy,
  HaproxySourceStrategy,
  type HashFunctionName,
  type HashSettings,
  type HashType,
} from './haproxy/hash.js';
import { HaproxyRoundRobinStrategy, HaproxyStaticRoundRobinStrategy } from './haproxy/round-robin.js';
import { MAX_HAPROXY_WEIGHT } from './haproxy/servers.js';
import { ConsistentHashStrategy, HashStrategy, MAX_RING_POINTS } from './nginx/hash.js';
import { IpHashStrategy } from './nginx/ip-hash.js';
import { LeastConnStrategy } from './nginx/least-conn.js';
import { RandomStrategy } from './nginx/random.js';
import { RoundRobinStrategy } from './nginx/round-robin.js';
import type { PeerSpec, Strategy } from './strategy.js';

/** Every method name, in the order they are documented. */
export const METHOD_NAMES = [
  'round-robin', 'ip-hash', 'hash', 'hash-consistent', 'least-conn', 'random', 'random-two-least-conn',
  'haproxy-roundrobin', 'haproxy-static-rr', 'haproxy-source', 'haproxy-hdr', 'haproxy-cookie',
  'envoy-ring-hash', 'envoy-maglev', 'envoy-least-request', 'alb-duration-cookie', 'alb-app-cookie', 'k8s-client-ip',
] as const;

/** Balancing methods as users write them in scenarios. */
export type MethodName = (typeof METHOD_NAMES)[number];

/** A request input a method reads. */
export type MethodNeed = RequestInput;

export { HASH_FUNCTIONS, HASH_TYPES, MAX_HAPROXY_WEIGHT };
export type { HashFunctionName, HashType };

/** Every balancer option, in the order they are documented. */
export const OPTION_NAMES = [
  'hashType', 'hashFunction', 'avalanche', 'hashBalanceFactor', 'cookie', 'redispatch',
  'retries', 'minRingSize', 'maxRingSize', 'tableSize', 'choiceCount', 'cookieTtl', 'strict',
  'duration', 'appCookie', 'timeout',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

/** The scenario's `balancer.options` (HAProxy, Envoy and cloud settings; nginx methods take none). Durations in ms. */
export interface BalancerOptions {
  /** HAProxy `hash-type`: `map-based` (default) or `consistent`. */
  readonly hashType?: HashType | undefined;
  /** The function after `hash-type TYPE`; naming one drops the avalanche `consistent` implies. */
  readonly hashFunction?: HashFunctionName | undefined;
  /** `avalanche` after the function; absent: true for `consistent` without a function, else false. */
  readonly avalanche?: boolean | undefined;
  /** HAProxy `hash-balance-factor`, a percentage above 100 (bounded loads; `consistent` only). */
  readonly hashBalanceFactor?: number | undefined;
  /** The NAME of `cookie NAME insert indirect nocache` (default `SERVERID`). */
  readonly cookie?: string | undefined;
  /** HAProxy `option redispatch`: a failed attempt is re-balanced once. */
  readonly redispatch?: boolean | undefined;
  /** Envoy route `retry_policy.num_retries` (default 0: Envoy retries nothing unless told). */
  readonly retries?: number | undefined;
  /** Envoy ring hash `minimum_ring_size` (1024) and `maximum_ring_size` (8M). */
  readonly minRingSize?: number | undefined;
  readonly maxRingSize?: number | undefined;
  /** Envoy Maglev `table_size`, a prime (65537). */
  readonly tableSize?: number | undefined;
  /** Envoy least request `choice_count` (2). */
  readonly choiceCount?: number | undefined;
  /** Envoy stateful session cookie `ttl` in ms (absent: a browser-session cookie). */
  readonly cookieTtl?: number | undefined;
  /** Envoy stateful session `strict`: a request whose host is gone fails. */
  readonly strict?: boolean | undefined;
  /** ALB stickiness duration in ms (1 s to 7 days; default 1 day). */
  readonly duration?: number | undefined;
  /** ALB application-based stickiness: the application's cookie name. */
  readonly appCookie?: string | undefined;
  /** Kubernetes `sessionAffinityConfig.clientIP.timeoutSeconds`, in ms (default 10800 s). */
  readonly timeout?: number | undefined;
}

/** A scenario's `balancer` object. */
export interface BalancerSpec {
  readonly method: MethodName;
  /** The hash key (`$remote_addr`, `$cookie_NAME`, `$session_id`; `hdr(x-session-id)` for HAProxy). */
  readonly key?: string | undefined;
  readonly options?: BalancerOptions | undefined;
  /**
   * Server lines of a configuration block (nginx `upstream`, HAProxy `backend`) the spec came
   * from: they set the balancer's view of the pool's backends of the same names, in their order.
   */
  readonly servers?: readonly PeerSpec[] | undefined;
}

/** What a method's create receives besides the peers. */
export interface MethodInput {
  readonly key: KeyReader | undefined;
  readonly options: BalancerOptions;
  /** The pool's own random stream (random methods draw from it). */
  readonly rng: RandomStream;
}

/** One balancing method: what it reproduces, what it reads, and its per-pool set-up. */
export interface MethodDefinition {
  readonly name: MethodName;
  /** The real balancer's directive. */
  readonly directive: string;
  /** What the method does, in one line (`lbsim list`). */
  readonly description: string;
  /** Request inputs the method reads besides its key. */
  readonly needs: readonly MethodNeed[];
  /** The key syntax when the method hashes a key (then `key` is required). */
  readonly key?: 'nginx' | 'haproxy-hdr' | 'envoy';
  readonly options: readonly OptionName[];
  /** Why these peers cannot be balanced by the method, or undefined. */
  checkPeers?(peers: readonly PeerSpec[]): string | undefined;
  /** Binds the method to one pool's peers (configuration order). Throws RangeError on peers it cannot take. */
  create(peers: readonly PeerSpec[], input: MethodInput): Strategy;
}

const HASHING: readonly OptionName[] = ['hashType', 'hashFunction', 'avalanche', 'hashBalanceFactor', 'redispatch'];

const noBackup = (directive: string) => (peers: readonly PeerSpec[]) =>
  peers.some((p) => p.backup) ? `${directive} does not support backup servers` : undefined;

const haproxyWeights = (peers: readonly PeerSpec[]) => {
  const heavy = peers.find((p) => p.weight > MAX_HAPROXY_WEIGHT);
  return heavy === undefined ? undefined : `HAProxy weights go up to ${MAX_HAPROXY_WEIGHT}; ${heavy.name} has weight ${heavy.weight}`;
};

function hashSettings(options: BalancerOptions): HashSettings {
  return {
    type: options.hashType ?? 'map-based',
    function: options.hashFunction,
    avalanche: options.avalanche,
    balanceFactor: options.hashBalanceFactor ?? 0,
    redispatch: options.redispatch ?? false,
  };
}

const keyOf = (input: MethodInput) => input.key as KeyReader;
const retriesOf = (input: MethodInput) => input.options.retries ?? 0;

const ENVOY: readonly OptionName[] = ['retries', 'cookie', 'cookieTtl', 'strict'];

/** An Envoy method, with the stateful session cookie when `cookie` is given. */
function envoy(input: MethodInput, strategy: Strategy & { readonly hosts: { readonly names: readonly string[] } }): Strategy {
  const { cookie, strict, cookieTtl } = input.options;
  return cookie === undefined ? strategy : withCookieRoute(strategy, new EnvoySessionCookie(cookie, strict ?? false, strategy.hosts.names, cookieTtl));
}

/** Equal weights are the same as none; unequal ones cannot be expressed. */
const unweighted = (what: string) => (peers: readonly PeerSpec[]) => {
  const weighted = peers.find((p) => p.weight !== peers[0]?.weight);
  return weighted === undefined ? noBackup(what)(peers) : `${what} has no weights; ${peers[0]?.name} has weight ${peers[0]?.weight} and ${weighted.name} ${weighted.weight}`;
};

function alb(peers: readonly PeerSpec[], input: MethodInput, appCookie: string | undefined): Strategy {
  const targets = new AlbTargets(peers, input.rng);
  const method = appCookie === undefined ? 'alb-duration-cookie' : 'alb-app-cookie';
  return withCookieRoute(targets, new AlbStickiness(targets, input.options.duration ?? DEFAULT_ALB_DURATION_MS, appCookie), method);
}
const redispatchOf = (input: MethodInput) => input.options.redispatch ?? false;

const ringSize = (peers: readonly PeerSpec[]) => {
  const points = 160 * peers.reduce((sum, p) => sum + (p.backup ? 0 : p.weight), 0);
  return points > MAX_RING_POINTS ? `the ring would have ${points} points (160 per unit of weight); lbsim builds up to ${MAX_RING_POINTS}` : undefined;
};

type Definition = Omit<MethodDefinition, 'name' | 'needs' | 'options'> & Partial<Pick<MethodDefinition, 'needs' | 'options'>>;

/** A definition with no needs and no options unless given. */
const define = (name: MethodName, definition: Definition): MethodDefinition => ({ name, needs: [], options: [], ...definition });

/** The definitions, by name. */
export const METHODS: { readonly [M in MethodName]: MethodDefinition } = {
  'round-robin': define('round-robin', {
    directive: '(no method: weighted round robin)',
    description: "nginx's default: smooth weighted round robin; no stickiness",
    create: (peers) => new RoundRobinStrategy(peers),
  }),
  'ip-hash': define('ip-hash', {
    directive: 'ip_hash',
    description: "nginx ip_hash: sticky by client address (an IPv4 address's /24)",
    needs: ['client-ip'],
    checkPeers: noBackup('ip_hash'),
    create: (peers) => new IpHashStrategy(peers),
  }),
  hash: define('hash', {
    directive: 'hash KEY',
    description: 'nginx hash KEY: sticky by a key (address, cookie, session id), modulo',
    key: 'nginx',
    checkPeers: noBackup('hash'),
    create: (peers, input) => new HashStrategy(peers, keyOf(input)),
  }),
  'hash-consistent': define('hash-consistent', {
    directive: 'hash KEY consistent',
    description: 'nginx hash KEY consistent: a ketama ring; a pool change moves few keys',
    key: 'nginx',
    checkPeers: (peers) => noBackup('hash')(peers) ?? ringSize(peers),
    create: (peers, input) => new ConsistentHashStrategy(peers, keyOf(input)),
  }),
  'least-conn': define('least-conn', {
    directive: 'least_conn',
    description: 'nginx least_conn: the fewest requests in flight per unit of weight',
    create: (peers) => new LeastConnStrategy(peers),
  }),
  random: define('random', {
    directive: 'random',
    description: 'nginx random: a weighted random draw per request',
    checkPeers: noBackup('random'),
    create: (peers, input) => new RandomStrategy(peers, input.rng, false),
  }),
  'random-two-least-conn': define('random-two-least-conn', {
    directive: 'random two least_conn',
    description: 'nginx random two least_conn: the less loaded of two random draws',
    checkPeers: noBackup('random'),
    create: (peers, input) => new RandomStrategy(peers, input.rng, true),
  }),
  'haproxy-roundrobin': define('haproxy-roundrobin', {
    directive: 'balance roundrobin',
    description: 'HAProxy balance roundrobin: weighted round robin, no health checks',
    options: ['redispatch'],
    checkPeers: haproxyWeights,
    create: (peers, input) => new HaproxyRoundRobinStrategy(peers, redispatchOf(input)),
  }),
  'haproxy-static-rr': define('haproxy-static-rr', {
    directive: 'balance static-rr',
    description: 'HAProxy balance static-rr: a static weighted map, no health checks',
    options: ['redispatch'],
    checkPeers: haproxyWeights,
    create: (peers, input) => new HaproxyStaticRoundRobinStrategy(peers, redispatchOf(input)),
  }),
  'haproxy-source': define('haproxy-source', {
    directive: 'balance source',
    description: 'HAProxy balance source: sticky by client address, map or consistent',
    needs: ['client-ip'],
    options: HASHING,
    checkPeers: haproxyWeights,
    create: (peers, input) => new HaproxySourceStrategy(peers, hashSettings(input.options)),
  }),
  'haproxy-hdr': define('haproxy-hdr', {
    directive: 'balance hdr(NAME)',
    description: 'HAProxy balance hdr(NAME): sticky by a request header (the session id)',
    key: 'haproxy-hdr',
    options: HASHING,
    checkPeers: haproxyWeights,
    create: (peers, input) => new HaproxyHeaderStrategy(peers, hashSettings(input.options), keyOf(input)),
  }),
  'haproxy-cookie': define('haproxy-cookie', {
    directive: 'balance roundrobin + cookie NAME insert indirect nocache',
    description: 'HAProxy cookie insert: round robin, then a cookie pins the user',
    needs: ['cookie'],
    options: ['cookie', 'redispatch'],
    checkPeers: haproxyWeights,
    create: (peers, input) => new HaproxyCookieStrategy(new HaproxyRoundRobinStrategy(peers, redispatchOf(input)), input.options.cookie ?? 'SERVERID'),
  }),
  'envoy-ring-hash': define('envoy-ring-hash', {
    directive: 'lb_policy: RING_HASH',
    description: 'Envoy RING_HASH: sticky by a hash policy on a consistent ring',
    key: 'envoy',
    options: [...ENVOY, 'minRingSize', 'maxRingSize'],
    checkPeers: noBackup('Envoy ring hash (lbsim models one priority)'),
    create: (peers, input) => envoy(input, new EnvoyRingHashStrategy(peers, retriesOf(input), input.rng, keyOf(input), input.options.minRingSize ?? DEFAULT_MIN_RING_SIZE, Math.min(input.options.maxRingSize ?? DEFAULT_MAX_RING_SIZE, MAX_ENVOY_RING))),
  }),
  'envoy-maglev': define('envoy-maglev', {
    directive: 'lb_policy: MAGLEV',
    description: 'Envoy MAGLEV: sticky by a hash policy via a Maglev table',
    key: 'envoy',
    options: [...ENVOY, 'tableSize'],
    checkPeers: noBackup('Envoy Maglev (lbsim models one priority)'),
    create: (peers, input) => envoy(input, new EnvoyMaglevStrategy(peers, retriesOf(input), input.rng, keyOf(input), input.options.tableSize ?? DEFAULT_MAGLEV_TABLE_SIZE)),
  }),
  'envoy-least-request': define('envoy-least-request', {
    directive: 'lb_policy: LEAST_REQUEST',
    description: 'Envoy LEAST_REQUEST: the less loaded of choiceCount random hosts',
    options: [...ENVOY, 'choiceCount'],
    checkPeers: noBackup('Envoy least request (lbsim models one priority)'),
    create: (peers, input) => envoy(input, new EnvoyLeastRequestStrategy(peers, retriesOf(input), input.rng, input.options.choiceCount ?? DEFAULT_CHOICE_COUNT)),
  }),
  'alb-duration-cookie': define('alb-duration-cookie', {
    directive: 'stickiness.type = lb_cookie (AWSALB)',
    description: 'AWS ALB lb_cookie stickiness (a model): a random target, then a cookie',
    needs: ['cookie'],
    options: ['duration'],
    checkPeers: unweighted('an ALB target group'),
    create: (peers, input) => alb(peers, input, undefined),
  }),
  'alb-app-cookie': define('alb-app-cookie', {
    directive: 'stickiness.type = app_cookie (AWSALBAPP)',
    description: "AWS ALB app_cookie stickiness (a model): follows the application's cookie",
    needs: ['cookie'],
    options: ['duration', 'appCookie'],
    checkPeers: unweighted('an ALB target group'),
    create: (peers, input) => alb(peers, input, input.options.appCookie ?? 'SESSIONID'),
  }),
  'k8s-client-ip': define('k8s-client-ip', {
    directive: 'sessionAffinity: ClientIP',
    description: 'Kubernetes sessionAffinity: ClientIP (a model): sticky by address',
    needs: ['client-ip'],
    options: ['timeout'],
    checkPeers: unweighted('a Kubernetes Service'),
    create: (peers, input) => new KubernetesClientIpStrategy(peers, input.rng, input.options.timeout ?? DEFAULT_AFFINITY_TIMEOUT_MS),
  }),
};

/** Whether `name` is a known method (for parsers validating user text). */
export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}
