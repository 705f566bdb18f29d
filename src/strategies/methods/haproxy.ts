/**
 * HAProxy 2.6's methods (`src/lb_*.c`): `balance roundrobin` and `static-rr`, `balance source`
 * and `hdr(NAME)` with `hash-type` and `hash-balance-factor`, and `cookie NAME insert`. Their
 * options are the backend section's directives; weights go up to 256; `backup` servers are
 * taken (used when no active server runs).
 */
import { z } from 'zod';
import { cookieName, count } from '../../fields/index.js';
import { HAPROXY_DEFAULT_RETRIES } from '../haproxy/balance.js';
import type { KeyReader } from '../hash-keys.js';
import { HaproxyCookieStrategy } from '../haproxy/cookie.js';
import { HASH_FUNCTIONS, HASH_TYPES, HaproxyHeaderStrategy, HaproxySourceStrategy, type HashSettings } from '../haproxy/hash.js';
import { HaproxyRoundRobinStrategy, HaproxyStaticRoundRobinStrategy } from '../haproxy/round-robin.js';
import { MAX_HAPROXY_WEIGHT } from '../haproxy/servers.js';
import type { BalancerProblem, MethodDefinition, ServerRules } from '../method.js';

export const HAPROXY_METHOD_NAMES = ['haproxy-roundrobin', 'haproxy-static-rr', 'haproxy-source', 'haproxy-hdr', 'haproxy-cookie'] as const;
type Name = (typeof HAPROXY_METHOD_NAMES)[number];

/** `retries N` and `option redispatch`: a failed connection is retried on its server, the last retry re-balanced with redispatch. */
const REDISPATCH = {
  redispatch: z.boolean().describe('HAProxy option redispatch: a failed connection is re-balanced on the last retry').optional(),
  retries: count(100, 'retries').describe(`HAProxy retries: connection retries on the same server, each after min(proxy.connectTimeout, 1 s) following a refused connection; with redispatch the last goes to another server at once (default ${HAPROXY_DEFAULT_RETRIES})`).optional(),
};

/** `hash-type TYPE [FUNCTION [avalanche]]` and `hash-balance-factor`. */
const HASH_TYPE = {
  hashType: z.enum(HASH_TYPES).describe('HAProxy hash-type: map-based (default) or consistent').optional(),
  hashFunction: z.enum(HASH_FUNCTIONS).describe('The function after hash-type TYPE; naming one drops the avalanche consistent implies').optional(),
  avalanche: z.boolean().describe('The avalanche modifier after the function; absent: true for consistent without a function').optional(),
  hashBalanceFactor: z.number().int().min(0).max(65535).describe('HAProxy hash-balance-factor: bounded loads, a percentage above 100 (consistent only)').optional(),
};
const HASHING = { ...HASH_TYPE, ...REDISPATCH };

/** HAProxy's cookie name when the configuration names none. */
const DEFAULT_COOKIE = 'SERVERID';

/** `cookie NAME insert indirect nocache`. */
const COOKIE = { cookie: cookieName().describe(`The NAME of cookie NAME insert indirect nocache (default ${DEFAULT_COOKIE}); with Envoy methods, the stateful session cookie`).optional() };

/** Every option of the family, for the scenario's `balancer.options`. */
export const HAPROXY_OPTIONS = { ...HASH_TYPE, ...COOKIE, ...REDISPATCH };
type Options = z.output<z.ZodObject<typeof HAPROXY_OPTIONS>>;

function hashSettings(options: Options): HashSettings {
  return {
    type: options.hashType ?? 'map-based',
    function: options.hashFunction,
    avalanche: options.avalanche,
    balanceFactor: options.hashBalanceFactor ?? 0,
    redispatch: options.redispatch ?? false,
    retries: options.retries,
  };
}

/** Bounded loads: 0 (off) or a whole percentage above 100, and only on a consistent ring. */
function checkHashing(options: Options): BalancerProblem[] {
  const factor = options.hashBalanceFactor;
  if (factor === undefined || factor === 0) return [];
  if (!(Number.isInteger(factor) && factor > 100 && factor <= 65535)) return [{ path: ['options', 'hashBalanceFactor'], message: `expected 0 or a whole percentage above 100 (HAProxy's rule), got ${factor}` }];
  return options.hashType === 'consistent' ? [] : [{ path: ['options', 'hashBalanceFactor'], message: 'bounded loads need hashType: consistent' }];
}

/** `retries N` and `option redispatch` as the backend section writes them. */
const retryLines = (options: Options) => [`retries ${options.retries ?? HAPROXY_DEFAULT_RETRIES}`, ...(options.redispatch ? ['option redispatch'] : [])];

/** `hash-type TYPE [FUNCTION [avalanche]]` and `hash-balance-factor` as the backend section writes them. */
const hashLines = (options: Options) => [
  `hash-type ${options.hashType ?? 'map-based'}${options.hashFunction ? ` ${options.hashFunction}` : ''}${options.avalanche && options.hashFunction ? ' avalanche' : ''}`,
  ...(options.hashBalanceFactor ? [`hash-balance-factor ${options.hashBalanceFactor}`] : []),
];

const SERVERS: ServerRules = { maxWeight: { limit: MAX_HAPROXY_WEIGHT, balancer: 'HAProxy' } };

export const HAPROXY_METHODS: { readonly [M in Name]: MethodDefinition<M, Options> } = {
  'haproxy-roundrobin': {
    name: 'haproxy-roundrobin',
    directive: 'balance roundrobin',
    description: 'HAProxy balance roundrobin: weighted round robin, no health checks',
    needs: [],
    affinity: 'none',
    options: REDISPATCH,
    servers: SERVERS,
    real: { server: 'haproxy', serverCookies: false, backend: (_, options) => ['balance roundrobin', ...retryLines(options)] },
    create: (peers, input) => new HaproxyRoundRobinStrategy(peers, input.options.redispatch ?? false, input.options.retries),
  },
  'haproxy-static-rr': {
    name: 'haproxy-static-rr',
    directive: 'balance static-rr',
    description: 'HAProxy balance static-rr: a static weighted map, no health checks',
    needs: [],
    affinity: 'none',
    options: REDISPATCH,
    servers: SERVERS,
    real: { server: 'haproxy', serverCookies: false, backend: (_, options) => ['balance static-rr', ...retryLines(options)] },
    create: (peers, input) => new HaproxyStaticRoundRobinStrategy(peers, input.options.redispatch ?? false, input.options.retries),
  },
  'haproxy-source': {
    name: 'haproxy-source',
    directive: 'balance source',
    description: 'HAProxy balance source: sticky by client address, map or consistent',
    needs: ['client-ip'],
    affinity: 'address',
    options: HASHING,
    checkOptions: checkHashing,
    servers: SERVERS,
    real: { server: 'haproxy', serverCookies: false, backend: (_, options) => ['balance source', ...hashLines(options), ...retryLines(options)] },
    create: (peers, input) => new HaproxySourceStrategy(peers, hashSettings(input.options)),
  },
  'haproxy-hdr': {
    name: 'haproxy-hdr',
    directive: 'balance hdr(NAME)',
    description: 'HAProxy balance hdr(NAME): sticky by a request header (the session id)',
    needs: [],
    key: 'haproxy-hdr',
    affinity: 'key',
    options: HASHING,
    checkOptions: checkHashing,
    servers: SERVERS,
    real: { server: 'haproxy', serverCookies: false, backend: (key, options) => [`balance ${key}`, ...hashLines(options), ...retryLines(options)] },
    create: (peers, input) => new HaproxyHeaderStrategy(peers, hashSettings(input.options), input.key as KeyReader),
  },
  'haproxy-cookie': {
    name: 'haproxy-cookie',
    directive: 'balance roundrobin + cookie NAME insert indirect nocache',
    description: 'HAProxy cookie insert: round robin, then a cookie pins the user',
    needs: ['cookie'],
    affinity: 'cookie',
    options: { ...COOKIE, ...REDISPATCH },
    servers: SERVERS,
    real: { server: 'haproxy', serverCookies: true, backend: (_, options) => ['balance roundrobin', `cookie ${options.cookie ?? DEFAULT_COOKIE} insert indirect nocache`, ...retryLines(options)] },
    create: (peers, input) => new HaproxyCookieStrategy(new HaproxyRoundRobinStrategy(peers, input.options.redispatch ?? false, input.options.retries), input.options.cookie ?? DEFAULT_COOKIE),
  },
};
