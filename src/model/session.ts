/**
 * Sessions: the plan a user follows (drawn once, replayed for every strategy) and the ways a
 * session ends. A session breaks at the first step that cannot be served as the user expects,
 * with exactly one cause: the first of these that applied.
 */
import type { SimTime } from '../engine/index.js';
import type { ClientAddress } from './address.js';

/**
 * Why a session broke. The one list of causes; docs/causes.md explains each with an example.
 * - `state-missing`: the backend that served the step holds no state for the session.
 * - `state-stale`: the backend holds an older copy than the session's last write.
 * - `expired`: the state was idle longer than the store's TTL.
 * - `evicted`: the shared store evicted the state to make room (LRU).
 * - `not-serializable`: framework state did not survive the shared store on another backend.
 * - `coupled-moved`: a coupled step ran on a backend other than the one that served the previous step.
 * - `store-down`: the shared store was unreachable.
 * - `backend-failed`: the backend holding the state (or the coupled transaction) failed.
 * - `remapped`: a pool change moved the user to another backend.
 * - `failback`: a recovered backend took its users back, away from where their state had moved.
 * - `ip-changed`: the client's address changed and address-based stickiness moved it.
 * - `request-failed`: the client got an error (502/503/504) for a step.
 * - `lost-update`: a concurrent request of the same session overwrote a change (the cart item) that a later step needed.
 */
export const BREAK_CAUSES = [
  'state-missing',
  'state-stale',
  'expired',
  'evicted',
  'not-serializable',
  'coupled-moved',
  'store-down',
  'backend-failed',
  'remapped',
  'failback',
  'ip-changed',
  'request-failed',
  'lost-update',
] as const;
export type BreakCause = (typeof BREAK_CAUSES)[number];

/** Causes counted as failover loss: the session was lost because a backend failed or the pool changed. */
export const FAILOVER_CAUSES: ReadonlySet<BreakCause> = new Set<BreakCause>(['backend-failed', 'remapped', 'failback']);

export type SessionOutcome = 'completed' | 'abandoned' | 'broken';

/** The session id a client presents: `s1`, `s2`, … in arrival order (`index` is 0-based). */
export function sessionIdOf(index: number): string {
  return `s${index + 1}`;
}

/** Everything random about one session, drawn when it is generated and identical for every strategy. */
export interface SessionPlan {
  /** 0-based, in arrival order. */
  readonly index: number;
  /** The session id the client presents (`s1`, `s2`, … in arrival order). */
  readonly id: string;
  readonly arrivalMs: SimTime;
  readonly client: ClientAddress;
  /** The address step k is sent from (`client` throughout unless the user is mobile). */
  addressAt(step: number): ClientAddress;
  /** Service demand per request at speed factor 1, ms: step k's requests start at the workload's offset for k. */
  readonly serviceMs: Float64Array;
  /** Think time after step k, before step k + 1, ms (length steps − 1). */
  readonly thinkMs: Float64Array;
  /** The user leaves after this step (0-based) unless it is the last; equals steps − 1 when they go all the way. */
  readonly lastStep: number;
  /** What the order would pay at the last step. */
  readonly orderValue: number;
  /** Uniform draw compared with the shared store's non-serializable share. */
  readonly serializationDraw: number;
}
