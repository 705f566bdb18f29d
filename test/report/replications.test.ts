/** Replications: Student-t intervals by hand, and the shape of a replicated summary. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { meanInterval, tQuantile975 } from '../../src/report/index.js';
import { fakeIo } from '../helpers/fake-io.js';

describe('Student t intervals', () => {
  it('uses the t quantiles: 12.706 (1 df), 2.228 (10 df), about 1.984 (100 df)', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(10)).toBe(2.228);
    expect(tQuantile975(100)).toBeCloseTo(1.984, 3);
    expect(tQuantile975(1000)).toBeCloseTo(1.962, 3);
  });

  it('computes mean ± t·s/√n: [1, 2, 3] gives 2 ± 4.303/√3', () => {
    // s = 1 (sample standard deviation), n = 3, t(2 df) = 4.303.
    const { mean, ci95 } = meanInterval([1, 2, 3]);
    expect(mean).toBe(2);
    expect(ci95.halfWidth).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(ci95.low).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 10);
    expect(meanInterval([5]).ci95).toEqual({ low: 5, high: 5, halfWidth: 0 });
  });
});

describe('lbsim run --replications', () => {
  it('averages independent seeds, keeps every field, and adds ci95 siblings', async () => {
    const { io, stdout } = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '300', '--replications', '3', '--json', '--threads', '1'], io)).toBe(0);
    const summary = JSON.parse(stdout());
    expect(summary.replications).toBe(3);
    expect(summary.seed).toBe('42');
    expect(summary.seeds).toEqual(['42/rep/0', '42/rep/1', '42/rep/2']);
    const rr = summary.strategies[0];
    expect(rr.name).toBe('round-robin');
    expect(rr.sessions.total).toBe(300);
    expect(rr.sessions.ci95.total).toEqual({ low: 300, high: 300, halfWidth: 0 });
    expect(rr.ci95.breakageRate.low).toBeLessThanOrEqual(rr.breakageRate);
    expect(rr.ci95.breakageRate.high).toBeGreaterThanOrEqual(rr.breakageRate);
    expect(rr.ci95.breakageRate.halfWidth).toBeGreaterThan(0);
    expect(rr.latencyMs.ci95.p99.halfWidth).toBeGreaterThan(0);
  });

  it('refuses a bad count with exit 2', async () => {
    const { io, stderr } = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--replications', '0'], io)).toBe(2);
    expect(stderr()).toContain('--replications');
  });
});
