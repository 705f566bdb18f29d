/**
 * Method name -> definition: what each balancing method needs from a request and how it is
 * bound to a pool (nginx's init_upstream). Decorators such as cookie stickiness are applied here
 * too, so every caller builds strategies the same way. HAProxy's `BE_LB_NEED_*` flags are the
 * model for `needs`: the scenario loader refuses a method whose inputs the clients cannot supply.
 */
import type { PeerSpec, Strategy } from './strategy.js';
import { IpHashStrategy } from './nginx/ip-hash.js';
import { RoundRobinStrategy } from './nginx/round-robin.js';
import { withStickyCookie, type StickyCookie } from './sticky-cookie.js';

/** Balancing methods as users write them in scenarios. */
export type MethodName = 'round-robin' | 'ip-hash';

/** Every method name, in the order they are documented. */
export const METHOD_NAMES: readonly MethodName[] = ['round-robin', 'ip-hash'];

/** A request input a method reads. */
export type MethodNeed = 'client-ip' | 'cookie' | 'header' | 'session-id';

/** One balancing method: its name, the request inputs it reads, and its per-pool set-up. */
export interface MethodDefinition {
  readonly name: MethodName;
  readonly needs: readonly MethodNeed[];
  /** Binds the method to one pool's peers (configuration order). Throws RangeError on peers it cannot take. */
  create(peers: readonly PeerSpec[]): Strategy;
}

/** The definitions, by name. */
export const METHODS: { readonly [M in MethodName]: MethodDefinition } = {
  'round-robin': { name: 'round-robin', needs: [], create: (peers) => new RoundRobinStrategy(peers) },
  'ip-hash': { name: 'ip-hash', needs: ['client-ip'], create: (peers) => new IpHashStrategy(peers) },
};

/** Whether `name` is a known method (for parsers validating user text). */
export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

/** Stickiness applied over a method; `undefined` for none. */
export type StickySpec = { readonly cookie: StickyCookie } | undefined;

/** The request inputs a method, with its stickiness, reads. */
export function strategyNeeds(spec: { readonly method: MethodName }, sticky: StickySpec): readonly MethodNeed[] {
  const needs = METHODS[spec.method].needs;
  return sticky === undefined || needs.includes('cookie') ? needs : [...needs, 'cookie'];
}

/** Builds the strategy for one pool: the method over `peers`, wrapped in cookie stickiness when asked. */
export function createStrategy(
  spec: { readonly method: MethodName },
  sticky: StickySpec,
  peers: readonly PeerSpec[],
): Strategy {
  const inner = METHODS[spec.method].create(peers);
  return sticky === undefined ? inner : withStickyCookie(inner, sticky.cookie);
}
