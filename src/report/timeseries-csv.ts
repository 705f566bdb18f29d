/**
 * `timeseries.csv`: one row per strategy and window — attempts and live sessions per backend,
 * breakages by cause, failed requests and the window's coarse p95 — for plotting over time.
 */
import { stringify } from 'csv-stringify/sync';
import { BREAK_CAUSES } from '../model/index.js';
import type { Summary } from './summary.js';

/** Renders timeseries.csv from the summary's per-strategy timelines (header only when none has one). */
export function renderTimeseriesCsv(summary: Summary): string {
  const backends = summary.strategies[0]?.backends.map((b) => b.name) ?? [];
  const header = [
    'strategy',
    'startMs',
    ...backends.map((b) => `requests.${b}`),
    ...backends.map((b) => `sessions.${b}`),
    'breaks',
    ...BREAK_CAUSES.map((c) => `breaksByCause.${c}`),
    'failedRequests',
    'latencyP95Ms',
  ];
  const rows = summary.strategies.flatMap((s) =>
    (s.timeline?.windows ?? []).map((w) => [
      s.name,
      w.startMs,
      ...w.requestsPerBackend,
      ...(w.sessionsPerBackend ?? backends.map(() => '')),
      w.breaks,
      ...BREAK_CAUSES.map((c) => w.breaksByCause?.[c] ?? 0),
      w.failedRequests ?? '',
      w.latencyP95Ms ?? '',
    ]),
  );
  return stringify([header, ...rows]);
}
