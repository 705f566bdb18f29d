/** The fixed histogram against exact order statistics and against its own layout. */
import { describe, expect, it } from 'vitest';
import { LatencyAnalyzer } from '../../src/analyzers/index.js';
import { CoarseHistogram } from '../../src/analyzers/stats/coarse-histogram.js';
import { Histogram } from '../../src/analyzers/stats/histogram.js';
import { createRandomStream, exponential } from '../../src/engine/index.js';
import { deliver } from '../../src/model/index.js';

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

  it.each([
    { bits: 10, bound: 1 / 1024 },
    { bits: 7, bound: 1 / 128 },
  ])('keeps percentiles of 100,000 exponential samples within 1/2^bits of the exact ones ($bits bits)', ({ bits, bound }) => {
    const rng = createRandomStream(5).fork('h');
    const sample = exponential(20_000);
    const values = Array.from({ length: 100_000 }, () => Math.round(sample(rng)));
    const h = new Histogram(bits);
    values.forEach((v) => h.record(v));
    const sorted = [...values].sort((a, b) => a - b);
    let worst = 0;
    for (const q of [50, 95, 99, 99.9]) {
      const exact = sorted[Math.ceil((q / 100) * values.length) - 1]!;
      const got = h.valueAtPercentile(q);
      expect(got).toBeGreaterThanOrEqual(exact);
      expect((got - exact) / exact).toBeLessThan(bound);
      worst = Math.max(worst, (got - exact) / exact);
    }
    // The coarser layout is visibly coarser: its error is not within the finer bound.
    if (bits === 7) expect(worst).toBeGreaterThan(1 / 1024);
  });

  it('at 7 bits, is exact below 256 and buckets 5000 by 2^(12 − 7) = 32', () => {
    const h = new Histogram(7);
    for (let v = 0; v < 256; v++) h.record(v);
    expect(h.valueAtPercentile(100)).toBe(255);
    const mid = new Histogram(7);
    mid.record(5000);
    // 5000 = 156·32 + 8: its bucket runs 4992 … 5023.
    expect(mid.valueAtPercentile(50)).toBe(5023);
  });

  it('clamps negative and huge values', () => {
    const a = new Histogram();
    a.record(10);
    a.record(30);
    a.record(-5);
    expect(a.count).toBe(3);
    expect(a.valueAtPercentile(1)).toBe(0);
    expect(a.valueAtPercentile(100)).toBe(30);
    const huge = new Histogram();
    huge.record(1e12);
    expect(huge.valueAtPercentile(100)).toBeGreaterThanOrEqual(2 ** 32 - 1);
  });
});

describe('CoarseHistogram', () => {
  it('puts v in quarter-octave bucket ⌊4·log2 v⌋ + 1 and reads its upper edge 2^(bucket/4)', () => {
    const rng = createRandomStream(9).fork('coarse');
    for (let i = 0; i < 2000; i++) {
      const v = Math.exp(rng.next() * 25); // 1 µs … 20 hours
      const h = new CoarseHistogram();
      h.record(v);
      const bucket = Math.min(127, Math.floor(Math.log2(v) * 4) + 1);
      expect(h.valueAtPercentile(50)).toBe(2 ** (bucket / 4));
    }
  });

  it('reads 1 below a microsecond, and clamps from 2^31.5 µs on', () => {
    const low = new CoarseHistogram();
    low.record(0.4);
    expect(low.valueAtPercentile(100)).toBe(1);
    const high = new CoarseHistogram();
    high.record(2 ** 33);
    expect(high.valueAtPercentile(100)).toBe(2 ** (127 / 4));
  });
});

describe('LatencyAnalyzer percentiles', () => {
  it('never exceed the exact max, though a bucket top may lie above it', () => {
    const latency = new LatencyAnalyzer(1);
    // 5 ms = 5000 µs: its bucket tops out at 5003 µs (overall, 10 bits) and 5023 µs (per step, 7 bits).
    deliver(latency.on, { type: 'request-end', t: 5, req: 0, session: 0, slot: 0, step: 0, backend: 0, outcome: 'completed', status: 200, latencyMs: 5, lockWaitMs: 0, lockTimedOut: false, lostUpdates: 0 });
    const { overall, byStep } = latency.finish();
    expect([overall.p50, overall.p99, overall.max]).toEqual([5, 5, 5]);
    expect([byStep[0]!.p50, byStep[0]!.p99]).toEqual([5, 5]);
  });
});
