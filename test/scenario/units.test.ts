/**
 * Quantities with units, as scenario authors write them, and the base units lbsim computes in:
 * milliseconds for durations, events per second for rates, fractions for percentages.
 */
import { describe, expect, it } from 'vitest';
import { parseDurationMs, parsePercent, parseRatePerSec, parseTimePoint, resolveTimePoint } from '../../src/fields/index.js';

describe('durations become milliseconds', () => {
  it.each([
    ['20ms', 20],
    ['2s', 2000],
    ['1.5s', 1500],
    ['5m', 300_000], // 5 × 60 000
    ['2min', 120_000],
    ['1h', 3_600_000], // 60 × 60 000
    ['1d', 86_400_000],
    ['250us', 0.25],
    [' 40 ms ', 40], // spaces around and between are tolerated
    ['2S', 2000], // units are case-insensitive
    ['.5s', 500],
    ['1e3ms', 1000],
  ] as const)('%s → %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  // nginx reads fail_timeout=10 as seconds and lbsim read failTimeout: 10 as milliseconds: a unit settles it.
  it('refuses a bare number, except 0, which needs no unit', () => {
    expect(parseDurationMs(20)).toBeUndefined();
    expect(parseDurationMs(0)).toBe(0);
  });

  it.each(['20 parsecs', '20', 'fast', '-5ms', 's', ''])('refuses %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('refuses negative and non-finite numbers', () => {
    expect(parseDurationMs(-1)).toBeUndefined();
    expect(parseDurationMs('-1ms')).toBeUndefined();
    expect(parseDurationMs(Infinity)).toBeUndefined();
    expect(parseDurationMs(Number.NaN)).toBeUndefined();
  });

  // Text can spell what YAML's `.inf` cannot: 1e999 is Infinity once read as a number.
  it.each(['1e999ms', '1e999s', '1e308ms', '366d', '1e-320ms', '0.0001ms'])('refuses %j: not finite, or beyond what any run means', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('takes the extremes it names: 1us to 365d, and 0', () => {
    expect(parseDurationMs('1us')).toBe(0.001);
    expect(parseDurationMs('365d')).toBe(365 * 86_400_000);
    expect(parseDurationMs('0s')).toBe(0);
  });
});

describe('rates become events per second', () => {
  it.each([
    ['50/s', 50],
    ['50/sec', 50],
    ['3000/m', 50], // 3000 / 60
    ['3000/min', 50],
    ['7200/h', 2], // 7200 / 3600
    ['0.5/s', 0.5],
    ['20 / s', 20],
  ] as const)('%s → %d per second', (text, perSec) => {
    expect(parseRatePerSec(text)).toBeCloseTo(perSec, 12);
  });

  it('takes a bare number as per second', () => {
    expect(parseRatePerSec(20)).toBe(20);
  });

  it.each(['50', '50/parsec', '-20/s', 'lots'])('refuses %j', (text) => {
    expect(parseRatePerSec(text)).toBeUndefined();
  });

  it.each(['1e999/s', '1e-320/s', '2e9/s'])('refuses %j: not finite, or beyond what any run means', (text) => {
    expect(parseRatePerSec(text)).toBeUndefined();
  });
});

describe('percentages become fractions', () => {
  it.each([
    ['50%', 0.5],
    ['100%', 1],
    ['12.5%', 0.125],
    ['0%', 0],
  ] as const)('%s → %d', (text, fraction) => {
    expect(parsePercent(text)).toBe(fraction);
  });

  it.each(['1e999%', '100001%'])('refuses %j: not finite, or past a thousand windows', (text) => {
    expect(parsePercent(text)).toBeUndefined();
  });

  it('does not read numbers or durations as percentages', () => {
    expect(parsePercent(50)).toBeUndefined();
    expect(parsePercent('50s')).toBeUndefined();
  });
});

describe('time points: absolute, or a share of the arrival window', () => {
  it('reads "90s" as an absolute time and "50%" as half the window', () => {
    expect(parseTimePoint('90s')).toEqual({ kind: 'absolute', ms: 90_000 });
    expect(parseTimePoint('50%')).toEqual({ kind: 'window', fraction: 0.5 });
  });

  it('resolves a share against the window and leaves absolute times alone', () => {
    const window = 100_000;
    expect(resolveTimePoint({ kind: 'window', fraction: 0.25 }, window)).toBe(25_000);
    expect(resolveTimePoint({ kind: 'absolute', ms: 90_000 }, window)).toBe(90_000);
  });

  it('refuses text that is neither', () => {
    expect(parseTimePoint('half-time')).toBeUndefined();
  });
});
