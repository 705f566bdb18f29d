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
import { replications, runStrategy } from '../../sim/index.js';
import { LBSIM_VERSION } from '../../version.js';
import { balancerOf } from './configs.js';
import type { DriveResult } from './driver.js';
import { measuredSummary } from './measured-summary.js';
import type { LiveSession } from './sessions.js';
import type { MovedMoment } from './quiet-moments.js';
import { countChecks, predictedCounts, type CountCheck } from './counts.js';

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
  /** Per backend in scenario order: requests it answered (any status). */
  readonly answers: readonly number[];
  /** When lbsim sends each step (`<session>.<step>`), ms: the live driver sends it then. */
  readonly stepStartMs: ReadonlyMap<string, number>;
}

export function predict(scenario: Scenario, spec: StrategySpec, generatedAt: Date): Prediction {
  const names = scenario.backends.map((b) => b.name);
  const sessions = new Map<number, SessionFate>();
  const attempts = new Map<string, string[]>();
  const idOf = new Map<number, string>();
  const perStep = new Map<string, number>();
  let servedMs = 0;
  let served = 0;
  const answers = names.map(() => 0);
  const stepStartMs = new Map<string, number>();
  const observe = (_: string, e: SimEvent) => {
    if (e.type === 'request-start') {
      const step = `${e.session}.${e.step}`;
      const k = perStep.get(step) ?? 0;
      if (k === 0) stepStartMs.set(step, e.t);
      perStep.set(step, k + 1);
      idOf.set(e.req, `${step}.${k}`);
      attempts.set(`${step}.${k}`, []);
    } else if (e.type === 'attempt-end') attempts.get(idOf.get(e.req)!)?.push(names[e.backend]!);
    else if (e.type === 'request-end') {
      if (e.backend >= 0) answers[e.backend]!++;
      if (e.outcome === 'completed') {
        servedMs += e.latencyMs;
        served++;
      }
      idOf.delete(e.req);
    } else if (e.type === 'session-end') sessions.set(e.session, { outcome: e.outcome, cause: e.cause === undefined ? undefined : CAUSE_CLASS[e.cause], stepsCompleted: e.stepsCompleted });
  };
  const result = runStrategy(scenario, spec, { observe });
  const summary = buildSummary({ scenario, strategies: [result] }, { lbsimVersion: LBSIM_VERSION, generatedAt: generatedAt.toISOString(), runTimeMs: 0 }, null).strategies[0]!;
  return { summary, sessions, attempts, backendMs: served === 0 ? 0 : servedMs / served, answers, stepStartMs };
}

/** Replications besides the seed's own run, for the methods compared by counts (counts.ts). */
export const LIVE_REPLICATIONS = 10;

/** lbsim's replications of the strategy (seeds `<seed>/rep/<i>`), the seed's own run not among them. */
export function predictReplications(scenario: Scenario, spec: StrategySpec, generatedAt: Date): Prediction[] {
  return replications(scenario, LIVE_REPLICATIONS).map((s) => predict(s, spec, generatedAt));
}

/** One request as the balancer logged it: the upstreams tried, and the failed attempts among them (their upstream undefined where the log does not name it). */
export interface LoggedRequest {
  readonly upstreams: readonly string[];
  readonly failedUpstreams: readonly (string | undefined)[];
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
    const failedUpstreams = upstreams.filter((_, i) => statuses[i] === '502' || statuses[i] === '504');
    logged.set(entry.id, { upstreams, failedUpstreams, failedAttempts: failedUpstreams.length, retries: Math.max(0, upstreams.length - 1) });
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
    // HAProxy logs the server that answered; the one whose connection failed is not named.
    const failedAttempts = retries + (entry.code === '503' && !answered ? 1 : 0);
    logged.set(entry.id, { upstreams: answered ? [entry.upstream] : [], failedUpstreams: Array.from({ length: failedAttempts }, () => undefined), failedAttempts, retries });
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

/**
 * The measurement: a strategy as in `summary.json` (measured-summary.ts), with the time inside
 * the backends and the balancer's retries, which a summary does not hold.
 */
export type Measured = StrategySummary & { readonly backendMs: number; readonly retries: number };

export interface StrategyComparison {
  readonly name: string;
  readonly balancer: 'nginx' | 'haproxy';
  readonly comparedBy: 'sessions' | 'counts';
  /** Timing-dependent methods: each count against the spread of lbsim's replications (counts.ts). */
  readonly counts?: readonly CountCheck[];
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
  /** How late sessions' later steps left on average, against lbsim's times for them. */
  readonly meanStepLateMs: number;
  readonly valid: boolean;
  readonly invalidReason?: string;
  /** The timeline's moments as the live run placed them (quiet-moments.ts). */
  readonly moments?: readonly MovedMoment[];
}

/** Arrivals (or later steps) later than this on average make a run invalid: the load was not the scenario's. */
export const MAX_MEAN_LATE_MS = 5;

/** Per backend in scenario order: requests it answered (its x-backend header). */
function answersOf(names: readonly string[], drive: DriveResult): number[] {
  const index = new Map(names.map((n, i) => [n, i]));
  const answers = names.map(() => 0);
  for (const r of drive.requests) if (r.backend !== undefined && index.has(r.backend)) answers[index.get(r.backend)!]!++;
  return answers;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/**
 * Measured against predicted. `replicas`: for a method whose picks depend on timing, lbsim's
 * replications, against whose spread the counts are compared; undefined: compared session by session.
 */
export interface CompareInput {
  readonly scenario: Scenario;
  readonly spec: StrategySpec;
  readonly sessions: readonly LiveSession[];
  readonly prediction: Prediction;
  readonly drive: DriveResult;
  readonly logged: ReadonlyMap<string, LoggedRequest>;
  readonly replicas?: readonly Prediction[] | undefined;
  readonly generatedAt: Date;
}

export function compare({ scenario, spec, sessions, prediction, drive, logged, replicas, generatedAt }: CompareInput): StrategyComparison {
  const balancer = balancerOf(spec);
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
  const backendMs = answered.length === 0 ? 0 : answered.reduce((sum, r) => sum + r.backendMs!, 0) / answered.length;
  const hopMs = answered.length === 0 ? 0 : answered.reduce((sum, r) => sum + r.latencyMs - r.backendMs!, 0) / answered.length;
  const meanLateMs = drive.sessions.length === 0 ? 0 : drive.sessions.reduce((sum, s) => sum + s.lateMs, 0) / drive.sessions.length;
  const meanStepLateMs = drive.sessions.length === 0 ? 0 : drive.sessions.reduce((sum, s) => sum + s.stepsLateMs, 0) / drive.sessions.length;
  const measured: Measured = {
    ...measuredSummary(scenario, spec, sessions, drive, logged, generatedAt),
    backendMs: round(backendMs),
    retries: [...logged.values()].reduce((sum, l) => sum + l.retries, 0),
  };
  const late = Math.max(meanLateMs, meanStepLateMs);
  const valid = late <= MAX_MEAN_LATE_MS;
  const predictedRetries = [...prediction.attempts.values()].reduce((sum, a) => sum + Math.max(0, a.length - 1), 0);
  return {
    name: spec.name,
    balancer,
    comparedBy: replicas === undefined ? 'sessions' : 'counts',
    ...(replicas === undefined
      ? {}
      : { counts: countChecks(names, predictedCounts(prediction), replicas.map(predictedCounts), { ...measured.sessions, answers: answersOf(names, drive) }) }),
    predicted: { ...prediction.summary, backendMs: round(prediction.backendMs), retries: predictedRetries },
    measured,
    sessionsDiffering: differing.length,
    differing,
    routeAgreement: compared === 0 ? 0 : round(agree / compared, 4),
    routesCompared: compared,
    routeMismatches,
    hopMs: round(hopMs),
    meanLateMs: round(meanLateMs),
    meanStepLateMs: round(meanStepLateMs),
    valid,
    ...(valid ? {} : { invalidReason: `${meanLateMs >= meanStepLateMs ? 'arrivals' : 'later steps'} started ${late.toFixed(1)} ms late on average (more than ${MAX_MEAN_LATE_MS} ms): the machine could not keep the scenario's pace; try a smaller --time-scale` }),
  };
}
