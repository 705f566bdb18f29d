/**
 * Analyzers are passive observers of the event stream, one per metric: they see every event of
 * the types they handle, synchronously and in simulation order, keep state only for what is live
 * (memory follows concurrency, not run length), never call back into the model, and return plain
 * JSON-serialisable data from `finish`.
 */
import type { SimTime } from '../engine/index.js';
import type { EventHandling } from '../model/index.js';

export interface Analyzer<Result> {
  readonly name: string;
  /** What the analyzer does with each event type: it never sees the types it marks IGNORED. */
  readonly on: EventHandling;
  finish(endTime: SimTime): Result;
}
