/**
 * `summary.csv`: one row per strategy with the headline figures, for spreadsheets. Column names
 * are the summary.json paths (`latencyMs.p99`), so the two files read alike.
 */
import { stringify } from 'csv-stringify/sync';
import { BREAK_CAUSES } from '../model/index.js';
import type { StrategySummary, Summary } from './summary.js';

const COLUMNS: readonly [string, (s: StrategySummary) => string | number][] = [
  ['name', (s) => s.name],
  ['method', (s) => s.method],
  ['store', (s) => s.store],
  ['sticky', (s) => s.sticky ?? ''],
  ['sessions.total', (s) => s.sessions.total],
  ['sessions.completed', (s) => s.sessions.completed],
  ['sessions.abandoned', (s) => s.sessions.abandoned],
  ['sessions.broken', (s) => s.sessions.broken],
  ['breakageRate', (s) => s.breakageRate],
  ...BREAK_CAUSES.map((cause): [string, (s: StrategySummary) => number] => [`brokenByCause.${cause}`, (s) => s.brokenByCause[cause]]),
  ['failoverLoss.sessions', (s) => s.failoverLoss.sessions],
  ['failoverLoss.carts', (s) => s.failoverLoss.carts],
  ['failoverLoss.revenue', (s) => s.failoverLoss.revenue],
  ['revenue', (s) => s.revenue],
  ['skew.requestsMaxOverMean', (s) => s.skew.requestsMaxOverMean],
  ['skew.requestsCv', (s) => s.skew.requestsCv],
  ['latencyMs.mean', (s) => s.latencyMs.mean],
  ['latencyMs.p50', (s) => s.latencyMs.p50],
  ['latencyMs.p95', (s) => s.latencyMs.p95],
  ['latencyMs.p99', (s) => s.latencyMs.p99],
  ['latencyMs.max', (s) => s.latencyMs.max],
  ['requests.total', (s) => s.requests.total],
  ['requests.completed', (s) => s.requests.completed],
  ['requests.failed', (s) => s.requests.failed],
  ['requests.rejected', (s) => s.requests.rejected],
  ['requests.attempts', (s) => s.requests.attempts],
  ['requests.sentToDeadBackend', (s) => s.requests.sentToDeadBackend],
  ['requests.lostUpdates', (s) => s.requests.lostUpdates ?? 0],
  ['requests.lockWaits', (s) => s.requests.lockWaits ?? 0],
  ['requests.lockWaitMs', (s) => s.requests.lockWaitMs ?? 0],
  ['requests.lockTimeouts', (s) => s.requests.lockTimeouts ?? 0],
  ['storeStats.hitRatio', (s) => s.storeStats.hitRatio],
  ['storeStats.opsPerSec', (s) => s.storeStats.opsPerSec],
  // Added columns go last, so that a script reading columns by position still reads the old ones.
  ['failoverLoss.revenueLost', (s) => s.failoverLoss.revenueLost ?? ''],
];

/** Renders summary.csv (header line, then one line per strategy). */
export function renderCsv(summary: Summary): string {
  return stringify([COLUMNS.map(([name]) => name), ...summary.strategies.map((s) => COLUMNS.map(([, value]) => value(s)))]);
}
