/**
 * Analyzers are passive observers of the event stream, one per metric: they see every event of
 * the types they handle, synchronously and in simulation order, keep state only for what is live
 * (memory follows concurrency, not run length), never call back into the model, and return plain
 * JSON-serialisable data from `finish`.
 */
import type { SimTime } from '../engine/index.js';
import type { SomeEventHandlers } from '../model/index.js';

export interface Analyzer<Result> {
  readonly name: string;
  /** What the analyzer does with each event type it cares about; it never sees the others. */
  readonly on: SomeEventHandlers;
  finish(endTime: SimTime): Result;
}
