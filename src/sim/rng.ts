/**
 * The random streams of one run, derived from the scenario seed alone, so every strategy (and
 * every worker thread) rebuilds exactly the same numbers.
 */
import { createRandomStream, type RandomStream } from '../engine/index.js';

export interface RunRng {
  readonly root: RandomStream;
}

export function runRng(seed: string): RunRng {
  return { root: createRandomStream(seed) };
}
