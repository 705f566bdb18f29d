/** Reading summary.json back for `lbsim report`: good files load, bad ones are named with the field at fault. */
import { describe, expect, it } from 'vitest';
import { parseSummaryText, renderJson } from '../../src/report/index.js';
import { strategy, summary } from './fixtures.js';

describe('parseSummaryText', () => {
  const good = summary([strategy('a'), strategy('b')]);

  it('reads back what renderJson wrote', () => {
    expect(parseSummaryText(renderJson(good), 'x.json')).toEqual({ ok: true, summary: good });
  });

  it.each([
    ['{ not json', /^x\.json: not JSON: /],
    ['[1, 2]', /^x\.json: not an lbsim summary\.json: expected a JSON object$/],
    [JSON.stringify({ ...good, schemaVersion: 2 }), /schemaVersion: expected 1, got 2$/],
    [JSON.stringify({ ...good, seed: 7 }), /: seed: expected a string$/],
    [JSON.stringify({ ...good, strategies: [] }), /strategies: expected a list of at least 1$/],
    [JSON.stringify({ ...good, strategies: [good.strategies[0], { ...good.strategies[1], latencyMs: { p50: 1 } }] }), /strategies\[1\]\.latencyMs\.mean: expected a number$/],
    [JSON.stringify({ ...good, strategies: [{ ...good.strategies[0], funnel: [{ step: 'home' }] }] }), /strategies\[0\]\.funnel\[0\]\.sessions: expected a number$/],
  ])('refuses %s', (text, message) => {
    const read = parseSummaryText(text, 'x.json');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(message);
  });
});

describe('a summary never holds a number that is not finite', () => {
  // JSON has no Infinity or NaN: JSON.stringify writes null, which `lbsim report` then read as a field of the wrong type.
  it.each([Number.NaN, Infinity, -Infinity])('renderJson refuses %s as a bug, naming the field', (value) => {
    const bad = summary([strategy('a', { revenue: value })]);
    expect(() => renderJson(bad)).toThrow(/strategies\.0\.revenue is not a finite number/);
  });
});
