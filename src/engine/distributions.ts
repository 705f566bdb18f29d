/**
 * Random variates as free functions over a stream (the pure-rand shape): a Sampler draws one value
 * from the stream it is given. Each sampler consumes a fixed number of uniforms per draw, so
 * streams stay aligned across strategies.
 */
import { cos, exp, ln } from './math.js';
import type { RandomStream } from './random.js';

export type Sampler = (rng: RandomStream) => number;

export function constant(value: number): Sampler {
  return () => value;
}

/** Exponential with the given mean (inverse transform; one uniform). */
export function exponential(mean: number): Sampler {
  return (rng) => -ln(1 - rng.next()) * mean;
}

/** Uniform on [min, max). */
export function uniform(min: number, max: number): Sampler {
  return (rng) => min + (max - min) * rng.next();
}

/** Lognormal with the given median (e^μ) and σ of the underlying normal; two uniforms per draw. */
export function lognormal(median: number, sigma: number): Sampler {
  return (rng) => median * exp(sigma * standardNormal(rng));
}

/** Box–Muller, using exactly two uniforms per draw (the second variate is discarded to keep alignment). */
export function standardNormal(rng: RandomStream): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * ln(u1)) * cos(2 * Math.PI * u2);
}

/** A distribution as scenarios declare it, in the field's base unit (ms for times). */
export type Distribution =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number };

/** The sampler for a declared distribution. */
export function samplerFor(distribution: Distribution): Sampler {
  switch (distribution.kind) {
    case 'constant':
      return constant(distribution.value);
    case 'exponential':
      return exponential(distribution.mean);
    case 'lognormal':
      return lognormal(distribution.median, distribution.sigma);
    case 'uniform':
      return uniform(distribution.min, distribution.max);
  }
}

/** The distribution's mean (for theory comparisons and reports). */
export function meanOf(distribution: Distribution): number {
  switch (distribution.kind) {
    case 'constant':
      return distribution.value;
    case 'exponential':
      return distribution.mean;
    case 'lognormal':
      return distribution.median * exp((distribution.sigma * distribution.sigma) / 2);
    case 'uniform':
      return (distribution.min + distribution.max) / 2;
  }
}
