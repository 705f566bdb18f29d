/** Simulated milliseconds since the start of the run. Never a wall-clock value. */
export type SimTime = number;

/** Read-only view of the simulation clock. */
export interface Clock {
  readonly now: SimTime;
}
