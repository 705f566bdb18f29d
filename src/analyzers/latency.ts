/**
 * Response time of completed client requests (from the moment the client sends it to the moment
 * the answer arrives: retries, queueing, service and store round trips included), overall and per
 * step. Percentiles from fixed log-linear histograms over microseconds (HdrHistogram's layout):
 * overall at 3 significant digits (within 0.1% of the exact value), per step at 2 (within 0.8%),
 * whose six small tables stay in cache where six fine ones did not; mean and max are exact.
 */
import { IGNORED, type EventHandling } from '../model/index.js';
import type { Analyzer } from './analyzer.js';
import { Histogram } from './stats/histogram.js';

export interface LatencyStats {
  readonly count: number;
  readonly mean: number;
  readonly max: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface Latency {
  readonly overall: LatencyStats;
  /** Per step, in journey order. */
  readonly byStep: readonly LatencyStats[];
}

/** Per-step percentiles: 2 significant digits (see above). */
const STEP_PRECISION_BITS = 7;

/** The figures of a histogram (µs) whose values add up to `sum` ms, the largest `max` ms. */
function statsOf(histogram: Histogram, sum: number, max: number): LatencyStats {
  const count = histogram.count;
  // A bucket's top may lie above every value recorded in it: no percentile exceeds the exact max.
  const at = (q: number) => (count === 0 ? 0 : Math.min(histogram.valueAtPercentile(q) / 1000, max));
  return { count, mean: count === 0 ? 0 : sum / count, max, p50: at(50), p95: at(95), p99: at(99) };
}

export class LatencyAnalyzer implements Analyzer<Latency> {
  readonly name = 'latency';
  // Every request is recorded in its step's histogram and in the fine overall one; the overall
  // sum and max follow from the steps'.
  private readonly overall = new Histogram();
  private readonly stepHistograms: Histogram[];
  /** Per step: exact sum and max (ms). */
  private readonly stepSums: Float64Array;
  private readonly stepMaxes: Float64Array;

  constructor(steps: number) {
    this.stepHistograms = Array.from({ length: steps }, () => new Histogram(STEP_PRECISION_BITS));
    this.stepSums = new Float64Array(steps);
    this.stepMaxes = new Float64Array(steps);
  }

  readonly on: EventHandling = {
    'session-start': IGNORED,
    'request-start': IGNORED,
    'attempt-end': IGNORED,
    'request-end': (event) => {
      if (event.outcome !== 'completed') return;
      const ms = event.latencyMs;
      const step = event.step;
      this.stepSums[step]! += ms;
      if (ms > this.stepMaxes[step]!) this.stepMaxes[step] = ms;
      // Whole microseconds, as the histograms keep them: an integer is passed to a call without
      // being boxed, where a fraction would be a new heap number per request.
      const us = Math.round(ms * 1000);
      this.overall.record(us);
      this.stepHistograms[step]!.record(us);
    },
    'session-end': IGNORED,
    'backend-state': IGNORED,
    'scenario-event': IGNORED,
  };

  finish(): Latency {
    const sum = this.stepSums.reduce((total, stepSum) => total + stepSum, 0);
    const max = this.stepMaxes.reduce((largest, stepMax) => Math.max(largest, stepMax), 0);
    return { overall: statsOf(this.overall, sum, max), byStep: this.stepHistograms.map((histogram, k) => statsOf(histogram, this.stepSums[k]!, this.stepMaxes[k]!)) };
  }
}
