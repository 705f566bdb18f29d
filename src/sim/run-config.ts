/**
 * What one strategy's run needs from the scenario, made once: the parts of the run read this, not
 * the scenario file's shape, so a new scenario field reaches the run through one place.
 */
import { samplerFor, type RandomStream, type Sampler } from '../engine/index.js';
import { LocalSessionStore, SharedSessionCache, type SessionStore } from '../model/index.js';
import { peerSpecOf, type Scenario, type StrategySpec } from '../scenario/index.js';
import { balancerAffinity, type BalancerSpec, type PeerSpec, type StickySpec } from '../strategies/index.js';
import type { HealthCheckSettings } from './health-check.js';
import type { RunRng } from './rng.js';

export interface RunConfig {
  /** Simulated before measurement begins at 0. */
  readonly warmupMs: number;
  readonly backends: Scenario['backends'];
  /** The balancer's view of each backend, in the scenario's order. */
  readonly peers: readonly PeerSpec[];
  readonly balancer: BalancerSpec;
  readonly sticky: StickySpec;
  readonly steps: Scenario['journey']['steps'];
  /** The step whose completion fills the cart, or −1. */
  readonly cartStep: number;
  readonly proxy: Scenario['proxy'];
  readonly timeline: Scenario['timeline'];
  /** Per-session locking of the shared cache, when the strategy has it. */
  readonly locking: { readonly poll: number; readonly timeout: number } | undefined;
  readonly healthCheck: HealthCheckSettings | undefined;
  /** Shared cache without locking: a writer stores the state it read plus its change, and concurrent updates can be lost. */
  readonly lastWriteWins: boolean;
  /** The share of sessions whose framework state does not survive the shared cache. */
  readonly notSerializableShare: number;
  /** While the shared cache is down, every request fails (else only steps that need the session break). */
  readonly failOnStoreOutage: boolean;
  /** The balancer places by the client address: an address change moves the user (`ip-changed`). */
  readonly placesByAddress: boolean;
  /** The balancer places by a key (address, session id, …): a pool change or a recovered backend moves the user (`remapped`, `failback`). */
  readonly placesByKey: boolean;
  /** A fresh session store of the strategy's kind. */
  newStore(): SessionStore;
  /** The balancer's own random stream (random methods draw from it), derived from the seed and the strategy's name. */
  readonly balancerRng: RandomStream;
  /** Each attempt's time between balancer and backend, there and back, from a stream of its own; undefined: none. */
  readonly hop: { readonly sample: Sampler; readonly rng: RandomStream } | undefined;
}

export function runConfig(scenario: Scenario, spec: StrategySpec, rng: RunRng): RunConfig {
  const { stores } = scenario;
  const cookie = spec.sticky?.cookie;
  const affinity = balancerAffinity(spec.balancer);
  return {
    warmupMs: scenario.warmupMs,
    backends: scenario.backends,
    peers: scenario.backends.map(peerSpecOf),
    balancer: spec.balancer,
    sticky: cookie ? { cookie: cookie.maxAge === undefined ? { name: cookie.name } : { name: cookie.name, maxAgeMs: cookie.maxAge } } : undefined,
    steps: scenario.journey.steps,
    cartStep: scenario.journey.steps.findIndex((s) => s.fillsCart),
    proxy: scenario.proxy,
    timeline: scenario.timeline,
    locking: spec.locking,
    healthCheck: spec.healthCheck,
    lastWriteWins: spec.store === 'shared' && !spec.locking,
    notSerializableShare: stores.shared.notSerializable,
    failOnStoreOutage: stores.shared.onOutage === 'fail',
    placesByAddress: affinity === 'address',
    placesByKey: affinity === 'address' || affinity === 'key',
    newStore: () =>
      spec.store === 'local'
        ? new LocalSessionStore(scenario.backends.length, stores.local.ttl)
        : new SharedSessionCache({ roundTripMs: stores.shared.roundTrip, ttlMs: stores.shared.ttl, capacity: stores.shared.capacity }),
    balancerRng: rng.root.fork(`balancer/${spec.name}`),
    hop: scenario.proxy.hopMs && { sample: samplerFor(scenario.proxy.hopMs), rng: rng.root.fork(`hop/${spec.name}`) },
  };
}

/** The workload part of a scenario: what the session generator draws from. */
export function workloadSpec(scenario: Scenario) {
  return {
    sessions: scenario.sessions,
    warmupMs: scenario.warmupMs,
    windowMs: scenario.arrivals.windowMs,
    spacing: scenario.arrivals.spacing,
    profile: scenario.arrivals.profile,
    clients: scenario.clients,
    steps: scenario.journey.steps,
    thinkTime: scenario.journey.thinkTime,
  };
}
