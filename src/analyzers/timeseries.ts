/**
 * Per-window series over simulated time: attempts and live sessions per backend, breakages by
 * cause, failed requests and a coarse latency p95 per window, plus the timeline's events with their
 * times. Memory is one small record per window, never per request, and the windows are bounded:
 * a run that stretches time (an event a day in, a heavy-tailed service time) merges neighbouring
 * windows in pairs, doubling the window, whenever it would pass `maxWindows`; the series says so
 * (`coarsenedFromMs`). Past the backends it details, a window holds totals over the backends
 * instead of one count per backend, so memory does not grow with windows × backends.
 */
import { BREAK_CAUSES, IGNORED, type BackendMode, type BreakCause, type EventHandling, type ScenarioChange } from '../model/index.js';
import type { Analyzer } from './analyzer.js';
import { CoarseHistogram } from './stats/coarse-histogram.js';
import type { SessionHomes } from './session-homes.js';

export interface SeriesWindow {
  readonly startMs: number;
  /** Attempts sent to each backend during the window (empty when the series keeps totals only). */
  readonly requestsPerBackend: readonly number[];
  /** Live sessions whose latest request each backend served, at the end of the window (empty likewise). */
  readonly sessionsPerBackend: readonly number[];
  /** Without per-backend counts: attempts to all backends during the window, and live sessions at its end. */
  readonly requests?: number;
  readonly sessions?: number;
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
  /** The window asked for, when the run was long enough to need wider ones. */
  readonly coarsenedFromMs?: number;
  readonly windows: readonly SeriesWindow[];
  readonly events: readonly SeriesEvent[];
}

/** How the series is kept: the most windows, and whether each backend gets counts of its own. */
export interface SeriesBounds {
  /** Even, so that a full series merges into whole pairs. */
  readonly maxWindows: number;
  readonly perBackend: boolean;
}

class WindowTally {
  /** Attempts per backend (one slot, the total, without per-backend counts). */
  readonly requests: Float64Array;
  readonly causes = new Float64Array(BREAK_CAUSES.length);
  readonly latency = new CoarseHistogram();
  breaks = 0;
  failed = 0;
  sessions: number[] = [];
  constructor(slots: number) {
    this.requests = new Float64Array(slots);
  }

  /** Adds the later window `next` to this one: counts sum, the live sessions are those at its end. */
  absorb(next: WindowTally): void {
    for (let i = 0; i < this.requests.length; i++) this.requests[i]! += next.requests[i]!;
    for (let i = 0; i < this.causes.length; i++) this.causes[i]! += next.causes[i]!;
    this.latency.add(next.latency);
    this.breaks += next.breaks;
    this.failed += next.failed;
    this.sessions = next.sessions;
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
  private windowMs: number;
  private readonly maxWindows: number;
  private readonly perBackend: boolean;
  /** Where an attempt to backend b is counted: b, or 0 (the total) without per-backend counts. */
  private readonly slotMask: number;

  /**
   * `homes`: the run's session homes. A window's live counts are read from them when the first
   * event past its end arrives, so they must see each event after this analyzer does (see
   * `runAnalyzers`).
   */
  constructor(
    private readonly backends: number,
    private readonly askedWindowMs: number,
    private readonly homes: SessionHomes,
    bounds: SeriesBounds,
  ) {
    this.windowMs = askedWindowMs;
    this.maxWindows = Math.max(2, bounds.maxWindows);
    this.perBackend = bounds.perBackend;
    this.slotMask = this.perBackend ? -1 : 0;
  }

  readonly on: EventHandling = {
    'session-start': (event) => {
      this.windowAt(event.t);
    },
    'request-start': IGNORED,
    'attempt-end': (event) => {
      this.windowAt(event.t).requests[event.backend & this.slotMask]!++;
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
      ...(this.windowMs === this.askedWindowMs ? {} : { coarsenedFromMs: this.askedWindowMs }),
      windows: this.windows.map((w, i) => {
        const breaksByCause: Partial<Record<BreakCause, number>> = {};
        BREAK_CAUSES.forEach((cause, c) => {
          if (w.causes[c]! > 0) breaksByCause[cause] = w.causes[c]!;
        });
        const counts = this.perBackend
          ? { requestsPerBackend: [...w.requests], sessionsPerBackend: w.sessions }
          : { requestsPerBackend: [], sessionsPerBackend: [], requests: w.requests[0]!, sessions: w.sessions[0] ?? 0 };
        return {
          startMs: i * this.windowMs,
          ...counts,
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
      if (this.windows.length === this.maxWindows) this.coarsen();
      // Far ahead of the last window: coarsen until t falls within the windows allowed, then open those.
      while (t >= this.maxWindows * this.windowMs) this.coarsen();
      this.current = new WindowTally(this.perBackend ? this.backends : 1);
      this.windows.push(this.current);
      this.currentEnd = this.windows.length * this.windowMs;
    }
  }

  /** Merges windows in pairs and doubles the window; an unpaired last window becomes the first half of its own. */
  private coarsen(): void {
    const merged: WindowTally[] = [];
    for (let i = 0; i < this.windows.length; i += 2) {
      const first = this.windows[i]!;
      const second = this.windows[i + 1];
      if (second) first.absorb(second);
      merged.push(first);
    }
    this.windows.length = 0;
    this.windows.push(...merged);
    this.windowMs *= 2;
  }

  private closeWindow(): void {
    const last = this.windows[this.windows.length - 1];
    if (!last) return;
    const live = this.homes.live;
    if (this.perBackend) last.sessions = [...live];
    else {
      let total = 0;
      for (let b = 0; b < live.length; b++) total += live[b]!;
      last.sessions = [total];
    }
  }
}

/** A window length giving at most about `maxWindows` windows over `spanMs`, rounded to a readable value. */
export function defaultWindowMs(spanMs: number, maxWindows = 200): number {
  const NICE = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
  const wanted = spanMs / maxWindows;
  return NICE.find((w) => w >= wanted) ?? Math.ceil(wanted / 3_600_000) * 3_600_000;
}
