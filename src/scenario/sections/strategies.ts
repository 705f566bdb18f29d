/**
 * `strategies`: what the run compares, each a balancer (a method, or an nginx/HAProxy block), a
 * session store, and optional cookie stickiness, session locking and active health checks; and
 * the checks that need the backends (the method can balance them, a block names them all).
 */
import { z } from 'zod';
import { cookieName, count, durationMs, positiveDurationMs, strictObject } from '../../fields/index.js';
import { checkPeers } from '../../strategies/index.js';
import { balancerSchema, checkBlockServers } from '../balancer-schema.js';
import { STORE_KIND_HELP } from '../catalog.js';
import { primaryServerProblem } from '../primary-servers.js';
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
  locking: strictObject({ poll: positiveDurationMs().default(10), timeout: durationMs().default(5000) }).optional(),
  /** Active health checks (NGINX Plus `health_check`, HAProxy `check inter fall rise`): probe every backend every `interval`. */
  healthCheck: strictObject({
    interval: positiveDurationMs().default(5000),
    timeout: durationMs().default(1000),
    fall: count(LIMITS.probesInARow, 'failed probes').min(1).default(3),
    rise: count(LIMITS.probesInARow, 'passed probes').min(1).default(2),
  }).optional(),
});

export const strategiesSchema = z.array(strategySchema).min(1, 'expected at least one strategy').max(LIMITS.strategies).describe('The strategies to compare on the same sessions');

export type StrategySpec = z.output<typeof strategySchema>;

/** Checks each strategy against the others and the backends: unique names, locking only with the shared cache, balanceable backends. */
export function checkStrategies(strategies: readonly StrategySpec[], backends: readonly BackendSpec[], issue: Issue): void {
  const names = new Set<string>();
  const peers = backends.map(peerSpecOf);
  const standby = new Set(backends.filter((b) => b.standby).map((b) => b.name));
  strategies.forEach((s, i) => {
    if (names.has(s.name)) issue(['strategies', i, 'name'], `duplicate strategy name "${s.name}"`);
    names.add(s.name);
    if (s.locking && s.store !== 'shared') issue(['strategies', i, 'locking'], 'locking is a feature of the shared session cache: give store: shared, or drop locking (a backend\'s own memory serialises requests already)');
    const servers = s.balancer.servers ?? peers;
    // nginx checks the servers it starts with: backends on standby join later.
    const unfit = checkPeers(s.balancer.method, servers) ?? primaryServerProblem(s.balancer.method, servers.filter((p) => !standby.has(p.name)));
    if (unfit !== undefined) issue(['strategies', i, 'balancer', s.balancer.block?.kind ?? 'method'], `${s.balancer.method} cannot balance these backends: ${unfit}`);
    for (const [field, message] of checkBlockServers(s.balancer, backends.map((b) => b.name))) issue(['strategies', i, 'balancer', field], message);
  });
}
