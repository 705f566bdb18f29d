/**
 * Envoy's load balancers (`source/extensions/load_balancing_policies`): RING_HASH, MAGLEV and
 * LEAST_REQUEST, with the route's retry policy and, optionally, the stateful session cookie
 * (`envoy.http.stateful_session.cookie`). lbsim models one priority: no backup servers, and
 * weights as Envoy's load balancing weights.
 */
import { z } from 'zod';
import { cookieName, count, durationMs, explained } from '../../fields/index.js';
import { withCookieRoute } from '../cookie-route.js';
import { DEFAULT_CHOICE_COUNT, EnvoyLeastRequestStrategy } from '../envoy/least-request.js';
import { DEFAULT_MAGLEV_TABLE_SIZE, EnvoyMaglevStrategy, MAX_MAGLEV_TABLE_SIZE, isPrime } from '../envoy/maglev.js';
import { DEFAULT_MAX_RING_SIZE, DEFAULT_MIN_RING_SIZE, EnvoyRingHashStrategy, MAX_ENVOY_RING } from '../envoy/ring-hash.js';
import { EnvoySessionCookie } from '../envoy/stateful-session.js';
import type { KeyReader } from '../hash-keys.js';
import type { BalancerProblem, MethodDefinition, MethodInput } from '../method.js';
import type { Strategy } from '../strategy.js';

export const ENVOY_METHOD_NAMES = ['envoy-ring-hash', 'envoy-maglev', 'envoy-least-request'] as const;
type Name = (typeof ENVOY_METHOD_NAMES)[number];

/** What every Envoy method takes: the retry policy and the stateful session cookie. */
const COMMON = {
  retries: count(100, 'retries').describe('Envoy route retry_policy.num_retries (default 0: Envoy retries nothing unless told)').optional(),
};
const SESSION_COOKIE = {
  cookie: cookieName().describe('The NAME of cookie NAME insert indirect nocache (default SERVERID); with Envoy methods, the stateful session cookie').optional(),
  cookieTtl: explained(durationMs(), 'Envoy stateful session cookie ttl (absent: a browser-session cookie)').optional(),
  strict: z.boolean().describe('Envoy stateful session strict: a request whose host is gone fails').optional(),
};
const RING = {
  minRingSize: z.number().int().positive().describe('Envoy ring hash minimum_ring_size (1024)').optional(),
  maxRingSize: z.number().int().positive().describe('Envoy ring hash maximum_ring_size (8M)').optional(),
};
const MAGLEV = { tableSize: z.number().int().positive().describe('Envoy Maglev table_size, a prime (65537)').optional() };
const LEAST_REQUEST = { choiceCount: z.number().int().positive().describe('Envoy least request choice_count (2)').optional() };

/** Every option of the family, for the scenario's `balancer.options`. */
export const ENVOY_OPTIONS = { ...COMMON, ...RING, ...MAGLEV, ...LEAST_REQUEST, ...SESSION_COOKIE };
type Options = z.output<z.ZodObject<typeof ENVOY_OPTIONS>>;

/** The limits Envoy enforces on its options, and options that only make sense together. */
function checkOptions(options: Options): BalancerProblem[] {
  const problems: BalancerProblem[] = [];
  const bad = (name: keyof Options, message: string) => problems.push({ path: ['options', name], message });
  const { minRingSize, maxRingSize, tableSize, choiceCount, strict, cookie, cookieTtl } = options;
  if (minRingSize !== undefined && !(Number.isInteger(minRingSize) && minRingSize >= 1 && minRingSize <= MAX_ENVOY_RING)) bad('minRingSize', `expected a whole number from 1 to ${MAX_ENVOY_RING} (lbsim's largest ring)`);
  if (maxRingSize !== undefined && !(Number.isInteger(maxRingSize) && maxRingSize >= 1 && maxRingSize <= DEFAULT_MAX_RING_SIZE)) bad('maxRingSize', `expected a whole number from 1 to ${DEFAULT_MAX_RING_SIZE} (Envoy's limit)`);
  if (minRingSize !== undefined && maxRingSize !== undefined && minRingSize > maxRingSize) bad('minRingSize', `ring hash: minimum_ring_size (${minRingSize}) > maximum_ring_size (${maxRingSize})`);
  // The bound first: trial division of a huge number would take long.
  if (tableSize !== undefined && !(tableSize <= MAX_MAGLEV_TABLE_SIZE && isPrime(tableSize))) bad('tableSize', `expected a prime number up to ${MAX_MAGLEV_TABLE_SIZE} (Envoy's rule), e.g. 65537, got ${tableSize}`);
  if (choiceCount !== undefined && !(Number.isInteger(choiceCount) && choiceCount >= 2)) bad('choiceCount', `expected a whole number of at least 2 (Envoy's rule), got ${choiceCount}`);
  if (strict !== undefined && cookie === undefined) bad('strict', 'strict mode needs the stateful session cookie: give options.cookie');
  if (cookieTtl !== undefined && cookie === undefined) bad('cookieTtl', 'a cookie ttl needs the stateful session cookie: give options.cookie');
  return problems;
}

/** An Envoy method, with the stateful session cookie when `cookie` is given. */
function withSessionCookie(input: MethodInput<Options>, strategy: Strategy & { readonly hosts: { readonly names: readonly string[] } }): Strategy {
  const { cookie, strict, cookieTtl } = input.options;
  return cookie === undefined ? strategy : withCookieRoute(strategy, new EnvoySessionCookie(cookie, strict ?? false, strategy.hosts.names, cookieTtl));
}

const retriesOf = (input: MethodInput<Options>) => input.options.retries ?? 0;
const keyOf = (input: MethodInput<Options>) => input.key as KeyReader;

export const ENVOY_METHODS: { readonly [M in Name]: MethodDefinition<M, Options> } = {
  'envoy-ring-hash': {
    name: 'envoy-ring-hash',
    directive: 'lb_policy: RING_HASH',
    description: 'Envoy RING_HASH: sticky by a hash policy on a consistent ring',
    needs: [],
    key: 'envoy',
    affinity: 'key',
    options: { ...COMMON, ...SESSION_COOKIE, ...RING },
    checkOptions,
    servers: { noBackup: 'Envoy ring hash (lbsim models one priority)' },
    create: (peers, input) => {
      const { minRingSize = DEFAULT_MIN_RING_SIZE, maxRingSize = DEFAULT_MAX_RING_SIZE } = input.options;
      return withSessionCookie(input, new EnvoyRingHashStrategy(peers, retriesOf(input), input.rng, keyOf(input), minRingSize, Math.min(maxRingSize, MAX_ENVOY_RING)));
    },
  },
  'envoy-maglev': {
    name: 'envoy-maglev',
    directive: 'lb_policy: MAGLEV',
    description: 'Envoy MAGLEV: sticky by a hash policy via a Maglev table',
    needs: [],
    key: 'envoy',
    affinity: 'key',
    options: { ...COMMON, ...SESSION_COOKIE, ...MAGLEV },
    checkOptions,
    servers: { noBackup: 'Envoy Maglev (lbsim models one priority)' },
    create: (peers, input) => withSessionCookie(input, new EnvoyMaglevStrategy(peers, retriesOf(input), input.rng, keyOf(input), input.options.tableSize ?? DEFAULT_MAGLEV_TABLE_SIZE)),
  },
  'envoy-least-request': {
    name: 'envoy-least-request',
    directive: 'lb_policy: LEAST_REQUEST',
    description: 'Envoy LEAST_REQUEST: the less loaded of choiceCount random hosts',
    needs: [],
    // Its stateful session cookie, when given, routes by a cookie the balancer set: no key to move.
    affinity: 'none',
    options: { ...COMMON, ...SESSION_COOKIE, ...LEAST_REQUEST },
    checkOptions,
    servers: { noBackup: 'Envoy least request (lbsim models one priority)' },
    create: (peers, input) => withSessionCookie(input, new EnvoyLeastRequestStrategy(peers, retriesOf(input), input.rng, input.options.choiceCount ?? DEFAULT_CHOICE_COUNT)),
  },
};
