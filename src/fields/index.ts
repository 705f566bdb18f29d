/**
 * Field kinds of the scenario format, declared once: quantities with units (durations, rates,
 * points in time), probabilities, counts and distributions, as zod schemas and their parsers.
 * Below `strategies/` and `scenario/`, so that a balancing method declares its own options with
 * the same kinds the rest of the file uses.
 */
export { amount, cookieName, count, explained, distribution, distributionObject, durationMs, positiveDurationMs, probability, ratePerSec, speedFactor, strictObject, timePoint, type Distribution } from './fields.js';
export {
  DURATION_HELP,
  RATE_HELP,
  TIME_POINT_HELP,
  parseDurationMs,
  parsePercent,
  parseRatePerSec,
  parseTimePoint,
  QUANTITY_RANGES,
  quantityProblem,
  resolveTimePoint,
  type TimePoint,
} from './units.js';
