/**
 * Random variates as free functions over a stream (the pure-rand shape): a Sampler draws one value
 * from the stream it is given. Each sampler consumes a fixed number of uniforms per draw, so
 * streams stay aligned across strategies.
 */
import type { RandomStream } from './random.js';

export type Sampler = (rng: RandomStream) => number;

export function constant(value: number): Sampler {
  return () => value;
}

/** Exponential with the given mean (inverse transform; one uniform). */
export function exponential(mean: number): Sampler {
  return (rng) => -Math.log(1 - rng.next()) * mean;
}

/** Uniform on [min, max). */
export function uniform(min: number, max: number): Sampler {
  return (rng) => min + (max - min) * rng.next();
}

/** Lognormal with the given median (e^μ) and σ of the underlying normal; two uniforms per draw. */
export function lognormal(median: number, sigma: number): Sampler {
  return (rng) => median * Math.exp(sigma * standardNormal(rng));
}

/** Box–Muller, using exactly two uniforms per draw (the second variate is discarded to keep alignment). */
export function standardNormal(rng: RandomStream): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
