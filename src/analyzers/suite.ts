/**
 * The analyzers of one strategy's run, wired in the one order that is right: the time series
 * reads the session homes' live counts when a window closes, which happens as the first event
 * past the window's end arrives, so it must see every event before the homes apply it.
 */
import type { SimTime } from '../engine/index.js';
import { fanOut, type EventHandlers } from '../model/index.js';
import { LatencyAnalyzer, type Latency } from './latency.js';
import { LoadSkewAnalyzer, type LoadSkew } from './load-skew.js';
import { RequestsAnalyzer, type RequestCounts } from './requests.js';
import { SessionHomes } from './session-homes.js';
import { SessionOutcomesAnalyzer, type SessionOutcomes } from './session-outcomes.js';
import { TimeSeriesAnalyzer, type SeriesBounds, type TimeSeries } from './timeseries.js';

export interface RunMetrics {
  readonly outcomes: SessionOutcomes;
  readonly load: LoadSkew;
  readonly latency: Latency;
  readonly requests: RequestCounts;
  readonly series: TimeSeries;
}

export interface RunAnalyzers {
  /** Feed every event of the run here. */
  readonly handlers: EventHandlers;
  /** The results, once the run has ended at `endTime`. */
  finish(endTime: SimTime): RunMetrics;
}

/** Fresh analyzers for a run of `steps` journey steps over `backends` backends; `bounds` shape the time series. */
export function runAnalyzers(steps: number, backends: number, windowMs: number, bounds: SeriesBounds): RunAnalyzers {
  const homes = new SessionHomes(backends);
  const outcomes = new SessionOutcomesAnalyzer(steps);
  const series = new TimeSeriesAnalyzer(backends, windowMs, homes, bounds);
  const load = new LoadSkewAnalyzer(backends, homes);
  const latency = new LatencyAnalyzer(steps);
  const requests = new RequestsAnalyzer(steps);
  return {
    handlers: fanOut([outcomes.on, series.on, homes.on, load.on, latency.on, requests.on]),
    finish: (endTime) => ({ outcomes: outcomes.finish(), load: load.finish(), latency: latency.finish(), requests: requests.finish(), series: series.finish(endTime) }),
  };
}
