export type { SimTime, Clock } from './time.js';
export { Scheduler, Priority } from './scheduler.js';
export type { EventTarget, Action, TimerHandle, RunStats } from './scheduler.js';
export { createRandomStream } from './random.js';
export type { RandomStream } from './random.js';
export { constant, exponential, uniform, lognormal, standardNormal } from './distributions.js';
export type { Sampler } from './distributions.js';
