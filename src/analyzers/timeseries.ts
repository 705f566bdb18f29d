/**
 * Per-window series over simulated time: attempts and live sessions per backend, breakages by
 * cause, failed requests and a coarse latency p95 per window, plus the timeline's events with their
 * times. Memory is one small record per window (a run has a few hundred), never per request.
 */
import { BREAK_CAUSES, IGNORED, type BackendMode, type BreakCause, type EventHandling, type ScenarioChange } from '../model/index.js';
import type { Analyzer } from './analyzer.js';
import { CoarseHistogram } from './stats/coarse-histogram.js';
import type { SessionHomes } from './session-homes.js';

export interface SeriesWindow {
  readonly startMs: number;
  /** Attempts sent to each backend during the window. */
  readonly requestsPerBackend: readonly number[];
  /** Live sessions whose latest request each backend served, at the end of the window. */
  readonly sessionsPerBackend: readonly number[];
  readonly breaks: number;
  /** Only the causes that occurred in the window. */
  readonly breaksByCause: Readonly<Partial<Record<BreakCause, number>>>;
  readonly failedRequests: number;
  /** Coarse (±19%) p95 response time of the window's completed requests, ms. */
  readonly latencyP95Ms: number;
}

/** What a series event records: a backend's new mode, or another change (the report words both). */
export type SeriesChange = { readonly kind: 'mode'; readonly mode: BackendMode } | ScenarioChange;

export interface SeriesEvent {
  readonly atMs: number;
  /** The backend's index, or −1 for the shared cache. */
  readonly backend: number;
  readonly change: SeriesChange;
}

export interface TimeSeries {
  readonly windowMs: number;
  readonly windows: readonly SeriesWindow[];
  readonly events: readonly SeriesEvent[];
}

class WindowTally {
  readonly requests: Float64Array;
  readonly causes = new Float64Array(BREAK_CAUSES.length);
  readonly latency = new CoarseHistogram();
  breaks = 0;
  failed = 0;
  sessions: number[] = [];
  constructor(backends: number) {
    this.requests = new Float64Array(backends);
  }
}

const CAUSE_INDEX = new Map<BreakCause, number>(BREAK_CAUSES.map((c, i) => [c, i]));

export class TimeSeriesAnalyzer implements Analyzer<TimeSeries> {
  readonly name = 'timeseries';
  private readonly windows: WindowTally[] = [];
  private readonly events: SeriesEvent[] = [];
  /** The latest window, and where it ends: window k holds times from k·windowMs up to (k + 1)·windowMs. */
  private current: WindowTally | undefined = undefined;
  private currentEnd = 0;

  /**
   * `homes`: the run's session homes. A window's live counts are read from them when the first
   * event past its end arrives, so they must see each event after this analyzer does (see
   * `runAnalyzers`).
   */
  constructor(
    private readonly backends: number,
    readonly windowMs: number,
    private readonly homes: SessionHomes,
  ) {}

  readonly on: EventHandling = {
    'session-start': (event) => {
      this.windowAt(event.t);
    },
    'request-start': IGNORED,
    'attempt-end': (event) => {
      this.windowAt(event.t).requests[event.backend]!++;
    },
    'request-end': (event) => {
      const window = this.windowAt(event.t);
      if (event.outcome === 'completed') window.latency.record(event.latencyMs * 1000);
      else window.failed++;
    },
    'session-end': (event) => {
      const window = this.windowAt(event.t);
      if (event.cause) {
        window.breaks++;
        window.causes[CAUSE_INDEX.get(event.cause)!]!++;
      }
    },
    'backend-state': (event) => {
      this.windowAt(event.t);
      this.events.push({ atMs: event.t, backend: event.backend, change: { kind: 'mode', mode: event.mode } });
    },
    'scenario-event': (event) => {
      this.windowAt(event.t);
      // The change is a fresh value, never modified: it may be kept (the event may not).
      this.events.push({ atMs: event.t, backend: event.backend, change: event.change });
    },
  };

  finish(endTime: number): TimeSeries {
    this.windowAt(endTime);
    this.closeWindow();
    return {
      windowMs: this.windowMs,
      windows: this.windows.map((w, i) => {
        const breaksByCause: Partial<Record<BreakCause, number>> = {};
        BREAK_CAUSES.forEach((cause, c) => {
          if (w.causes[c]! > 0) breaksByCause[cause] = w.causes[c]!;
        });
        return {
          startMs: i * this.windowMs,
          requestsPerBackend: [...w.requests],
          sessionsPerBackend: w.sessions,
          breaks: w.breaks,
          breaksByCause,
          failedRequests: w.failed,
          latencyP95Ms: w.latency.valueAtPercentile(95) / 1000,
        };
      }),
      events: this.events,
    };
  }

  /**
   * The window holding time `t`, opening windows up to it (closing each with a snapshot of live
   * sessions). Events come in time order, so `t` is always in the latest window or a later one.
   */
  private windowAt(t: number): WindowTally {
    // Small enough for V8 to inline into each handler (a time passed to a call is boxed); the
    // window changes only every few thousand events.
    if (t >= this.currentEnd) this.openWindowsTo(t);
    return this.current!;
  }

  private openWindowsTo(t: number): void {
    while (t >= this.currentEnd) {
      this.closeWindow();
      this.current = new WindowTally(this.backends);
      this.windows.push(this.current);
      this.currentEnd = this.windows.length * this.windowMs;
    }
  }

  private closeWindow(): void {
    const last = this.windows[this.windows.length - 1];
    if (last) last.sessions = [...this.homes.live];
  }
}

/** A window length giving at most about `maxWindows` windows over `spanMs`, rounded to a readable value. */
export function defaultWindowMs(spanMs: number, maxWindows = 200): number {
  const NICE = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
  const wanted = spanMs / maxWindows;
  return NICE.find((w) => w >= wanted) ?? Math.ceil(wanted / 3_600_000) * 3_600_000;
}
