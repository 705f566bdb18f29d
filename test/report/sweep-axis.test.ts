/**
 * Where a sweep's values sit on the x axis: numbers and quantities at their size, in the unit
 * they were written in or, when several units are mixed, in lbsim's base unit; a log scale only
 * when asked and possible; anything else one step per value.
 */
import { describe, expect, it } from 'vitest';
import { sweepAxis } from '../../src/report/sweep-axis.js';

const axis = (values: string[], log = false, path = 'some.field') => sweepAxis({ path, values }, log);

describe('sweepAxis', () => {
  it('places numbers and quantities of one unit at their size, in that unit', () => {
    expect(axis(['1ms', '2ms', '5ms', '10ms'])).toEqual({ scale: 'linear', positions: [1, 2, 5, 10], unit: 'ms' });
    expect(axis(['0', '0.1', '0.2'])).toEqual({ scale: 'linear', positions: [0, 0.1, 0.2], unit: '' });
    expect(axis(['20/s', '50/s'])).toEqual({ scale: 'linear', positions: [20, 50], unit: '/s' });
    expect(axis(['1s', '2s'])).toEqual({ scale: 'linear', positions: [1, 2], unit: 's' });
    expect(axis(['25%', '50%'])).toEqual({ scale: 'linear', positions: [25, 50], unit: '%' });
  });

  it('converts quantities of one kind in several units to the base unit', () => {
    expect(axis(['500ms', '1s', '0'])).toEqual({ scale: 'linear', positions: [500, 1000, 0], unit: 'ms' });
    expect(axis(['20/s', '2400/m'])).toEqual({ scale: 'linear', positions: [20, 40], unit: '/s' });
    expect(axis(['0', '7%'])).toEqual({ scale: 'linear', positions: [0, 7], unit: '%' });
  });

  it('keeps one step per value for what is not a quantity of one kind, and for seeds', () => {
    for (const values of [['true', 'false'], ['[error, timeout]', 'off'], ['1ms', '20/s'], ['1abc', '2abc'], ['1e999', '1']]) {
      expect(axis(values), values.join(',')).toEqual({ scale: 'category', positions: null, unit: '' });
    }
    expect(axis(['1', '2', '3'], false, 'seed').scale).toBe('category');
  });

  it('draws a log scale when asked and every value is positive, and says why not otherwise', () => {
    expect(axis(['1ms', '10ms', '100ms'], true)).toEqual({ scale: 'logarithmic', positions: [1, 10, 100], unit: 'ms' });
    expect(axis(['0', '0.1', '0.2'], true)).toEqual({ scale: 'linear', positions: [0, 0.1, 0.2], unit: '', logRefused: '--log: a log axis cannot place 0 (of some.field), so the charts keep a linear axis' });
    expect(axis(['off', 'on'], true).logRefused).toBe('--log: the values of some.field are not quantities, so the charts keep one step per value');
  });
});
