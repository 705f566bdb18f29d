/**
 * The 95% intervals of `lbsim run --replications` cover the true value about 95% of the time.
 * Each step-1 user leaves with probability 0.3, so of 100 sessions 30 abandon on average: a
 * figure whose true mean is known exactly. 300 experiments of 4 replications each (Student t
 * with 3 degrees of freedom: 3.18 standard errors; a normal 1.96 covers only 251 of these 300, 84%).
 */
import { describe, expect, it } from 'vitest';
import { buildSummary, combineReplications } from '../../src/report/index.js';
import { replications, runScenario } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const META = { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 };

function replicated(seed: string, count: number) {
  const scenario = scenarioFrom(`
name: leavers
seed: "${seed}"
sessions: 100
arrivals: { rate: 10/s }
backends: [{ name: "app:80" }]
journey:
  steps:
    - { name: browse, service: { dist: constant, value: 5ms }, abandon: 0.3 }
    - { name: buy, service: { dist: constant, value: 5ms } }
strategies: [{ name: rr, balancer: { method: round-robin }, store: local }]
`);
  const summaries = replications(scenario, count).map((run) => buildSummary(runScenario(run), META));
  return combineReplications(summaries, scenario.seed).strategies[0]! as unknown as {
    sessions: { abandoned: number; ci95: Record<string, { low: number; high: number; halfWidth: number }> };
  };
}

describe('95% confidence intervals over replications', () => {
  it('cover the true abandonment count (30 of 100) in about 95% of experiments', () => {
    const experiments = 300;
    let covered = 0;
    let halfWidths = 0;
    for (let k = 0; k < experiments; k++) {
      const { sessions } = replicated(`coverage/${k}`, 4);
      const interval = sessions.ci95['abandoned']!;
      if (interval.low <= 30 && 30 <= interval.high) covered++;
      halfWidths += interval.halfWidth;
    }
    // Binomial(300, 0.95) lies in [273, 296] with probability above 0.999.
    expect(covered).toBeGreaterThanOrEqual(273);
    expect(covered).toBeLessThanOrEqual(296);
    // The interval's width is right too: sd of a count is √(100 · 0.3 · 0.7) = 4.58, so the mean
    // half-width is about 3.18 · 4.58 / √4 · c₄(4) ≈ 6.7, where c₄(4) = 0.921 is E[s]/σ.
    expect(halfWidths / experiments).toBeGreaterThan(6.0);
    expect(halfWidths / experiments).toBeLessThan(7.4);
  });
});
