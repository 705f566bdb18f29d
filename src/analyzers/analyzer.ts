/**
 * Analyzers are passive observers of the event stream, one per metric: they see every event
 * synchronously and in simulation order, keep state only for what is live (memory follows
 * concurrency, not run length), never call back into the model, and return plain
 * JSON-serialisable data from `finish`.
 */
import type { SimTime } from '../engine/index.js';
import type { SimEvent } from '../model/index.js';

export interface Analyzer<Result> {
  readonly name: string;
  observe(event: SimEvent): void;
  finish(endTime: SimTime): Result;
}

/** The `default:` branch of an exhaustive switch: a new event type is a compile error until handled. */
export function unhandled(event: never): never {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
}
