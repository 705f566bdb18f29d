export type { SimTime, Clock } from './time.js';
export { Scheduler, Priority } from './scheduler.js';
export type { EventTarget, TargetId, Action, TimerHandle, RunStats } from './scheduler.js';
export { createRandomStream } from './random.js';
export { exp, ln, pow, cos } from './math.js';
export { grown } from './typed-arrays.js';
export type { RandomStream } from './random.js';
export { constant, exponential, uniform, lognormal, standardNormal, samplerFor, meanOf } from './distributions.js';
export type { Sampler, Distribution } from './distributions.js';
