/**
 * The queueing core against closed forms: one backend with c workers, Poisson arrivals and
 * exponential service is an M/M/c queue, whose mean response time is
 *   W = 1/μ + C(c, a) / (cμ − λ),   a = λ/μ,
 * with C(c, a) the Erlang C probability of waiting.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

function mmc(workers: number, ratePerSec: number, serviceMs: number, seed: number) {
  const scenario = scenarioFrom(`
name: mmc
seed: ${seed}
sessions: 200000
arrivals: { rate: ${ratePerSec}/s }
backends: [{ name: "app:80", workers: ${workers}, queueLimit: 1000000 }]
journey:
  steps: [{ name: only, service: { dist: exponential, mean: ${serviceMs}ms } }]
strategies: [{ name: rr, balancer: { method: round-robin }, store: local }]
`);
  return runScenario(scenario).strategies[0]!;
}

describe('M/M/c', () => {
  it('Erlang C itself: C(1, a) = a (M/M/1), C(2, 1.5) = 0.6428…', () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    // C(2, 1.5): P0 = 1/(1 + 1.5 + 1.5²/2 · 1/(1 − 0.75)) = 1/7; C = 1.125·4/7 = 0.642857
    expect(erlangC(2, 1.5)).toBeCloseTo(4.5 / 7, 12);
  });

  it.each([
    { workers: 1, rate: 8, serviceMs: 100 }, // ρ = 0.8: W = 1/(μ − λ) = 500 ms
    { workers: 2, rate: 15, serviceMs: 100 }, // ρ = 0.75: W = 100 + 0.642857/(20 − 15) s = 228.6 ms
    { workers: 16, rate: 150, serviceMs: 90 }, // the bench's heavy backend: W = 104.96 ms
  ])('mean response time of M/M/$workers at λ=$rate/s, 1/μ=$serviceMs ms matches the closed form', ({ workers, rate, serviceMs }) => {
    const mu = 1000 / serviceMs;
    const expected = serviceMs + (erlangC(workers, rate / mu) / (workers * mu - rate)) * 1000;
    const result = mmc(workers, rate, serviceMs, 11);
    expect(result.requests.completed).toBe(200_000);
    // 200,000 correlated samples: the batch-means error of W is a few percent at ρ = 0.8.
    expect(Math.abs(result.latency.overall.mean - expected) / expected).toBeLessThan(0.05);
  });
});
