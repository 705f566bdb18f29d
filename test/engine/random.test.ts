import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { createRandomStream, exponential, lognormal } from '../../src/engine/index.js';

const draw = (seed: string | number, label: string, n = 5) => {
  const stream = createRandomStream(seed).fork(label);
  return Array.from({ length: n }, () => stream.next());
};

describe('RandomStream', () => {
  it("draws exactly seedrandom's Alea double() sequence for the stream's key", () => {
    for (const [seed, label] of [[1, 'root'], [42, 'root/workload/service'], ['a/rep/3', 'root/balancer/ip-hash']] as const) {
      const ours = createRandomStream(seed, label);
      const theirs = seedrandom.alea(`${seed}/${label}`);
      for (let i = 0; i < 20_000; i++) expect(ours.next()).toBe(theirs.double());
    }
  });

  it('repeats for the same seed and label, differs for another seed or label', () => {
    expect(draw(42, 'workload/arrivals')).toEqual(draw(42, 'workload/arrivals'));
    expect(draw(42, 'workload/arrivals')).not.toEqual(draw(43, 'workload/arrivals'));
    expect(draw(42, 'workload/arrivals')).not.toEqual(draw(42, 'workload/think'));
  });

  it('adding or using another stream leaves a stream unchanged', () => {
    const root = createRandomStream(7);
    const think = root.fork('think');
    const extra = root.fork('extra');
    for (let i = 0; i < 100; i++) extra.next();
    expect([think.next(), think.next()]).toEqual(draw(7, 'think', 2));
  });

  it('draws uniforms in [0, 1) with mean 1/2', () => {
    const values = draw(1, 'u', 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    // standard error of the mean is sqrt(1/12 / 1e5) ≈ 0.0009; 5 SE
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
  });

  it('samples exponential and lognormal with the right mean and median', () => {
    const rng = createRandomStream(3).fork('d');
    const exp = exponential(20);
    const xs = Array.from({ length: 100_000 }, () => exp(rng));
    // mean 20, sd 20: standard error 0.063; 5 SE
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 20)).toBeLessThan(0.32);
    const logn = lognormal(60, 0.7);
    const ys = Array.from({ length: 100_001 }, () => logn(rng)).sort((a, b) => a - b);
    expect(ys[50_000]!).toBeGreaterThan(59);
    expect(ys[50_000]!).toBeLessThan(61);
  });
});
