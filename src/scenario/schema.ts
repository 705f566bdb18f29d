/**
 * The scenario file format: what a file may contain (`ScenarioInput`, units as strings) and what
 * the simulator receives (`Scenario`, numbers in base units, defaults filled in, times resolved
 * against the arrival window). Each section of the file has a file of its own in `sections/`,
 * with its schema, its defaults and its normaliser; this file puts them together, and the types
 * are derived from them. docs/scenario.md documents every field.
 */
import { z } from 'zod';
import { count, durationMs, strictObject } from '../fields/index.js';
import { BACKEND_MODES, type BackendMode } from '../model/index.js';
import { METHOD_NAMES } from '../strategies/index.js';
import { arrivalsSchema, normalizeArrivals } from './sections/arrivals.js';
import { backendsSchema, normalizeBackends } from './sections/backends.js';
import { clientsSchema } from './sections/clients.js';
import { checkDerivedLimits } from './sections/derived-limits.js';
import { issueOn } from './sections/issue.js';
import { journeySchema, normalizeJourney } from './sections/journey.js';
import { defaultsOf, LIMITS } from './sections/limits.js';
import { normalizeProxy, proxySchema } from './sections/proxy.js';
import { checkStrategies, strategiesSchema } from './sections/strategies.js';
import { storesSchema } from './sections/stores.js';
import { normalizeTimeline, timelineSchema } from './sections/timeline.js';
import { timeseriesSchema } from './sections/timeseries.js';

export { BACKEND_MODES, type BackendMode };
/** Balancing methods this version knows: the registry's names, so the two lists cannot drift. */
export { METHOD_NAMES };
export { peerSpecOf, type BackendSpec } from './sections/backends.js';
export type { Clients } from './sections/clients.js';
export { DEFAULT_STEPS, RETIRED_STEP_KEYS, type Step } from './sections/journey.js';
export type { StrategySpec } from './sections/strategies.js';
export { STORE_KINDS, type StoreKind } from './sections/stores.js';
export { TIMELINE_EVENTS, type TimelineEvent, type TimelineEventName } from './sections/timeline.js';

export const ScenarioSchema = strictObject({
  name: z.string().min(1).describe('A short name; the report folder is named after it'),
  seed: z.union([z.number(), z.string()]).describe('The same scenario and seed give the same results, to the byte').default(1),
  sessions: count(LIMITS.sessions, 'sessions').min(1, 'expected at least one session').describe('How many sessions arrive (or end the arrivals with arrivals.window)').optional(),
  arrivals: arrivalsSchema.describe('When sessions arrive: rate, spacing, window, profile'),
  warmup: durationMs().describe('Start from steady state: sessions arrive for this long before measurement begins at 0; nothing of the warm-up counts in any figure').default(0),
  clients: clientsSchema,
  journey: journeySchema.default(defaultsOf(journeySchema)),
  backends: backendsSchema,
  stores: storesSchema,
  proxy: proxySchema,
  strategies: strategiesSchema,
  timeline: timelineSchema,
  /** Per-window series (timeseries.csv, the report's timelines). */
  timeseries: timeseriesSchema,
});

export type ScenarioInput = z.input<typeof ScenarioSchema>;
type Parsed = z.output<typeof ScenarioSchema>;

/** Second stage: the parts of normalization that need the whole file (window, names, profile). */
function normalize(parsed: Parsed, ctx: z.RefinementCtx) {
  const issue = issueOn(ctx);
  const arrivals = normalizeArrivals(parsed.arrivals, parsed.sessions, parsed.warmup, issue);
  const backends = normalizeBackends(parsed.backends, issue);
  checkStrategies(parsed.strategies, backends, issue);
  const unsticky = parsed.strategies.filter((s) => s.sticky === undefined).map((s) => s.name);
  const timeline = normalizeTimeline(parsed.timeline, { referenceWindowMs: arrivals.referenceWindowMs, backends, unsticky }, issue);
  const journey = normalizeJourney(parsed.journey, issue);
  checkDerivedLimits({ sessions: parsed.sessions, warmupMs: parsed.warmup, arrivals, backends, strategies: parsed.strategies, journey }, issue);
  return {
    name: parsed.name,
    description: parsed.description,
    seed: String(parsed.seed),
    /** Arrivals stop after this many sessions (undefined: only the window limits them). */
    sessions: parsed.sessions,
    arrivals,
    /**
     * Arrivals start this long before time 0, where measurement begins: sessions are already in
     * flight then, and nothing before it counts in any metric. `sessions` counts arrivals from 0.
     */
    warmupMs: parsed.warmup,
    /** The client mix; the loader adds `addressList`, the addresses read from `addressFile`. */
    clients: parsed.clients as z.output<typeof clientsSchema> & { readonly addressList?: readonly string[] },
    journey,
    backends,
    stores: parsed.stores,
    proxy: normalizeProxy(parsed.proxy),
    strategies: parsed.strategies as readonly Parsed['strategies'][number][],
    timeline,
    /** Window of the per-window series, ms; undefined: chosen so the run has at most about 200 windows. */
    timeseriesWindowMs: parsed.timeseries.window,
  };
}

/** The normalized scenario the simulator runs: base units, defaults filled, times resolved. */
export type Scenario = Readonly<ReturnType<typeof normalize>>;

/** The full pipeline: file contents (already YAML/JSON-decoded) → normalized Scenario. */
export const NormalizedScenarioSchema = ScenarioSchema.transform((parsed, ctx): Scenario => normalize(parsed, ctx));
