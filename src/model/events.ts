/**
 * The facts a run produces, in simulation order: the only thing analyzers see. Backends are
 * identified by their index in the scenario's backend list; sessions and requests by their
 * 0-based numbers. `slot` is a small number unique among the sessions alive at the same time
 * (reused once a session ends), so observers can keep per-session state in arrays, not maps.
 * Events are emitted synchronously and recycled: observers must not keep them beyond `observe`
 * (they hold plain values, so copying what is needed is enough).
 */
import type { SimTime } from '../engine/index.js';
import type { BackendMode } from './backend.js';
import type { BreakCause, SessionOutcome } from './session.js';

export type RequestOutcome = 'completed' | 'failed' | 'rejected';

export type SimEvent =
  | { readonly type: 'session-start'; readonly t: SimTime; readonly session: number; readonly slot: number }
  | { readonly type: 'request-start'; readonly t: SimTime; readonly req: number; readonly session: number; readonly step: number }
  | {
      /** One upstream attempt ended; `backendDown` when it went to a backend that was not up. */
      readonly type: 'attempt-end';
      readonly t: SimTime;
      readonly req: number;
      readonly backend: number;
      readonly ok: boolean;
      readonly backendDown: boolean;
    }
  | {
      readonly type: 'request-end';
      readonly t: SimTime;
      readonly req: number;
      readonly session: number;
      readonly slot: number;
      readonly step: number;
      /** The backend that answered, or -1 when none did. */
      readonly backend: number;
      readonly outcome: RequestOutcome;
      readonly status: number;
      readonly latencyMs: SimTime;
      /** Time spent waiting for the session lock (shared cache with locking). */
      readonly lockWaitMs: SimTime;
      /** The request gave up waiting for the session lock. */
      readonly lockTimedOut: boolean;
      /** Updates of concurrent requests this request's write overwrote (last write wins). */
      readonly lostUpdates: number;
    }
  | {
      readonly type: 'session-end';
      readonly t: SimTime;
      readonly session: number;
      readonly slot: number;
      readonly outcome: SessionOutcome;
      readonly cause: BreakCause | undefined;
      /** Steps completed before the session ended. */
      readonly stepsCompleted: number;
      /** Whether the session had filled its cart (completed a step past add-to-cart). */
      readonly cartFilled: boolean;
      /** What the order would have paid. */
      readonly orderValue: number;
    }
  | { readonly type: 'backend-state'; readonly t: SimTime; readonly backend: number; readonly mode: BackendMode }
  | {
      /** Another timeline event took effect: a backend slowed down or answers errors, or the shared cache changed (`backend` −1). */
      readonly type: 'scenario-event';
      readonly t: SimTime;
      readonly backend: number;
      readonly what: string;
    };

export type SimEventType = SimEvent['type'];
