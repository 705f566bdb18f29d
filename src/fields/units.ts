/**
 * Quantities with units, as scenario files write them: durations (`20ms`, `2s`, `1.5m`, `1h`),
 * rates (`50/s`, `3000/m`) and percentages of the arrival window (`50%`). Everything is
 * converted to lbsim's base units: milliseconds and events per second.
 */

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const RATE_UNITS_PER_SEC: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  m: 1 / 60,
  min: 1 / 60,
  h: 1 / 3600,
};

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?`;
const DURATION_PATTERN = new RegExp(`^\\s*(${NUMBER})\\s*([a-z]+)\\s*$`, 'i');
const RATE_PATTERN = new RegExp(`^\\s*(${NUMBER})\\s*/\\s*([a-z]+)\\s*$`, 'i');
const PERCENT_PATTERN = new RegExp(`^\\s*(${NUMBER})\\s*%\\s*$`);

/** The span a quantity must fall in, unless it is 0, with the bounds as a reader writes them. */
export interface QuantityRange {
  readonly min: number;
  readonly max: number;
  readonly minText: string;
  readonly maxText: string;
}

/**
 * What each kind of quantity may be: 0, or between these. Text reaches numbers no scenario means
 * (`1e999ms` is Infinity, `1e-320ms` a denormal); past these bounds a run would stretch without
 * end rather than answer a question. docs/scenario.md ("Limits") lists them.
 */
export const QUANTITY_RANGES = {
  durationMs: { min: 0.001, max: 365 * 86_400_000, minText: '1us', maxText: '365d' },
  ratePerSec: { min: 1e-6, max: 1e9, minText: '0.000001/s', maxText: '1000000000/s' },
  /** A share of the arrival window, as a fraction (1 = 100%). */
  windowFraction: { min: 0, max: 1000, minText: '0%', maxText: '100000%' },
  /** A backend's speed factor (service times are divided by it): a thousand times slower or faster at most. */
  speedFactor: { min: 0.001, max: 1000, minText: '0.001', maxText: '1000' },
  /** Money and counts drawn from distributions: a billion per order or page at most. */
  amount: { min: 0, max: 1e9, minText: '0', maxText: '1000000000' },
} as const satisfies Record<string, QuantityRange>;

/**
 * The one finite-and-sane check every quantity passes: why `value` cannot be one of `range`,
 * or undefined when it can.
 */
function saneQuantityProblem(value: number, range: QuantityRange): string | undefined {
  if (!Number.isFinite(value)) return 'which is not a finite number';
  if (value < 0) return 'which is negative';
  if (value !== 0 && value < range.min) return `which is below ${range.minText}, the least lbsim takes (0 excepted)`;
  if (value > range.max) return `which is above ${range.maxText}, the most lbsim takes`;
  return undefined;
}

/** A quantity as read: its value, why it is refused although well written (a string), or undefined when not written as one. */
type Reading = number | string | undefined;

/**
 * `bare`: what a number without a unit is. Durations have none but 0 (nginx reads `fail_timeout=10`
 * as seconds where lbsim read milliseconds, so a bare number is refused rather than guessed).
 */
function read(value: string | number, pattern: RegExp, units: Readonly<Record<string, number>>, range: QuantityRange, bare: 'base unit' | 'only 0'): Reading {
  if (typeof value === 'number') {
    if (bare === 'only 0' && value !== 0) return Number.isFinite(value) && value > 0 ? bareDurationProblem(value) : undefined;
    return saneQuantityProblem(value, range) ?? value;
  }
  const match = pattern.exec(value);
  if (!match?.[1] || !match[3]) return undefined;
  const factor = units[match[3].toLowerCase()];
  if (factor === undefined) return undefined;
  const quantity = Number(match[1]) * factor;
  return saneQuantityProblem(quantity, range) ?? quantity;
}

const valueOf = (reading: Reading): number | undefined => (typeof reading === 'number' ? reading : undefined);

const readDuration = (value: string | number): Reading => read(value, DURATION_PATTERN, DURATION_UNITS_MS, QUANTITY_RANGES.durationMs, 'only 0');
const readRate = (value: string | number): Reading => read(value, RATE_PATTERN, RATE_UNITS_PER_SEC, QUANTITY_RANGES.ratePerSec, 'base unit');

/** The refusal of a duration written without its unit, offering both readings. */
function bareDurationProblem(value: number): string {
  return `the bare number ${value}: write "${value}s" for seconds or "${value}ms" for milliseconds (only 0 needs no unit)`;
}

function readPercent(value: string | number): Reading {
  const match = typeof value === 'number' ? null : PERCENT_PATTERN.exec(value);
  if (!match?.[1]) return undefined;
  const fraction = Number(match[1]) / 100;
  return saneQuantityProblem(fraction, QUANTITY_RANGES.windowFraction) ?? fraction;
}

/** `"20ms"` → 20; a bare number is refused, except 0. Returns undefined when not a duration. */
export function parseDurationMs(value: string | number): number | undefined {
  return valueOf(readDuration(value));
}

/** `"50/s"` → 50 per second. A bare number is taken as per second. */
export function parseRatePerSec(value: string | number): number | undefined {
  return valueOf(readRate(value));
}

/** `"50%"` → 0.5, or undefined when the text is not a percentage. */
export function parsePercent(value: string | number): number | undefined {
  return valueOf(readPercent(value));
}

/**
 * Why a value written as a quantity of this kind is refused (`which is negative`, `which is above
 * 365d, …`, or a duration's bare number), or undefined when it is accepted or not written as one
 * at all.
 */
export function quantityProblem(kind: 'duration' | 'rate' | 'time point', value: string | number): string | undefined {
  const reading = kind === 'duration' ? readDuration(value) : kind === 'rate' ? readRate(value) : (readPercent(value) ?? readDuration(value));
  return typeof reading === 'string' ? reading : undefined;
}

/** A point in time: absolute (`90s`) or a fraction of the arrival window (`50%`). */
export type TimePoint = { readonly kind: 'absolute'; readonly ms: number } | { readonly kind: 'window'; readonly fraction: number };

export function parseTimePoint(value: string | number): TimePoint | undefined {
  const fraction = parsePercent(value);
  if (fraction !== undefined) return { kind: 'window', fraction };
  const ms = parseDurationMs(value);
  return ms === undefined ? undefined : { kind: 'absolute', ms };
}

/** Resolves a time point against the arrival window's length. */
export function resolveTimePoint(point: TimePoint, windowMs: number): number {
  return point.kind === 'absolute' ? point.ms : point.fraction * windowMs;
}

export const DURATION_HELP = 'a duration such as "20ms", "2s", "5m" or "1h"';
export const RATE_HELP = 'a rate such as "50/s" or "3000/m"';
export const TIME_POINT_HELP = 'a time such as "90s" or a share of the arrival window such as "50%"';
