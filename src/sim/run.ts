/**
 * Runs a scenario: every strategy (or the chosen ones) over the same seeded workload, each with a
 * fresh set of analyzers, and collects their results. Pure: no clock, no files; the CLI measures
 * wall time and writes the outputs.
 */
import type { SimTime } from '../engine/index.js';
import { measuredPeriod, runAnalyzers, defaultWindowMs, type SeriesBounds, type TimeSeries, type Latency, type LoadSkew, type RequestCounts, type SessionOutcomes } from '../analyzers/index.js';
import { everyEvent, fanOut, type ExportedSession, type SimEvent } from '../model/index.js';
import { LIMITS, type Scenario, type StrategySpec } from '../scenario/index.js';
import { runRng } from './rng.js';
import { StrategyRun, type RunFacts } from './strategy-run.js';

export interface StrategyResult {
  readonly spec: StrategySpec;
  readonly outcomes: SessionOutcomes;
  readonly load: LoadSkew;
  readonly latency: Latency;
  readonly requests: RequestCounts;
  readonly series: TimeSeries;
  readonly facts: RunFacts;
  /** Backend names in scenario order (the analyzers index backends by position). */
  readonly backendNames: readonly string[];
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly strategies: readonly StrategyResult[];
}

export interface RunOptions {
  /** Called after each strategy, e.g. for progress. */
  readonly onStrategyDone?: (name: string, index: number, total: number) => void;
  /** Called every few thousand arrivals within a strategy, for progress on long runs. */
  readonly onProgress?: (name: string, sessionsArrived: number, now: SimTime) => void;
  /** Extra observers of every event (tests, traces). */
  readonly observe?: (strategy: string, event: SimEvent) => void;
  /** Stop as soon as the session of this 0-based index has ended (a trace needs nothing after it). */
  readonly stopAfterSession?: number;
  /** Sessions to replay instead of generating them (`lbsim sessions` records, checked with `recordedSessionsProblem`). */
  readonly sessions?: readonly ExportedSession[];
}

/**
 * How a run's per-window series is kept (LIMITS): per-backend counts up to the backends detailed,
 * and at most LIMITS.seriesWindows windows, fewer when a strategy's per-backend values would pass
 * LIMITS.seriesValues (an even number, at least 2). It depends on the backends alone, so a
 * strategy's series is the same whichever strategies run beside it.
 */
export function seriesBounds(scenario: Scenario): SeriesBounds {
  const perBackend = scenario.backends.length <= LIMITS.backendDetail;
  const valuesPerWindow = 2 * (perBackend ? scenario.backends.length : 1);
  const fit = Math.floor(LIMITS.seriesValues / valuesPerWindow / 2) * 2;
  return { maxWindows: Math.max(2, Math.min(LIMITS.seriesWindows, fit)), perBackend };
}

/** Runs one strategy of the scenario. */
export function runStrategy(scenario: Scenario, spec: StrategySpec, options: RunOptions = {}): StrategyResult {
  const analyzers = runAnalyzers(scenario.journey.steps.length, scenario.backends.length, scenario.timeseriesWindowMs ?? defaultWindowMs(scenario.arrivals.referenceWindowMs), seriesBounds(scenario));
  const { observe: extra, stopAfterSession } = options;
  const analyze = analyzers.handlers;
  // Analyzers see only the measured period; extra observers (traces) see the warm-up too.
  const measured = scenario.warmupMs > 0 ? measuredPeriod(analyze) : analyze;
  let stop = () => {};
  const emit =
    extra || stopAfterSession !== undefined
      ? fanOut([
          measured,
          everyEvent((event: SimEvent) => {
            extra?.(spec.name, event);
            if (event.type === 'session-end' && event.session === stopAfterSession) stop();
          }),
        ])
      : measured;
  const progress = options.onProgress;
  const run = new StrategyRun(scenario, spec, runRng(scenario.seed), emit, progress ? (arrived, now) => progress(spec.name, arrived, now) : undefined, options.sessions);
  stop = () => run.stop();
  const facts = run.run();
  const end: SimTime = facts.endTimeMs;
  return { spec, ...analyzers.finish(end), facts: { ...facts, endTimeMs: end }, backendNames: scenario.backends.map((b) => b.name) };
}

/**
 * The scenario once per replication: replication i runs with the seed "<seed>/rep/<i>", so the
 * replications are independent and each can be reproduced from the scenario alone. One
 * replication is the scenario itself.
 */
export function replications(scenario: Scenario, count: number): Scenario[] {
  if (count === 1) return [scenario];
  return Array.from({ length: count }, (_, i) => ({ ...scenario, seed: `${scenario.seed}/rep/${i}` }));
}

/** Runs every strategy of the scenario, in file order. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const total = scenario.strategies.length;
  const strategies = scenario.strategies.map((spec, i) => {
    const result = runStrategy(scenario, spec, options);
    options.onStrategyDone?.(spec.name, i, total);
    return result;
  });
  return { scenario, strategies };
}
