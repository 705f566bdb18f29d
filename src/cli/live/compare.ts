/**
 * Measured against predicted, for one strategy: the prediction is lbsim's own run of the same
 * (renamed, scaled) scenario, its events kept per session and per request; the measurement is the
 * driver's answers and the balancer's log. Sessions are compared by outcome and by the class of
 * their cause that an answer can show (the backend had no state, older state, no store; or the
 * request failed); requests by the upstreams the balancer logged against lbsim's picks.
 */
import type { BreakCause, SimEvent } from '../../model/index.js';
import { buildSummary, type StrategySummary } from '../../report/index.js';
import type { Scenario, StrategySpec } from '../../scenario/index.js';
import { runStrategy } from '../../sim/index.js';
import { LBSIM_VERSION } from '../../version.js';
import type { DriveResult, MeasuredCause } from './driver.js';

/** lbsim's causes by what the live backend's answer shows of them. */
const CAUSE_CLASS: Readonly<Record<BreakCause, string>> = {
  'state-missing': 'missing',
  'backend-failed': 'missing',
  remapped: 'missing',
  failback: 'missing',
  'ip-changed': 'missing',
  expired: 'missing',
  evicted: 'missing',
  'state-stale': 'stale',
  'store-down': 'store-down',
  'request-failed': 'request-failed',
  'not-serializable': 'not-serializable',
  'coupled-moved': 'coupled-moved',
  'lost-update': 'lost-update',
};

/** The cause lbsim names for each class, in the measured figures. */
const CLASS_CAUSE: Readonly<Record<MeasuredCause, BreakCause>> = { missing: 'state-missing', stale: 'state-stale', 'store-down': 'store-down', 'request-failed': 'request-failed' };

interface SessionFate {
  readonly outcome: string;
  readonly cause: string | undefined;
  readonly stepsCompleted: number;
}

export interface Prediction {
  readonly summary: StrategySummary;
  readonly sessions: ReadonlyMap<number, SessionFate>;
  /** Per request id (`<session>.<step>.<k>`): the backends tried, in order. */
  readonly attempts: ReadonlyMap<string, readonly string[]>;
  readonly backendMs: number;
}

export function predict(scenario: Scenario, spec: StrategySpec, generatedAt: Date): Prediction {
  const names = scenario.backends.map((b) => b.name);
  const sessions = new Map<number, SessionFate>();
  const attempts = new Map<string, string[]>();
  const idOf = new Map<number, string>();
  const perStep = new Map<string, number>();
  let servedMs = 0;
  let served = 0;
  const observe = (_: string, e: SimEvent) => {
    if (e.type === 'request-start') {
      const step = `${e.session}.${e.step}`;
      const k = perStep.get(step) ?? 0;
      perStep.set(step, k + 1);
      idOf.set(e.req, `${step}.${k}`);
      attempts.set(`${step}.${k}`, []);
    } else if (e.type === 'attempt-end') attempts.get(idOf.get(e.req)!)?.push(names[e.backend]!);
    else if (e.type === 'request-end') {
      if (e.outcome === 'completed') {
        servedMs += e.latencyMs;
        served++;
      }
      idOf.delete(e.req);
    } else if (e.type === 'session-end') sessions.set(e.session, { outcome: e.outcome, cause: e.cause === undefined ? undefined : CAUSE_CLASS[e.cause], stepsCompleted: e.stepsCompleted });
  };
  const result = runStrategy(scenario, spec, { observe });
  const summary = buildSummary({ scenario, strategies: [result] }, { lbsimVersion: LBSIM_VERSION, generatedAt: generatedAt.toISOString(), runTimeMs: 0 }, null).strategies[0]!;
  return { summary, sessions, attempts, backendMs: served === 0 ? 0 : servedMs / served };
}

/** One request as the balancer logged it: the upstreams tried, and the failed attempts among them. */
export interface LoggedRequest {
  readonly upstreams: readonly string[];
  readonly failedAttempts: number;
  readonly retries: number;
}

/** nginx's JSON access log: `$upstream_addr` and `$upstream_status` list every attempt. */
export function parseNginxLog(text: string): Map<string, LoggedRequest> {
  const logged = new Map<string, LoggedRequest>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { id: string; upstream: string; status: string };
    const upstreams = entry.upstream.split(/[,:]\s+|,\s*/).filter((u) => u !== '' && u !== '-');
    const statuses = entry.status.split(/[,:]\s*/).filter((s) => s !== '' && s !== '-');
    logged.set(entry.id, { upstreams, failedAttempts: statuses.filter((s) => s === '502' || s === '504').length, retries: Math.max(0, upstreams.length - 1) });
  }
  return logged;
}

/** HAProxy's log lines (the format of configs.ts): the server that answered, and the retries. */
export function parseHaproxyLog(text: string): Map<string, LoggedRequest> {
  const logged = new Map<string, LoggedRequest>();
  for (const line of text.split('\n')) {
    const start = line.indexOf('{"id"');
    if (start < 0) continue;
    const entry = JSON.parse(line.slice(start)) as { id: string; upstream: string; code: string; retries: string };
    const retries = Number(entry.retries.replace('+', '')) || 0;
    const answered = entry.upstream.startsWith('127.0.0.1:') && !entry.upstream.endsWith(':0');
    logged.set(entry.id, { upstreams: answered ? [entry.upstream] : [], failedAttempts: retries + (entry.code === '503' && !answered ? 1 : 0), retries });
  }
  return logged;
}

export interface DifferingSession {
  readonly session: number;
  readonly predicted: SessionFate;
  readonly measured: SessionFate;
  /** Per request: lbsim's picks, then the logged upstreams. */
  readonly story: readonly { readonly request: string; readonly predicted: readonly string[]; readonly measured: readonly string[] }[];
}

export interface Measured {
  readonly sessions: { readonly total: number; readonly completed: number; readonly abandoned: number; readonly broken: number };
  readonly brokenByCause: Readonly<Record<string, number>>;
  readonly requests: { readonly total: number; readonly completed: number; readonly failed: number; readonly attempts: number; readonly sentToDeadBackend: number; readonly retries: number };
  readonly backends: readonly { readonly name: string; readonly requests: number }[];
  readonly latencyMs: { readonly mean: number; readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly backendMs: number;
}

export interface StrategyComparison {
  readonly name: string;
  readonly balancer: 'nginx' | 'haproxy';
  readonly comparedBy: 'sessions' | 'counts';
  readonly predicted: StrategySummary & { readonly backendMs: number; readonly retries: number };
  readonly measured: Measured;
  readonly sessionsDiffering: number;
  readonly differing: readonly DifferingSession[];
  readonly routeAgreement: number;
  readonly routesCompared: number;
  /** The first requests whose logged upstream is not lbsim's pick. */
  readonly routeMismatches: readonly { readonly request: string; readonly predicted: readonly string[]; readonly measured: readonly string[] }[];
  readonly hopMs: number;
  readonly meanLateMs: number;
  readonly valid: boolean;
  readonly invalidReason?: string;
}

/** Arrivals later than this on average make a run invalid: the load was not the scenario's. */
export const MAX_MEAN_LATE_MS = 5;

const quantile = (sorted: readonly number[], q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

export function compare(scenario: Scenario, spec: StrategySpec, balancer: 'nginx' | 'haproxy', timingDependent: boolean, prediction: Prediction, drive: DriveResult, logged: ReadonlyMap<string, LoggedRequest>): StrategyComparison {
  const names = scenario.backends.map((b) => b.name);
  const measuredFate = new Map(drive.sessions.map((s) => [s.index, { outcome: s.outcome, cause: s.cause, stepsCompleted: s.stepsCompleted }]));
  const differing: DifferingSession[] = [];
  for (const [index, predicted] of prediction.sessions) {
    const measured = measuredFate.get(index);
    if (measured === undefined) continue;
    if (measured.outcome === predicted.outcome && measured.cause === predicted.cause && measured.stepsCompleted === predicted.stepsCompleted) continue;
    const story = [...prediction.attempts].filter(([id]) => id.startsWith(`${index}.`)).map(([id, picks]) => ({ request: id, predicted: picks, measured: logged.get(id)?.upstreams ?? [] }));
    differing.push({ session: index, predicted, measured, story });
  }
  // Routes: the balancer's pick for each request sent on both sides. nginx logs every attempt
  // (its first is the pick); HAProxy logs the server that answered, after any redispatch. The
  // attempts after a failure depend on when the failure was seen, and are compared as counts.
  let agree = 0;
  let compared = 0;
  const routeMismatches: { request: string; predicted: readonly string[]; measured: readonly string[] }[] = [];
  for (const [id, log] of logged) {
    const picks = prediction.attempts.get(id);
    if (picks === undefined || picks.length === 0) continue;
    compared++;
    const expected = balancer === 'nginx' ? picks[0] : picks[picks.length - 1];
    const measured = balancer === 'nginx' ? log.upstreams[0] : log.upstreams[log.upstreams.length - 1];
    if (expected === measured) agree++;
    else if (routeMismatches.length < 20) routeMismatches.push({ request: id, predicted: picks, measured: log.upstreams });
  }
  const answered = drive.requests.filter((r) => r.backendMs !== undefined);
  const latencies = drive.requests.map((r) => r.latencyMs).sort((a, b) => a - b);
  const perBackend = new Map(names.map((n) => [n, 0]));
  for (const r of answered) perBackend.set(r.backend!, (perBackend.get(r.backend!) ?? 0) + 1);
  const byCause: Record<string, number> = {};
  for (const s of drive.sessions) if (s.cause !== undefined) byCause[CLASS_CAUSE[s.cause]] = (byCause[CLASS_CAUSE[s.cause]] ?? 0) + 1;
  const logs = [...logged.values()];
  const backendMs = answered.length === 0 ? 0 : answered.reduce((sum, r) => sum + r.backendMs!, 0) / answered.length;
  const hopMs = answered.length === 0 ? 0 : answered.reduce((sum, r) => sum + r.latencyMs - r.backendMs!, 0) / answered.length;
  const meanLateMs = drive.sessions.length === 0 ? 0 : drive.sessions.reduce((sum, s) => sum + s.lateMs, 0) / drive.sessions.length;
  const count = (outcome: string) => drive.sessions.filter((s) => s.outcome === outcome).length;
  const measured: Measured = {
    sessions: { total: drive.sessions.length, completed: count('completed'), abandoned: count('abandoned'), broken: count('broken') },
    brokenByCause: byCause,
    requests: {
      total: drive.requests.length,
      completed: drive.requests.filter((r) => r.status === 200).length,
      failed: drive.requests.filter((r) => r.status !== 200).length,
      attempts: logs.reduce((sum, l) => sum + Math.max(1, l.upstreams.length), 0),
      sentToDeadBackend: logs.reduce((sum, l) => sum + l.failedAttempts, 0),
      retries: logs.reduce((sum, l) => sum + l.retries, 0),
    },
    backends: names.map((name) => ({ name, requests: perBackend.get(name) ?? 0 })),
    latencyMs: { mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)), p50: round(quantile(latencies, 0.5)), p95: round(quantile(latencies, 0.95)), p99: round(quantile(latencies, 0.99)), max: round(latencies[latencies.length - 1] ?? 0) },
    backendMs: round(backendMs),
  };
  const valid = meanLateMs <= MAX_MEAN_LATE_MS;
  const predictedRetries = [...prediction.attempts.values()].reduce((sum, a) => sum + Math.max(0, a.length - 1), 0);
  return {
    name: spec.name,
    balancer,
    comparedBy: timingDependent ? 'counts' : 'sessions',
    predicted: { ...prediction.summary, backendMs: round(prediction.backendMs), retries: predictedRetries },
    measured,
    sessionsDiffering: differing.length,
    differing,
    routeAgreement: compared === 0 ? 0 : round(agree / compared, 4),
    routesCompared: compared,
    routeMismatches,
    hopMs: round(hopMs),
    meanLateMs: round(meanLateMs),
    valid,
    ...(valid ? {} : { invalidReason: `arrivals started ${meanLateMs.toFixed(1)} ms late on average (more than ${MAX_MEAN_LATE_MS} ms): the machine could not keep the scenario's pace; try a smaller --time-scale` }),
  };
}
