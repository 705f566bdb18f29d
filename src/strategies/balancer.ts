/**
 * A scenario's `balancer` checked and built: what is wrong with a spec (key, options, peers),
 * which request inputs it reads, and the strategy for one pool, with cookie stickiness and
 * drains applied here so every caller builds strategies the same way. The methods themselves
 * are defined by their families (`methods/`), composed in registry.ts.
 */
import { createRandomStream, type RandomStream } from '../engine/index.js';
import type { BackendName } from '../model/index.js';
import { parseEnvoyKey, parseHaproxyHeaderKey, parseNginxKey, type KeyParse } from './hash-keys.js';
import { serverProblem, type Affinity, type BalancerProblem, type MethodDefinition, type MethodNeed } from './method.js';
import { METHODS, OPTION_NAMES, type BalancerSpec, type MethodName } from './registry.js';
import { withStickyCookie, type StickyCookie } from './sticky-cookie.js';
import type { PeerSpec, Strategy } from './strategy.js';

export type { BalancerProblem };

function parseKey(definition: Pick<MethodDefinition, 'key'>, key: string): KeyParse {
  if (definition.key === 'envoy') return parseEnvoyKey(key);
  return definition.key === 'haproxy-hdr' ? parseHaproxyHeaderKey(key) : parseNginxKey(key);
}

const KEY_EXAMPLES = { nginx: '"$remote_addr"', 'haproxy-hdr': '"hdr(x-session-id)"', envoy: '"source_ip"' } as const;


/** What is wrong with `spec` beyond its shape: a missing or unreadable key, options the method does not take. */
export function checkBalancer(spec: BalancerSpec): readonly BalancerProblem[] {
  const definition = METHODS[spec.method];
  const problems: BalancerProblem[] = [];
  if (definition.key === undefined && spec.key !== undefined) problems.push({ path: ['key'], message: `${spec.method} takes no key` });
  if (definition.key !== undefined) {
    const example = KEY_EXAMPLES[definition.key];
    if (spec.key === undefined) problems.push({ path: ['key'], message: `${spec.method} needs a key, e.g. ${example}` });
    else {
      const parsed = parseKey(definition, spec.key);
      if (!parsed.ok) problems.push({ path: ['key'], message: parsed.message });
    }
  }
  const options = spec.options ?? {};
  const takes = Object.keys(definition.options);
  for (const name of OPTION_NAMES) {
    if (options[name] === undefined || takes.includes(name)) continue;
    problems.push({ path: ['options', name], message: `${spec.method} has no option ${name}; it ${takes.length === 0 ? 'takes no options' : `takes ${takes.join(', ')}`}` });
  }
  if (problems.length === 0) problems.push(...(definition.checkOptions?.(options) ?? []));
  return problems;
}

/** Why the method cannot balance these peers (backups where refused, HAProxy weights above 256), or undefined. */
export function checkPeers(method: MethodName, peers: readonly PeerSpec[]): string | undefined {
  const definition = METHODS[method];
  return serverProblem(definition.servers, peers) ?? definition.checkPeers?.(peers);
}

/**
 * How the balancer keeps a user on one backend: the method's declared affinity, made `address`
 * when its key reads the client address (`hash $remote_addr`). Stickiness by cookie over it
 * does not change it: a cookie's backend is moved by nothing but its own rules.
 */
export function balancerAffinity(spec: BalancerSpec): Affinity {
  const definition = METHODS[spec.method];
  if (definition.affinity !== 'key' || spec.key === undefined) return definition.affinity;
  const parsed = parseKey(definition, spec.key);
  return parsed.ok && parsed.key.needs.includes('client-ip') ? 'address' : 'key';
}

/** Stickiness applied over a method; `undefined` for none. */
export type StickySpec = { readonly cookie: StickyCookie } | undefined;

/** The request inputs a method, with its key and stickiness, reads. */
export function strategyNeeds(spec: BalancerSpec, sticky: StickySpec): readonly MethodNeed[] {
  const definition = METHODS[spec.method];
  const needs = new Set(definition.needs);
  if (definition.key !== undefined && spec.key !== undefined) {
    const parsed = parseKey(definition, spec.key);
    if (parsed.ok) for (const need of parsed.key.needs) needs.add(need);
  }
  if (sticky !== undefined) needs.add('cookie');
  return [...needs];
}

/** Optional inputs of `createStrategy`. */
export interface StrategyInputs {
  /** The pool's random stream; without one, random methods draw from a fixed stream (`lbsim`, `balancer/METHOD`). */
  readonly rng?: RandomStream;
  /**
   * Backends being drained (NGINX Plus `drain`, HAProxy `drain`): requests bound to one by the
   * sticky cookie still go there; the method places nobody new on it. Needs `sticky` to be
   * non-empty. The set is the run's own, read as it changes: the cookie asks it on every request,
   * while the method is told of a drain that starts or ends by `setTakenOut`.
   */
  readonly draining?: ReadonlySet<BackendName>;
  /**
   * Backends the active health checks have taken out when the strategy is built: the method
   * treats them as `down` (later verdicts go in by `setTakenOut`). A state of the run, not
   * configuration, so it holds under a block's server lines too.
   */
  readonly markedDown?: ReadonlySet<BackendName>;
}

/**
 * The servers a method is built over, in its order: the pool's peers, or, when the balancer is an
 * nginx or HAProxy block, the block's server lines for the backends in the pool (a block's lines
 * replace the pool's settings, and its order is the method's). A pick's `peer` is a position here.
 */
export function methodPeers(spec: BalancerSpec, peers: readonly PeerSpec[]): readonly PeerSpec[] {
  const servers = spec.servers;
  return servers === undefined ? peers : servers.filter((s) => peers.some((p) => p.name === s.name));
}

/**
 * Builds the strategy for one pool: the method over `peers`, wrapped in cookie stickiness when
 * asked. Throws RangeError when the spec or the peers are not valid for the method.
 */
export function createStrategy(spec: BalancerSpec, sticky: StickySpec, peers: readonly PeerSpec[], inputs: StrategyInputs = {}): Strategy {
  const definition = METHODS[spec.method];
  const problem = checkBalancer(spec)[0];
  if (problem !== undefined) throw new RangeError(`balancer.${problem.path.join('.')}: ${problem.message}`);
  const parsed = definition.key === undefined || spec.key === undefined ? undefined : parseKey(definition, spec.key);
  const pool = methodPeers(spec, peers);
  const { draining, markedDown } = inputs;
  if (draining !== undefined && draining.size > 0 && sticky === undefined) throw new RangeError(`${spec.method} has no drain without sticky.cookie`);
  const inner = definition.create(pool, {
    key: parsed?.ok === true ? parsed.key : undefined,
    options: spec.options ?? {},
    rng: inputs.rng ?? createRandomStream('lbsim', `balancer/${spec.method}`),
  });
  // The run's marks go in as its later ones will, in place: on a fresh method that equals building it with those servers down.
  for (const { name } of pool) if (draining?.has(name) === true || markedDown?.has(name) === true) inner.setTakenOut(name, true);
  if (sticky === undefined) return inner;
  return withStickyCookie(draining === undefined ? inner : drainable(inner, draining), sticky.cookie);
}

/**
 * The method as the sticky cookie sees it: the method has draining backends taken out, but a
 * request bound to one by its cookie may still go there. `draining` is the run's live set.
 */
function drainable(inner: Strategy, draining: ReadonlySet<BackendName>): Strategy {
  return {
    method: inner.method,
    open: (request, now) => inner.open(request, now),
    usable: (backend, now) => (draining.size !== 0 && draining.has(backend)) || inner.usable(backend, now),
    setTakenOut: (backend, takenOut) => inner.setTakenOut(backend, takenOut),
  };
}
