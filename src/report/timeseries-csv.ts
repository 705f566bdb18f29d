/**
 * `timeseries.csv`: one row per strategy and window — attempts and live sessions per backend,
 * breakages by cause, failed requests, the window's coarse p95, and the timeline's events that
 * fell in the window — for plotting over time with the moments that explain its turns.
 */
import { stringify } from 'csv-stringify/sync';
import { BREAK_CAUSES } from '../model/index.js';
import type { StrategyTimeline, Summary } from './summary.js';

/** Between the events of one window in its `events` cell. */
const EVENT_SEPARATOR = '; ';

/**
 * The events of each window, labelled `at 90 s: app4:80 down (refusing connections)`: window k
 * holds times from its start up to the next window's. An event before the first window (a
 * warm-up's) goes to the first, one after the last window's start to the last, so none is lost.
 */
function eventsByWindow(timeline: StrategyTimeline): string[][] {
  const cells = timeline.windows.map((): string[] => []);
  for (const event of timeline.events) {
    const index = timeline.windows.findLastIndex((w) => w.startMs <= event.atMs);
    cells[Math.max(0, index)]?.push(`at ${Number((event.atMs / 1000).toFixed(3))} s: ${event.label}`);
  }
  return cells;
}

/** Renders timeseries.csv from the summary's per-strategy timelines (header only when none has one). */
export function renderTimeseriesCsv(summary: Summary): string {
  // Past LIMITS.backendDetail backends the windows hold totals over the backends, not a count each.
  const totals = summary.strategies.some((s) => s.backendsSummary !== undefined);
  const backends = totals ? [] : (summary.strategies[0]?.backends.map((b) => b.name) ?? []);
  const header = [
    'strategy',
    'startMs',
    ...(totals ? ['requests', 'sessions'] : []),
    ...backends.map((b) => `requests.${b}`),
    ...backends.map((b) => `sessions.${b}`),
    'breaks',
    ...BREAK_CAUSES.map((c) => `breaksByCause.${c}`),
    'failedRequests',
    'latencyP95Ms',
    'events',
  ];
  const rows = summary.strategies.flatMap((s) => {
    if (s.timeline === undefined) return [];
    const events = eventsByWindow(s.timeline);
    return s.timeline.windows.map((w, i) => [
      s.name,
      w.startMs,
      ...(totals ? [w.requests ?? '', w.sessions ?? ''] : []),
      ...w.requestsPerBackend,
      ...(w.sessionsPerBackend ?? backends.map(() => '')),
      w.breaks,
      ...BREAK_CAUSES.map((c) => w.breaksByCause?.[c] ?? 0),
      w.failedRequests ?? '',
      w.latencyP95Ms ?? '',
      events[i]!.join(EVENT_SEPARATOR),
    ]);
  });
  return stringify([header, ...rows]);
}
