/**
 * The summary contract (`summary.json`): stable fields that scripts and later reports rely on.
 * Fields are only ever added. `generatedAt` and `runTimeMs` are the only wall-clock values and
 * come from the caller; everything else is identical for the same scenario and seed.
 */
import type { LatencyStats, RequestCounts } from '../analyzers/index.js';
import type { BreakCause } from '../model/index.js';
import type { ScenarioResult, SessionTrace, StrategyResult } from '../sim/index.js';
import { shownBackends, type BackendRow, type BackendsSummary } from './backend-spread.js';
import { eventLabel } from './event-label.js';
import { roundTo } from './format.js';
import { balancerSetup, scenarioSetup, type BalancerSetup, type ScenarioSetup } from './setup.js';

export const SUMMARY_SCHEMA_VERSION = 1;

export interface LatencySummary {
  readonly mean: number;
  readonly max: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface StrategySummary {
  readonly name: string;
  readonly description: string | null;
  readonly method: string;
  readonly store: string;
  readonly sticky: string | null;
  readonly sessions: { readonly total: number; readonly completed: number; readonly abandoned: number; readonly broken: number };
  readonly breakageRate: number;
  readonly brokenByCause: Readonly<Record<BreakCause, number>>;
  /** `revenue`: the order value of every failover-broken session; `revenueLost`: of those whose users would have paid (absent from older summaries). */
  readonly failoverLoss: { readonly sessions: number; readonly carts: number; readonly revenue: number; readonly revenueLost?: number };
  readonly skew: { readonly requestsMaxOverMean: number; readonly requestsCv: number };
  readonly latencyMs: LatencySummary;
  readonly latencyByStepMs: readonly (LatencySummary & { readonly step: string; readonly count: number })[];
  /** Client requests and attempts (the lost-update and lock fields are absent from older summaries). */
  readonly requests: Pick<RequestCounts, 'total' | 'completed' | 'failed' | 'rejected' | 'attempts' | 'sentToDeadBackend'> &
    Partial<Pick<RequestCounts, 'lostUpdates' | 'lostUpdatesByStep' | 'lockWaits' | 'lockWaitMs' | 'lockTimeouts'>>;

  /** Every backend, or past LIMITS.backendDetail the busiest and least busy (see `backendsSummary`). */
  readonly backends: readonly BackendRow[];
  /** Past LIMITS.backendDetail backends: how many there are, and each figure's spread over all of them. */
  readonly backendsSummary?: BackendsSummary;
  /** Sessions that completed each step. */
  readonly funnel: readonly { readonly step: string; readonly sessions: number }[];
  /** Revenue of completed orders. */
  readonly revenue: number;
  /** Figures of the session store this strategy used (the shared cache's hit ratio and load). */
  readonly storeStats: {
    readonly kind: string;
    readonly reads: number;
    readonly writes: number;
    readonly hitRatio: number;
    readonly opsPerSec: number;
    readonly evictions: number;
    readonly expirations: number;
  };
  readonly simulatedTimeMs: number;
  /** The balancer as declared (key and options included). Added with the HTML report; absent from older summaries. */
  readonly balancer?: BalancerSetup;
  /** The sticky cookie as declared, null without stickiness. Added with the HTML report; absent from older summaries. */
  readonly stickyCookie?: { readonly name: string; readonly maxAgeMs: number | null } | null;
  /** Active health checks, when the strategy has them: each failure they detected, and how long that took. */
  readonly healthChecks?: HealthCheckSummary | null;
  /** Per-window series over simulated time (optional for readers of older summaries). */
  readonly timeline?: StrategyTimeline;
  /**
   * A replicated run's per-replication values of every single figure, by summary path
   * (`latencyMs.p50`), in the order of `seeds`: strategies share seeds, so a comparison of two
   * strategies can be judged on their paired differences. Absent from single runs.
   */
  readonly replicates?: Readonly<Record<string, readonly number[]>>;
}

/** Failures the active health checks detected, and how long each took to detect. */
export interface HealthCheckSummary {
  readonly detections: readonly { readonly backend: string; readonly failedAtMs: number; readonly detectedAtMs: number; readonly delayMs: number }[];
  readonly meanDetectionDelayMs: number | null;
}

/**
 * Series over simulated time for one strategy, in fixed windows (aggregates, never per request).
 * `requestsPerBackend[i]` counts attempts sent to `backends[i]` of the same strategy during the window.
 */
export interface StrategyTimeline {
  readonly windowMs: number;
  /** The window asked for, when the run was long enough that windows were merged to keep at most LIMITS.seriesWindows. */
  readonly coarsenedFromMs?: number;
  readonly windows: readonly {
    readonly startMs: number;
    /** Attempts to `backends[i]` during the window; empty past LIMITS.backendDetail backends (see `requests`). */
    readonly requestsPerBackend: readonly number[];
    readonly breaks: number;
    /** Live sessions whose latest request each backend served, at the end of the window (empty likewise). */
    readonly sessionsPerBackend?: readonly number[];
    /** Past LIMITS.backendDetail backends: attempts to all of them in the window, and their live sessions at its end. */
    readonly requests?: number;
    readonly sessions?: number;
    readonly breaksByCause?: Readonly<Partial<Record<BreakCause, number>>>;
    readonly failedRequests?: number;
    /** Coarse (±19%) p95 response time of the window's completed requests. */
    readonly latencyP95Ms?: number;
  }[];
  /** What happened when: a backend crashed or recovered, the balancer marked it down, the cache went away. */
  readonly events: readonly { readonly atMs: number; readonly label: string }[];
}

export interface Summary {
  readonly schemaVersion: number;
  readonly scenario: {
    readonly name: string;
    readonly description: string | null;
    /** The world the run simulated. Added with the HTML report; absent from older summaries. */
    readonly setup?: ScenarioSetup;
  };
  readonly seed: string;
  readonly lbsimVersion: string;
  readonly generatedAt: string;
  readonly runTimeMs: number;
  readonly strategies: readonly StrategySummary[];
  /**
   * One user's story for the report: the first session a strategy broke, traced under every
   * strategy (`lbsim trace`). Null when no session broke or it was too far into the run to trace
   * cheaply; absent from summaries written before it.
   */
  readonly sampleSession?: SampleSession | null;
  /** A replicated run: how many replications the figures are the means of, and their seeds. Absent from single runs. */
  readonly replications?: number;
  readonly seeds?: readonly string[];
}

/** The sample session's trace, with the seed it was traced under (a replicated run's first seed). */
export type SampleSession = SessionTrace & { readonly seed: string };

export interface SummaryMeta {
  readonly lbsimVersion: string;
  /** ISO time of the run (wall clock, from the caller). */
  readonly generatedAt: string;
  readonly runTimeMs: number;
}


function latencySummary(stats: LatencyStats): LatencySummary {
  return { mean: roundTo(stats.mean, 3), max: roundTo(stats.max, 3), p50: roundTo(stats.p50, 3), p95: roundTo(stats.p95, 3), p99: roundTo(stats.p99, 3) };
}

function strategySummary(result: StrategyResult, stepNames: readonly string[], workers: readonly number[]): StrategySummary {
  const { spec, outcomes, load, latency, requests, facts } = result;
  const seconds = facts.endTimeMs / 1000;
  const storeOps = facts.store.reads + facts.store.writes;
  return {
    name: spec.name,
    description: spec.description ?? null,
    method: spec.balancer.method,
    store: spec.store,
    sticky: spec.sticky ? `cookie ${spec.sticky.cookie.name}` : null,
    sessions: outcomes.sessions,
    breakageRate: roundTo(outcomes.breakageRate, 6),
    brokenByCause: outcomes.brokenByCause,
    failoverLoss: { ...outcomes.failoverLoss, revenue: roundTo(outcomes.failoverLoss.revenue, 2), revenueLost: roundTo(outcomes.failoverLoss.revenueLost, 2) },
    skew: { requestsMaxOverMean: roundTo(load.requestsMaxOverMean, 6), requestsCv: roundTo(load.requestsCv, 6) },
    latencyMs: latencySummary(latency.overall),
    latencyByStepMs: latency.byStep.map((stats, i) => ({ step: stepNames[i]!, count: stats.count, ...latencySummary(stats) })),
    requests: { ...requests, lockWaitMs: roundTo(requests.lockWaitMs, 3) },
    ...shownBackends(
      load.backends.map((b, i) => ({
        name: result.backendNames[i]!,
        requests: b.requests,
        peakSessions: b.peakSessions,
        utilization: facts.endTimeMs > 0 ? roundTo(facts.busyTimeMs[i]! / (workers[i]! * facts.endTimeMs), 6) : 0,
      })),
    ),
    funnel: outcomes.funnel.map((sessions, i) => ({ step: stepNames[i]!, sessions })),
    revenue: roundTo(outcomes.revenue, 2),
    storeStats: {
      kind: facts.store.kind,
      reads: facts.store.reads,
      writes: facts.store.writes,
      hitRatio: facts.store.reads > 0 ? roundTo(facts.store.hits / facts.store.reads, 6) : 0,
      opsPerSec: seconds > 0 ? roundTo(storeOps / seconds, 3) : 0,
      evictions: facts.store.evictions,
      expirations: facts.store.expirations,
    },
    simulatedTimeMs: roundTo(facts.endTimeMs, 3),
    balancer: balancerSetup(spec),
    stickyCookie: spec.sticky ? { name: spec.sticky.cookie.name, maxAgeMs: spec.sticky.cookie.maxAge ?? null } : null,
    timeline: timelineOf(result),
    healthChecks: healthChecksOf(result),
  };
}

function healthChecksOf(result: StrategyResult): HealthCheckSummary | null {
  const detections = result.facts.detections;
  if (!detections) return null;
  const rows = detections.map((d) => ({ backend: result.backendNames[d.backend]!, failedAtMs: roundTo(d.failedAtMs, 3), detectedAtMs: roundTo(d.detectedAtMs, 3), delayMs: roundTo(d.detectedAtMs - d.failedAtMs, 3) }));
  return { detections: rows, meanDetectionDelayMs: rows.length === 0 ? null : roundTo(rows.reduce((a, r) => a + r.delayMs, 0) / rows.length, 3) };
}

function timelineOf(result: StrategyResult): StrategyTimeline {
  const { series } = result;
  return {
    windowMs: series.windowMs,
    ...(series.coarsenedFromMs === undefined ? {} : { coarsenedFromMs: series.coarsenedFromMs }),
    windows: series.windows.map((w) => ({ ...w, latencyP95Ms: roundTo(w.latencyP95Ms, 3) })),
    events: series.events.map((e) => ({ atMs: roundTo(e.atMs, 3), label: eventLabel(e, result.backendNames) })),
  };
}

/** A trace with its times rounded like every other figure of the summary. */
function roundedTrace(trace: SessionTrace): SessionTrace {
  return {
    ...trace,
    arrivalMs: roundTo(trace.arrivalMs, 3),
    strategies: trace.strategies.map((s) => ({
      ...s,
      endedAtMs: roundTo(s.endedAtMs, 3),
      requests: s.requests.map((r) => ({ ...r, sentAtMs: roundTo(r.sentAtMs, 3), latencyMs: roundTo(r.latencyMs, 3) })),
    })),
  };
}

/** Builds the summary.json document from a run (with `sample`, the story of one of its sessions). */
export function buildSummary(result: ScenarioResult, meta: SummaryMeta, sample: SessionTrace | null = null): Summary {
  const { scenario } = result;
  const stepNames = scenario.journey.steps.map((s) => s.name);
  const workers = scenario.backends.map((b) => b.workers);
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: { name: scenario.name, description: scenario.description ?? null, setup: scenarioSetup(scenario) },
    seed: scenario.seed,
    lbsimVersion: meta.lbsimVersion,
    generatedAt: meta.generatedAt,
    runTimeMs: Math.round(meta.runTimeMs),
    strategies: result.strategies.map((s) => strategySummary(s, stepNames, workers)),
    sampleSession: sample && { ...roundedTrace(sample), seed: scenario.seed },
  };
}
