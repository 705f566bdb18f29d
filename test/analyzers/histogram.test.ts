/** The fixed histogram against exact order statistics and against its own layout. */
import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/analyzers/stats/histogram.js';
import { createRandomStream, exponential } from '../../src/engine/index.js';

describe('Histogram', () => {
  it('is exact below 2048: the percentile is the ⌈q·n⌉-th smallest value', () => {
    const h = new Histogram();
    for (let v = 1; v <= 1000; v++) h.record(v);
    expect(h.count).toBe(1000);
    expect(h.valueAtPercentile(50)).toBe(500);
    expect(h.valueAtPercentile(99)).toBe(990);
    expect(h.valueAtPercentile(100)).toBe(1000);
    expect(h.valueAtPercentile(0)).toBe(1);
  });

  it('reports the top of a value’s bucket above 2048: 1/1024 resolution', () => {
    // 5000 has bit length 13: buckets of width 2^(12 − 10) = 4 there, so 5000 reads as 5003.
    const h = new Histogram();
    h.record(5000);
    expect(h.valueAtPercentile(50)).toBe(5003);
    // 20,000,000 µs (20 s): width 2^14 = 16384; 20,000,000 = 1220·16384 + 11520 → top 20,004,863.
    const big = new Histogram();
    big.record(20_000_000);
    expect(big.valueAtPercentile(99)).toBe(1221 * 16384 - 1);
  });

  it('keeps percentiles of 100,000 exponential samples within 0.1% of the exact ones', () => {
    const rng = createRandomStream(5).fork('h');
    const sample = exponential(20_000);
    const values = Array.from({ length: 100_000 }, () => Math.round(sample(rng)));
    const h = new Histogram();
    values.forEach((v) => h.record(v));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [50, 95, 99, 99.9]) {
      const exact = sorted[Math.ceil((q / 100) * values.length) - 1]!;
      const got = h.valueAtPercentile(q);
      expect(got).toBeGreaterThanOrEqual(exact);
      expect((got - exact) / exact).toBeLessThan(0.001);
    }
  });

  it('adds histograms, and clamps negative and huge values', () => {
    const a = new Histogram();
    const b = new Histogram();
    a.record(10);
    b.record(30);
    b.record(-5);
    a.add(b);
    expect(a.count).toBe(3);
    expect(a.valueAtPercentile(1)).toBe(0);
    expect(a.valueAtPercentile(100)).toBe(30);
    const huge = new Histogram();
    huge.record(1e12);
    expect(huge.valueAtPercentile(100)).toBeGreaterThanOrEqual(2 ** 32 - 1);
  });
});
