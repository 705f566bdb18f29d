/**
 * The rules of a session's state, as pure functions of what the run knows at a step: why a step
 * breaks the session (the state checks), what last-write-wins loses, how long a request waits for
 * the session lock, and whether the cart was filled. The run gathers the facts; these decide.
 * They take plain numbers and flags, so the event loop calls them without building an object.
 */
import type { SimTime } from '../engine/index.js';
import type { BreakCause } from './session.js';
import type { ReadFailure } from './session-store.js';

const READ_FAILURE_CAUSE: Readonly<Record<Exclude<ReadFailure, 'missing'>, BreakCause>> = {
  stale: 'state-stale',
  expired: 'expired',
  evicted: 'evicted',
  'not-serializable': 'not-serializable',
  'store-down': 'store-down',
};

/**
 * Why a coupled step (an in-flight transaction only one server holds) breaks when it lands on
 * another backend than the previous step: the previous backend died, or the step moved.
 */
export function coupledCause(previousDied: boolean): BreakCause {
  return previousDied ? 'backend-failed' : 'coupled-moved';
}

/**
 * What the store's answer means for a step that needs the session: nothing (undefined) when the
 * state was read whole, `lost-update` when it was read without a change a concurrent request
 * overwrote, the store's own reason when it failed, and `missing` for a miss: the caller then
 * asks `missingStateCause`, which needs more facts.
 */
export function readCause(failure: ReadFailure | undefined, lostUpdates: number): BreakCause | 'missing' | undefined {
  if (failure === undefined) return lostUpdates > 0 ? 'lost-update' : undefined;
  return failure === 'missing' ? 'missing' : READ_FAILURE_CAUSE[failure];
}

/**
 * Why the backend that served a step holds no state for the session, the first that applies:
 * the holder left the pool (`remapped`); the holder died (`backend-failed`); the holder is alive
 * but the pool changed under a method that places by key (`remapped`); the client's address
 * changed under one that places by address (`ip-changed`); a key points back at a backend that
 * failed and recovered (`failback`); otherwise the method never pinned the user (`state-missing`).
 */
export function missingStateCause(
  holderLeftPool: boolean,
  holderDied: boolean,
  placesByKey: boolean,
  poolChanged: boolean,
  placesByAddress: boolean,
  clientChanged: boolean,
  backendRecovered: boolean,
): BreakCause {
  if (holderLeftPool) return 'remapped';
  if (holderDied) return 'backend-failed';
  if (placesByKey && poolChanged) return 'remapped';
  if (placesByAddress && clientChanged) return 'ip-changed';
  if (placesByKey && backendRecovered) return 'failback';
  return 'state-missing';
}

/**
 * A write under last-write-wins: the writer stores the state it read (`kept`) plus its own change
 * (`update`), and the updates committed meanwhile are lost. `state` becomes the new state; returns
 * how many updates were lost.
 */
export function writeLastWins(state: number[], kept: readonly number[], update: number): number {
  let lost = 0;
  for (const committed of state) if (!kept.includes(committed)) lost++;
  state.length = 0;
  for (const u of kept) state.push(u);
  state.push(update);
  return lost;
}

/** How long a request polls for the session lock, held until `freeAt`, checking every `poll` ms. */
export function lockWait(freeAt: SimTime, now: SimTime, poll: SimTime): SimTime {
  return freeAt > now ? Math.ceil((freeAt - now) / poll) * poll : 0;
}

/** Whether a session that completed `stepsCompleted` steps had filled its cart (`cartStep` −1: the journey has none). */
export function cartFilled(cartStep: number, stepsCompleted: number): boolean {
  return cartStep >= 0 && stepsCompleted > cartStep;
}
