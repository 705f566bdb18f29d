/**
 * Where a sweep's values sit on its charts' x axis: numbers and quantities with units at their
 * size (`1ms,2ms,5ms,10ms` at 1, 2, 5 and 10 ms; `500ms,1s` converted to 500 and 1,000 ms), on a
 * log scale when asked and every value is positive; anything else one step per value as typed.
 */
import { listing } from './format.js';
import { parseDurationMs, parsePercent, parseRatePerSec, type SetOption } from '../scenario/index.js';

/** Where the first swept field's values sit on the charts' x axis. */
export interface SweepAxis {
  /** `linear` (or `logarithmic` with `--log`) when every value is a number, with a unit or without; else `category`, one step per value as typed. */
  readonly scale: 'linear' | 'logarithmic' | 'category';
  /** Each value's position, in `unit`; null on a category axis. */
  readonly positions: readonly number[] | null;
  /** The positions' unit as written in the values (`ms`, `/s`, `%`), or empty. */
  readonly unit: string;
  /** Why `--log` could not be followed, when it was asked for. */
  readonly logRefused?: string;
}

const NUMBER_WITH_UNIT = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*(\S*)\s*$/i;
const zeroOr = (parse: (value: string) => number | undefined) => (value: string) => (value.trim() === '0' ? 0 : parse(value));
/** Values of one kind written in several units (`500ms,1s`), in lbsim's base unit. */
const CONVERSIONS: readonly { readonly unit: string; readonly parse: (value: string) => number | undefined }[] = [
  { unit: 'ms', parse: zeroOr(parseDurationMs) },
  { unit: '/s', parse: parseRatePerSec },
  { unit: '%', parse: zeroOr((v) => { const fraction = parsePercent(v); return fraction === undefined ? undefined : Number((fraction * 100).toPrecision(12)); }) },
];

type Quantities = { readonly positions: readonly number[]; readonly unit: string };
const finite = (read: Quantities) => (read.positions.every(Number.isFinite) ? read : undefined);

/** The values as numbers in one unit, or undefined when they are not all quantities of one kind. */
function quantities(values: readonly string[]): Quantities | undefined {
  const parts = values.map((v) => NUMBER_WITH_UNIT.exec(v));
  const unit = parts[0]?.[2];
  const known = unit === '' || CONVERSIONS.some((c) => c.parse(`1${unit}`) !== undefined);
  // One unit throughout: the numbers as written (`1s,2s` at 1 and 2 s).
  if (unit !== undefined && known && parts.every((m) => m?.[2] === unit)) return finite({ positions: parts.map((m) => Number(m![1])), unit });
  for (const conversion of CONVERSIONS) {
    const positions = values.map(conversion.parse);
    if (positions.every((p) => p !== undefined)) return finite({ positions: positions as number[], unit: conversion.unit });
  }
  return undefined;
}

/**
 * The x axis for the first swept field: numbers and quantities at their size (`1ms,2ms,5ms,10ms`
 * at 1, 2, 5 and 10 ms), on a log scale with `log` when every one is positive; anything else, and
 * seeds (names of random streams whose number means nothing), one step per value.
 */
export function sweepAxis(parameter: SetOption, log: boolean): SweepAxis {
  const read = parameter.path === 'seed' ? undefined : quantities(parameter.values);
  if (read === undefined) {
    return { scale: 'category', positions: null, unit: '', ...(log ? { logRefused: `--log: the values of ${parameter.path} are not quantities, so the charts keep one step per value` } : {}) };
  }
  const unplaceable = parameter.values.filter((_, i) => read.positions[i]! <= 0);
  if (!log || unplaceable.length === 0) return { scale: log ? 'logarithmic' : 'linear', ...read };
  return { scale: 'linear', ...read, logRefused: `--log: a log axis cannot place ${listing(unplaceable)} (of ${parameter.path}), so the charts keep a linear axis` };
}

