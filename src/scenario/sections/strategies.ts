/**
 * `strategies`: what the run compares, each a balancer (a method, or an nginx/HAProxy block), a
 * session store, and optional cookie stickiness, session locking and active health checks; and
 * the checks that need the backends (the method can balance them, a block names them all).
 */
import { z } from 'zod';
import { cookieName, count, durationMs, strictObject } from '../../fields/index.js';
import { checkPeers } from '../../strategies/index.js';
import { balancerSchema, checkBlockServers } from '../balancer-schema.js';
import { STORE_KIND_HELP } from '../catalog.js';
import { peerSpecOf, type BackendSpec } from './backends.js';
import { LIMITS } from './limits.js';
import { STORE_KINDS } from './stores.js';
import type { Issue } from './issue.js';

const strategySchema = strictObject({
  name: z.string().min(1).describe('The column title in reports; unique within the scenario'),
  balancer: balancerSchema.describe('How a backend is picked: { method, key?, options? }, or an nginx: or haproxy: configuration block'),
  store: z.enum(STORE_KINDS).describe(Object.entries(STORE_KIND_HELP).map(([kind, help]) => `${kind}: ${help}`).join('; ')),
  sticky: strictObject({
    cookie: strictObject({ name: cookieName().default('lbsim_route'), maxAge: durationMs().optional() }),
  }).optional(),
  /** Per-session locking of the shared cache (PHP, Spring Session style): requests of one session take turns. */
  locking: strictObject({ poll: durationMs().default(10), timeout: durationMs().default(5000) }).optional(),
  /** Active health checks (NGINX Plus `health_check`, HAProxy `check inter fall rise`): probe every backend every `interval`. */
  healthCheck: strictObject({
    interval: durationMs().default(5000),
    timeout: durationMs().default(1000),
    fall: count(100, 'failed probes').min(1).default(3),
    rise: count(100, 'passed probes').min(1).default(2),
  }).optional(),
});

export const strategiesSchema = z.array(strategySchema).min(1, 'expected at least one strategy').max(LIMITS.strategies).describe('The strategies to compare on the same sessions');

export type StrategySpec = z.output<typeof strategySchema>;

/** Checks each strategy against the others and the backends: unique names, locking only with the shared cache, balanceable backends. */
export function checkStrategies(strategies: readonly StrategySpec[], backends: readonly BackendSpec[], issue: Issue): void {
  const names = new Set<string>();
  const peers = backends.map(peerSpecOf);
  strategies.forEach((s, i) => {
    if (names.has(s.name)) issue(['strategies', i, 'name'], `duplicate strategy name "${s.name}"`);
    names.add(s.name);
    if (s.locking && s.store !== 'shared') issue(['strategies', i, 'locking'], 'locking is a feature of the shared session cache: give store: shared, or drop locking (a backend\'s own memory serialises requests already)');
    const unfit = checkPeers(s.balancer.method, s.balancer.servers ?? peers);
    if (unfit !== undefined) issue(['strategies', i, 'balancer', s.balancer.block?.kind ?? 'method'], `${s.balancer.method} cannot balance these backends: ${unfit}`);
    for (const [field, message] of checkBlockServers(s.balancer, backends.map((b) => b.name))) issue(['strategies', i, 'balancer', field], message);
  });
}
