/**
 * The scenario as `lbsim live` runs it: checked for what real open-source servers on loopback
 * can do (the rest refused with the reason), its backends renamed to the loopback addresses
 * they run on, and its clock divided by `--time-scale` (think times, service times, arrival gaps
 * and the timeline's times). The prediction runs on this scenario, so it hashes the same server
 * names and sees the same times as the real run.
 */
import type { Distribution } from '../../engine/index.js';
import type { BackendMode, Scenario, StrategySpec, TimelineEvent } from '../../scenario/index.js';
import { balancerAffinity, METHODS } from '../../strategies/index.js';

/**
 * Whether the strategy's picks depend on timing or randomness (its method pins no one: round
 * robin across sessions, least_conn, random), so that it is compared by counts, not session by session.
 */
export function picksDependOnTiming(spec: StrategySpec): boolean {
  return balancerAffinity(spec.balancer) === 'none';
}

/** Why a strategy cannot run live, or undefined. */
export function strategyRefusal(spec: StrategySpec): string | undefined {
  const method = spec.balancer.method;
  if (METHODS[method].real === undefined) return `${method} is not a method of open-source nginx or HAProxy (Envoy, ALB and Kubernetes methods cannot run live)`;
  if (spec.sticky !== undefined) return method.startsWith('haproxy-') ? "lbsim's own sticky cookie has no HAProxy equivalent here; use method haproxy-cookie" : "nginx's `sticky` cookie is not in open-source nginx; use method haproxy-cookie, or hash on $cookie_NAME";
  if (spec.locking !== undefined) return 'session locking is not modelled by the live backend';
  if (spec.healthCheck !== undefined) return 'active health checks are NGINX Plus (`health_check`); open-source nginx has only passive ones';
  return undefined;
}

/** Why the scenario's other parts cannot run live, or undefined. */
export function scenarioRefusal(scenario: Scenario, strategies: readonly StrategySpec[]): string | undefined {
  const steps = scenario.journey.steps;
  if (steps.some((s) => s.coupled)) return 'coupled steps are not modelled by the live backend';
  if (strategies.some((s) => s.store === 'shared') && scenario.stores.shared.notSerializable > 0) return 'stores.shared.notSerializable: framework state is not modelled by the live backend';
  if (strategies.some((s) => s.store === 'shared') && scenario.stores.shared.capacity !== undefined) return 'stores.shared.capacity: evictions are not modelled by the live backend';
  if (scenario.warmupMs > 0) return 'warmup: a live run measures from its first session';
  for (const event of scenario.timeline) {
    if (event.kind === 'mode' && event.mode === 'blackhole') return 'timeline: blackhole needs root (a firewall rule that drops packets)';
    if (event.kind === 'drain' || event.kind === 'add-backend' || event.kind === 'remove-backend') return `timeline: ${event.kind} needs a configuration reload, which a live run does not do`;
    if (event.kind === 'cache-latency' || event.kind === 'cache-flush') return `timeline: ${event.kind} is not mapped to Redis in a live run`;
  }
  return undefined;
}

function scaled(d: Distribution, k: number): Distribution {
  switch (d.kind) {
    case 'constant':
      return { kind: 'constant', value: d.value / k };
    case 'exponential':
      return { kind: 'exponential', mean: d.mean / k };
    case 'lognormal':
      return { kind: 'lognormal', median: d.median / k, sigma: d.sigma };
    case 'uniform':
      return { kind: 'uniform', min: d.min / k, max: d.max / k };
  }
}

/** The scenario with its clock divided by `k`: the same draws give times divided by `k`. */
export function scaleScenario(scenario: Scenario, k: number): Scenario {
  if (k === 1) return scenario;
  const { arrivals, journey } = scenario;
  return {
    ...scenario,
    arrivals: {
      ...arrivals,
      ratePerSec: arrivals.ratePerSec * k,
      profile: arrivals.profile.map((p) => ({ fromMs: p.fromMs / k, ratePerSec: p.ratePerSec * k })),
      windowMs: arrivals.windowMs === undefined ? undefined : arrivals.windowMs / k,
      referenceWindowMs: arrivals.referenceWindowMs / k,
    },
    journey: { ...journey, thinkTime: scaled(journey.thinkTime, k), steps: journey.steps.map((s) => ({ ...s, service: scaled(s.service, k) })) },
    timeline: scenario.timeline.map((e) => ({ ...e, atMs: e.atMs / k, ...('durationMs' in e && e.durationMs !== undefined ? { durationMs: e.durationMs / k } : {}) })) as Scenario['timeline'],
  };
}

/** Replaces every string equal to an old name in plain objects and arrays (typed arrays and maps are kept). */
function renamed<T>(value: T, names: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return (names.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => renamed(v, names)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'name' || k === 'backend' || k === 'servers' || k === 'backends' || k === 'timeline' || k === 'strategies' || k === 'balancer' ? renamed(v, names) : v])) as T;
  }
  return value;
}

/** The scenario with backend `i` named `addresses[i]` (`127.0.0.1:PORT`), everywhere it is named. */
export function renameBackends(scenario: Scenario, addresses: readonly string[]): Scenario {
  const names = new Map(scenario.backends.map((b, i) => [b.name, addresses[i]!]));
  // Only the backends, the timeline and the strategies' server lists name backends.
  return {
    ...scenario,
    backends: renamed(scenario.backends, names),
    timeline: renamed(scenario.timeline, names),
    strategies: scenario.strategies.map((s) => ({ ...s, balancer: { ...s.balancer, ...(s.balancer.servers ? { servers: renamed(s.balancer.servers, names) } : {}) } })),
  };
}

/** One change the timeline makes to a backend, at its moment; an `up` says whether the backend's process was killed (`refused`) and must be started again. */
export type BackendChange =
  | { readonly kind: 'mode'; readonly atMs: number; readonly backend: string; readonly mode: BackendMode; readonly killed: boolean }
  | { readonly kind: 'slow'; readonly atMs: number; readonly backend: string; readonly speed: number }
  | { readonly kind: 'errors'; readonly atMs: number; readonly backend: string; readonly on: boolean };

/** The timeline's backend changes in time order, each event's end (after `duration`) a change of its own. */
export function backendChanges(timeline: readonly TimelineEvent[]): BackendChange[] {
  const changes: BackendChange[] = [];
  for (const e of timeline) {
    const end = 'durationMs' in e && e.durationMs !== undefined ? e.atMs + e.durationMs : undefined;
    if (e.kind === 'mode') {
      changes.push({ kind: 'mode', atMs: e.atMs, backend: e.backend, mode: e.mode, killed: false });
      if (end !== undefined) changes.push({ kind: 'mode', atMs: end, backend: e.backend, mode: 'up', killed: false });
    } else if (e.kind === 'slow') {
      changes.push({ kind: 'slow', atMs: e.atMs, backend: e.backend, speed: e.speed });
      if (end !== undefined) changes.push({ kind: 'slow', atMs: end, backend: e.backend, speed: 1 });
    } else if (e.kind === 'errors') {
      changes.push({ kind: 'errors', atMs: e.atMs, backend: e.backend, on: true });
      if (end !== undefined) changes.push({ kind: 'errors', atMs: end, backend: e.backend, on: false });
    }
  }
  // Stable: changes at the same moment keep the timeline's order.
  changes.sort((a, b) => a.atMs - b.atMs);
  const dead = new Set<string>();
  return changes.map((c) => {
    if (c.kind !== 'mode') return c;
    const killed = c.mode === 'up' && dead.has(c.backend);
    if (c.mode === 'refused') dead.add(c.backend);
    else if (c.mode === 'up') dead.delete(c.backend);
    return { ...c, killed };
  });
}
