/**
 * Load per backend: attempts routed to each (what the backend was sent, answered or not), and the
 * peak number of live sessions whose latest request each backend served. Skew is summarised as
 * max/mean and the coefficient of variation (population standard deviation / mean) of requests
 * over all backends of the pool.
 */
import { IGNORED, type EventHandling } from '../model/index.js';
import type { Analyzer } from './analyzer.js';
import type { SessionHomes } from './session-homes.js';

export interface BackendLoad {
  readonly requests: number;
  readonly peakSessions: number;
}

export interface LoadSkew {
  readonly backends: readonly BackendLoad[];
  readonly requestsMaxOverMean: number;
  readonly requestsCv: number;
}

export class LoadSkewAnalyzer implements Analyzer<LoadSkew> {
  readonly name = 'load-skew';
  private readonly requests: Float64Array;

  /** `homes`: the run's session homes, fed the same events (the peaks come from there). */
  constructor(
    backends: number,
    private readonly homes: SessionHomes,
  ) {
    this.requests = new Float64Array(backends);
  }

  readonly on: EventHandling = {
    'session-start': IGNORED,
    'request-start': IGNORED,
    'attempt-end': (event) => {
      this.requests[event.backend]!++;
    },
    'request-end': IGNORED,
    'session-end': IGNORED,
    'backend-state': IGNORED,
    'scenario-event': IGNORED,
  };

  finish(): LoadSkew {
    const counts = [...this.requests];
    const { maxOverMean, cv } = skewOf(counts);
    return {
      backends: counts.map((requests, i) => ({ requests, peakSessions: this.homes.peaks[i]! })),
      requestsMaxOverMean: maxOverMean,
      requestsCv: cv,
    };
  }
}

/** max/mean and coefficient of variation of a list of loads (0 and 0 for an all-zero list). */
export function skewOf(values: readonly number[]): { readonly maxOverMean: number; readonly cv: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (!(mean > 0)) return { maxOverMean: 0, cv: 0 };
  const variance = values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / n;
  return { maxOverMean: Math.max(...values) / mean, cv: Math.sqrt(variance) / mean };
}
