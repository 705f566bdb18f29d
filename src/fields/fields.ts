/**
 * Reusable zod pieces for scenario fields: quantities with units, distributions, and objects that
 * refuse unknown keys (except the free-text `name`, `description` and `$schema`).
 */
import { z } from 'zod';
import {
  DURATION_HELP,
  RATE_HELP,
  TIME_POINT_HELP,
  parseDurationMs,
  parseRatePerSec,
  parseTimePoint,
  QUANTITY_RANGES,
  quantityProblem,
  type TimePoint,
} from './units.js';

/** Keys accepted in every object of a scenario file: documentation, never behaviour. */
const FREE_TEXT_KEYS = {
  description: z.string().describe('Free text for readers and reports; changes nothing').optional(),
  $schema: z.string().describe('The JSON Schema of this format, for editors; changes nothing').optional(),
};

/** A strict object: unknown keys are errors (the loader adds a did-you-mean). */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject({ ...FREE_TEXT_KEYS, ...shape });
}

/**
 * `help` is also the field's description in the JSON Schema, with what a bare number means. A
 * duration's bare number is refused with both readings offered, in a message of its own.
 */
function quantity<T>(parse: (value: string | number) => T | undefined, kind: Parameters<typeof quantityProblem>[0], help: string, bare: string) {
  const description = `${help[0]!.toUpperCase()}${help.slice(1)}; ${bare}`;
  return z.union([z.string(), z.number()], { error: `expected ${help}` }).meta({ description }).transform((value, ctx): T => {
    const parsed = parse(value);
    if (parsed === undefined) {
      const negative = typeof value === 'number' ? value < 0 : value.trim().startsWith('-');
      const problem = quantityProblem(kind, value) ?? (negative ? 'which is negative' : undefined);
      const bareDuration = kind !== 'rate' && typeof value === 'number' && value > 0 && Number.isFinite(value);
      const message = bareDuration
        ? `expected a duration with its unit, got ${problem}`
        : `expected ${help}, got ${JSON.stringify(value)}${problem === undefined ? '' : `, ${problem}`}`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return parsed;
  });
}

/**
 * One schema built on first use and shared by every field of its kind. Zod schemas are immutable,
 * and building one costs: a fresh copy per field made loading the scenario schema a large part of
 * lbsim's start-up.
 */
function shared<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}

const DURATION_BARE = 'a bare number is refused, except 0';
/** A duration in milliseconds (`"20ms"`, `"2s"`; a bare number is refused, except 0). */
export const durationMs = shared(() => quantity(parseDurationMs, 'duration', DURATION_HELP, DURATION_BARE));
/** A duration above 0: a period (a poll, a probe interval, a window) that 0 would repeat forever at one instant. */
export const positiveDurationMs = shared(() =>
  durationMs().refine((ms) => ms > 0, 'expected a duration above 0'),
);
/** A rate in events per second (`"50/s"`; a bare number is per second). */
export const ratePerSec = shared(() => quantity(parseRatePerSec, 'rate', RATE_HELP, 'a bare number is per second'));
/** A time that may be a share of the arrival window; resolved once the window is known. */
export const timePoint = shared(() => quantity<TimePoint>(parseTimePoint, 'time point', TIME_POINT_HELP, DURATION_BARE));

export const probability = shared(() =>
  z.number({ error: 'expected a probability between 0 and 1' }).min(0, 'expected a probability between 0 and 1').max(1, 'expected a probability between 0 and 1').describe('A probability from 0 to 1'),
);

// One formatter for every limit: toLocaleString builds a new one per call, which made loading the schema slow.
const WHOLE_NUMBER = new Intl.NumberFormat('en-US');

export const count = (max: number, what: string) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int(`expected a whole number of ${what}`)
    .min(0, `expected a whole number of ${what}, 0 or more`)
    .max(max, `at most ${WHOLE_NUMBER.format(max)} ${what} (a larger value would exhaust memory)`);

/** A random distribution, normalized (the engine's type). Values are in the field's base unit (ms for times). */
export type { Distribution } from '../engine/index.js';
import type { Distribution } from '../engine/index.js';

/**
 * A distribution over a scalar written with `scalar` (a duration, or a plain number):
 * a bare scalar is a constant; otherwise `{ dist: constant | exponential | lognormal | uniform, … }`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Scalar = z.ZodType<number, any>;
export function distribution(scalar: () => Scalar) {
  let schema = distributions.get(scalar);
  if (!schema) distributions.set(scalar, (schema = distributionOf(scalar)));
  return schema;
}

const distributions = new Map<() => Scalar, ReturnType<typeof distributionOf>>();

/**
 * Only the `{ dist: … }` forms of a distribution: where a bare number means something else (a
 * count that must be in range), it is not read as a constant distribution instead.
 */
export function distributionObject(scalar: () => Scalar) {
  let schema = distributionObjects.get(scalar);
  if (!schema) distributionObjects.set(scalar, (schema = distributionObjectOf(scalar)));
  return schema;
}

const distributionObjects = new Map<() => Scalar, ReturnType<typeof distributionObjectOf>>();
const distributionObjectOf = (scalar: () => Scalar) => distributionShapes(scalar).transform(normalizeDistribution);

function distributionShapes(scalar: () => Scalar) {
  return z.discriminatedUnion('dist', [
    strictObject({ dist: z.literal('constant'), value: scalar() }),
    strictObject({ dist: z.literal('exponential'), mean: scalar() }),
    strictObject({ dist: z.literal('lognormal'), median: scalar(), sigma: z.number().min(0).max(5) }),
    strictObject({ dist: z.literal('uniform'), min: scalar(), max: scalar() }),
  ], { error: 'expected a distribution such as { dist: exponential, mean: … }' });
}

type DistributionInput = number | z.output<ReturnType<typeof distributionShapes>>;

function normalizeDistribution(input: DistributionInput): Distribution {
  if (typeof input === 'number') return { kind: 'constant', value: input };
  switch (input.dist) {
    case 'constant':
      return { kind: 'constant', value: input.value };
    case 'exponential':
      return { kind: 'exponential', mean: input.mean };
    case 'lognormal':
      return { kind: 'lognormal', median: input.median, sigma: input.sigma };
    case 'uniform':
      return { kind: 'uniform', min: Math.min(input.min, input.max), max: Math.max(input.min, input.max) };
  }
}

function distributionOf(scalar: () => Scalar) {
  const description = 'A constant value, or { dist: constant | exponential | lognormal | uniform, … }';
  return z.union([scalar(), distributionShapes(scalar)]).meta({ description }).transform(normalizeDistribution);
}

/** `schema` with `text` before the description it has (a quantity's says how to write it). */
export function explained<T extends z.ZodType>(schema: T, text: string): T {
  return schema.describe(schema.description === undefined ? text : `${text}. ${schema.description}`);
}

/** A cookie name as browsers and balancers take it. */
export const cookieName = shared(() => z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a cookie name of letters, digits, _ or -'));

/** A plain non-negative number (money, counts) usable as a distribution scalar. */
export const amount = shared(() => {
  const { max, maxText } = QUANTITY_RANGES.amount;
  return z.number({ error: 'expected a number' }).min(0, 'expected a number, 0 or more').max(max, `expected a number of at most ${maxText}`);
});

/** A speed factor: service times are divided by it (`0.5`: half as fast). */
export const speedFactor = shared(() => {
  const { min, max, minText, maxText } = QUANTITY_RANGES.speedFactor;
  const message = `expected a speed factor from ${minText} (a thousand times slower) to ${maxText}`;
  return z.number({ error: message }).min(min, message).max(max, message).describe('A speed factor: service times are divided by it');
});
