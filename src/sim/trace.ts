/**
 * One user's story: the life of one session under each strategy, step by step — which backend
 * served each request (and which attempts failed first), where the session's state was
 * afterwards, and where and why the session broke. Built from the same run as any summary,
 * observing the events of that one session.
 */
import { Workload, type BreakCause, type ExportedSession, type SessionOutcome, type SessionPlan, type SimEvent } from '../model/index.js';
import type { Scenario } from '../scenario/index.js';
import { runRng } from './rng.js';
import { runStrategy, type ScenarioResult } from './run.js';
import { workloadSpec } from './run-config.js';

export interface TracedRequest {
  readonly step: string;
  readonly sentAtMs: number;
  /** Backends attempted, in order, with whether each attempt got an answer. */
  readonly attempts: readonly { readonly backend: string; readonly ok: boolean }[];
  readonly status: number;
  readonly latencyMs: number;
  /** Where the session's state is after this request: a backend's memory, the shared cache, or nowhere yet. */
  readonly stateAfter: string | null;
}

export interface StrategyTrace {
  readonly strategy: string;
  readonly requests: readonly TracedRequest[];
  readonly outcome: SessionOutcome;
  readonly cause: BreakCause | null;
  readonly endedAtMs: number;
}

export interface SessionTrace {
  /** 1-based, in arrival order. */
  readonly session: number;
  readonly client: string;
  readonly arrivalMs: number;
  readonly strategies: readonly StrategyTrace[];
}

/** The scenario's sessions, in arrival order, as every strategy replays them. */
function* plans(scenario: Scenario): Generator<SessionPlan> {
  const workload = new Workload(workloadSpec(scenario), runRng(scenario.seed).root);
  for (let plan = workload.next(); plan; plan = workload.next()) yield plan;
}

/** The 0-based index of the first session sent from address `client`, or undefined. */
export function findSessionByClient(scenario: Scenario, client: string): number | undefined {
  const steps = scenario.journey.steps.length;
  for (const plan of plans(scenario)) {
    for (let k = 0; k < steps; k++) if (plan.addressAt(k).text === client) return plan.index;
  }
  return undefined;
}

/** Sessions further into the measured run than this are not traced for the report: replaying up to them would cost too much. */
const SAMPLE_REACH = 50_000;

/**
 * The session whose story the report tells: the first (in arrival order) that any strategy
 * broke, a 0-based index. Undefined when no session broke, or the first broke more than
 * SAMPLE_REACH sessions after measurement began.
 */
export function sampleSessionIndex(result: ScenarioResult): number | undefined {
  const first = Math.min(...result.strategies.map((s) => s.outcomes.firstBroken ?? Infinity));
  const start = result.strategies[0]?.outcomes.firstSession ?? 0;
  return first - start < SAMPLE_REACH ? first : undefined;
}

/** Traces session `index` (0-based) under every strategy of the scenario (of `recorded` sessions when given, as `lbsim sessions` prints them). */
export function traceSession(scenario: Scenario, index: number, recorded?: readonly ExportedSession[]): SessionTrace | undefined {
  const steps = scenario.journey.steps;
  const names = scenario.backends.map((b) => b.name);
  let client = '';
  let arrivalMs = NaN;
  const strategies = scenario.strategies.map((spec): StrategyTrace => {
    const requests: TracedRequest[] = [];
    const mine = new Set<number>();
    let attempts: { backend: string; ok: boolean }[] = [];
    let sentAt = 0;
    let state: string | null = null;
    let stateBefore: string | null = null;
    let end: { outcome: SessionOutcome; cause: BreakCause | null; t: number } = { outcome: 'abandoned', cause: null, t: NaN };
    const observe = (_: string, e: SimEvent): void => {
      switch (e.type) {
        case 'session-start':
          if (e.session === index) arrivalMs = e.t;
          break;
        case 'request-start':
          if (e.session !== index) break;
          mine.add(e.req);
          attempts = [];
          sentAt = e.t;
          break;
        case 'attempt-end':
          if (mine.has(e.req)) attempts.push({ backend: names[e.backend]!, ok: e.ok });
          break;
        case 'request-end': {
          if (e.session !== index) break;
          const step = steps[e.step]!;
          stateBefore = state;
          if (e.outcome === 'completed' && step.writes && e.backend >= 0) state = spec.store === 'shared' ? 'shared cache' : `memory of ${names[e.backend]}`;
          requests.push({ step: step.name, sentAtMs: sentAt, attempts, status: e.status, latencyMs: e.latencyMs, stateAfter: state });
          break;
        }
        case 'session-end': {
          if (e.session !== index) break;
          end = { outcome: e.outcome, cause: e.cause ?? null, t: e.t };
          // The step that broke the session wrote nothing: its state is where it was before.
          const last = requests[requests.length - 1];
          if (e.outcome === 'broken' && last) requests[requests.length - 1] = { ...last, stateAfter: stateBefore };
          break;
        }
        case 'backend-state':
        case 'scenario-event':
          break;
      }
    };
    // Nothing after the session's end can change its story.
    runStrategy(scenario, spec, recorded ? { observe, stopAfterSession: index, sessions: recorded } : { observe, stopAfterSession: index });
    return { strategy: spec.name, requests, outcome: end.outcome, cause: end.cause, endedAtMs: end.t };
  });
  if (Number.isNaN(arrivalMs)) return undefined;
  client = recorded ? (recorded.find((r) => r.index === index)?.steps[0]?.client ?? '') : findClient(scenario, index);
  return { session: index + 1, client, arrivalMs, strategies };
}

function findClient(scenario: Scenario, index: number): string {
  for (const plan of plans(scenario)) if (plan.index === index) return plan.client.text;
  return '';
}
