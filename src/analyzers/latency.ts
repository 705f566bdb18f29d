/**
 * Response time of completed client requests (from the moment the client sends it to the moment
 * the answer arrives: retries, queueing, service and store round trips included), overall and per
 * step. Percentiles from a fixed log-linear histogram over microseconds (HdrHistogram's layout at
 * 3 significant digits: p50/p95/p99 within 0.1% of the exact value); mean and max are exact.
 */
import type { SomeEventHandlers } from '../model/index.js';
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

class LatencyTally {
  readonly histogram = new Histogram();
  count = 0;
  sum = 0;
  max = 0;

  record(latencyMs: number): void {
    this.count++;
    this.sum += latencyMs;
    if (latencyMs > this.max) this.max = latencyMs;
    this.histogram.record(latencyMs * 1000);
  }

  /** Adds another tally's records to this one. */
  merge(other: LatencyTally): void {
    this.histogram.add(other.histogram);
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  stats(): LatencyStats {
    const at = (q: number) => (this.count === 0 ? 0 : this.histogram.valueAtPercentile(q) / 1000);
    return { count: this.count, mean: this.count === 0 ? 0 : this.sum / this.count, max: this.max, p50: at(50), p95: at(95), p99: at(99) };
  }
}

export class LatencyAnalyzer implements Analyzer<Latency> {
  readonly name = 'latency';
  // Each request is recorded once, in its step's tally; the overall figures merge them at the end.
  private readonly byStep: LatencyTally[];

  constructor(steps: number) {
    this.byStep = Array.from({ length: steps }, () => new LatencyTally());
  }

  readonly on: SomeEventHandlers = {
    'request-end': (event) => {
      if (event.outcome === 'completed') this.byStep[event.step]!.record(event.latencyMs);
    },
  };

  finish(): Latency {
    const overall = new LatencyTally();
    for (const tally of this.byStep) overall.merge(tally);
    return { overall: overall.stats(), byStep: this.byStep.map((t) => t.stats()) };
  }
}
