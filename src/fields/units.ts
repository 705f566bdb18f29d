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

/** `"20ms"` → 20. A bare number is taken as milliseconds. Returns undefined when not a duration. */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match?.[1] || !match[3]) return undefined;
  const factor = DURATION_UNITS_MS[match[3].toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** `"50/s"` → 50 per second. A bare number is taken as per second. */
export function parseRatePerSec(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = RATE_PATTERN.exec(value);
  if (!match?.[1] || !match[3]) return undefined;
  const factor = RATE_UNITS_PER_SEC[match[3].toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** `"50%"` → 0.5, or undefined when the text is not a percentage. */
export function parsePercent(value: string | number): number | undefined {
  if (typeof value === 'number') return undefined;
  const match = PERCENT_PATTERN.exec(value);
  return match?.[1] ? Number(match[1]) / 100 : undefined;
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
