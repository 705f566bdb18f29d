/**
 * The scenario as it was run, recorded in summary.json (`scenario.setup`, `strategies[].balancer`)
 * so that a report rebuilt from a saved summary alone can describe the run and say how to
 * reproduce it: backends, client mix, arrivals, journey, stores, the failure timeline and each
 * strategy's balancer as declared. All values are the normalized ones (base units: ms, per second).
 * Summaries written before these fields existed lack them; readers must treat them as optional.
 */
import type { Distribution } from '../engine/index.js';
import { eventWords, type BackendSpec, type Scenario, type StrategySpec, type TimelineEvent } from '../scenario/index.js';

/**
 * One backend of the pool, as declared (`down`: declared down from the start). The scenario's
 * `BackendSpec`; `backup`, `maxConns` and `standby` are optional for summaries written before them.
 */
export type BackendSetup = Omit<BackendSpec, 'backup' | 'maxConns' | 'standby' | 'coldStart'> & Partial<Pick<BackendSpec, 'backup' | 'maxConns' | 'standby' | 'coldStart'>>;

/** One journey step: its HTTP method, service demand (ms at speed 1) and session needs. */
export interface StepSetup {
  readonly name: string;
  readonly method: string;
  readonly serviceMs: Distribution;
  readonly writes: boolean;
  readonly needsSession: boolean;
  readonly coupled: boolean;
  /** Probability that the user leaves after this step. */
  readonly abandon: number;
  /** Order value paid at this step (currency units), null when the step pays nothing. */
  readonly orderValue: Distribution | null;
}

/**
 * A timeline event of the scenario at `atMs` (for `durationMs`, or for good when null): `backend`
 * names the backend (or `shared cache`), `mode` what happens to it (a backend mode such as
 * `refused`, or `slow ×0.25`, `answers errors`, `down`, `round trip 20 ms`, `flushed`).
 */
export interface EventSetup {
  readonly atMs: number;
  readonly kind: TimelineEvent['kind'];
  readonly backend: string;
  readonly mode: string;
  readonly durationMs: number | null;
}

/** What a timeline event does, in the words the report shows (declared with the event: `eventWords`). */
export function describeEvent(event: TimelineEvent): EventSetup {
  const { subject, change } = eventWords(event);
  return { atMs: event.atMs, kind: event.kind, durationMs: 'durationMs' in event ? (event.durationMs ?? null) : null, backend: subject, mode: change };
}

/** Everything about a scenario's world that summary.json does not otherwise say. */
export interface ScenarioSetup {
  /** The session count; null when only the arrival window ends the arrivals. */
  readonly sessions: number | null;
  /** Simulated before measurement began (0: none); absent from summaries written before warm-ups. */
  readonly warmupMs?: number;
  readonly arrivals: {
    readonly ratePerSec: number;
    readonly spacing: string;
    /** Piecewise rate profile, the first piece starting at 0. */
    readonly profile: readonly { readonly fromMs: number; readonly ratePerSec: number }[];
    readonly windowMs: number | null;
    /** What window percentages in the scenario referred to. */
    readonly referenceWindowMs: number;
  };
  readonly clients: {
    /** Distinct /24 networks individual users come from. */
    readonly networks: number;
    readonly ipv6Share: number;
    /** A share of users behind a few NAT addresses; null when the scenario has none. */
    readonly nat: { readonly share: number; readonly addresses: number } | null;
    /** A share of users behind one proxy address; null when the scenario has none. */
    readonly proxy: { readonly share: number; readonly address: string } | null;
  };
  readonly journey: { readonly thinkTimeMs: Distribution; readonly steps: readonly StepSetup[] };
  readonly backends: readonly BackendSetup[];
  readonly stores: {
    readonly local: { readonly ttlMs: number };
    readonly shared: { readonly roundTripMs: number; readonly ttlMs: number; readonly capacity: number | null; readonly notSerializable: number };
  };
  readonly events: readonly EventSetup[];
}

/** A strategy's balancer as declared: the method, its key (hash methods) and HAProxy options. */
export interface BalancerSetup {
  readonly method: string;
  readonly key: string | null;
  readonly options: Readonly<Record<string, string | number | boolean>>;
}

/** The setup recorded in `summary.scenario.setup`. */
export function scenarioSetup(scenario: Scenario): ScenarioSetup {
  const { arrivals, clients, journey, stores } = scenario;
  return {
    sessions: scenario.sessions ?? null,
    warmupMs: scenario.warmupMs,
    arrivals: {
      ratePerSec: arrivals.ratePerSec,
      spacing: arrivals.spacing,
      profile: arrivals.profile.map((p) => ({ fromMs: p.fromMs, ratePerSec: p.ratePerSec })),
      windowMs: arrivals.windowMs ?? null,
      referenceWindowMs: arrivals.referenceWindowMs,
    },
    clients: {
      networks: clients.networks,
      ipv6Share: clients.ipv6Share,
      nat: clients.nat ? { share: clients.nat.share, addresses: clients.nat.addresses } : null,
      proxy: clients.proxy ? { share: clients.proxy.share, address: clients.proxy.address } : null,
    },
    journey: {
      thinkTimeMs: journey.thinkTime,
      steps: journey.steps.map((s) => ({
        name: s.name,
        method: s.method,
        serviceMs: s.service,
        writes: s.writes,
        needsSession: s.needsSession,
        coupled: s.coupled,
        abandon: s.abandon,
        orderValue: s.orderValue ?? null,
      })),
    },
    backends: scenario.backends.map((b) => ({ ...b })),
    stores: {
      local: { ttlMs: stores.local.ttl },
      shared: { roundTripMs: stores.shared.roundTrip, ttlMs: stores.shared.ttl, capacity: stores.shared.capacity ?? null, notSerializable: stores.shared.notSerializable },
    },
    events: scenario.timeline.map(describeEvent),
  };
}

/** The balancer recorded in `summary.strategies[].balancer` (options left unset are omitted). */
export function balancerSetup(spec: StrategySpec): BalancerSetup {
  const options: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(spec.balancer.options ?? {})) if (value !== undefined) options[name] = value;
  return { method: spec.balancer.method, key: spec.balancer.key ?? null, options };
}
