/** The workload: lazy, deterministic, aligned streams, arrival limits and the client mix. */
import { describe, expect, it } from 'vitest';
import { createRandomStream } from '../../src/engine/index.js';
import { Workload, type WorkloadSpec } from '../../src/model/index.js';

const steps = [
  { service: { kind: 'exponential', mean: 20 } as const, abandon: 0.2 },
  { service: { kind: 'constant', value: 5 } as const, abandon: 0 },
];
const base: WorkloadSpec = {
  sessions: 5000,
  windowMs: undefined,
  spacing: 'poisson',
  profile: [{ fromMs: 0, ratePerSec: 100 }],
  clients: { networks: 100, ipv6Share: 0, nat: { share: 0.5, addresses: 2 } },
  steps,
  thinkTime: { kind: 'exponential', mean: 1000 },
};

const all = (spec: WorkloadSpec, seed = 1) => {
  const w = new Workload(spec, createRandomStream(seed));
  const plans = [];
  for (let p = w.next(); p; p = w.next()) plans.push(p);
  return plans;
};

describe('Workload', () => {
  it('generates the same sessions for the same seed, in arrival order', () => {
    const a = all(base);
    const b = all(base);
    expect(a).toHaveLength(5000);
    expect(a.map((p) => [p.arrivalMs, p.client.text, p.serviceMs[0], p.lastStep])).toEqual(b.map((p) => [p.arrivalMs, p.client.text, p.serviceMs[0], p.lastStep]));
    expect(a.every((p, i) => i === 0 || p.arrivalMs >= a[i - 1]!.arrivalMs)).toBe(true);
    expect(a[0]!.id).toBe('s1');
  });

  it('arrives at the given rate: 5000 sessions at 100/s take about 50 s', () => {
    const last = all(base).at(-1)!.arrivalMs;
    // The sum of 5000 exponential gaps of mean 10 ms: 50 s ± 0.7 s (1 sd), allow 4 sd.
    expect(Math.abs(last - 50_000)).toBeLessThan(2800);
  });

  it('stops at the arrival window when it comes first, and follows a rate profile', () => {
    const windowed = all({ ...base, windowMs: 10_000 });
    expect(windowed.length).toBeGreaterThan(900);
    expect(windowed.length).toBeLessThan(1100);
    const spike = all({ ...base, sessions: undefined, windowMs: 20_000, profile: [{ fromMs: 0, ratePerSec: 10 }, { fromMs: 10_000, ratePerSec: 200 }] });
    const early = spike.filter((p) => p.arrivalMs < 10_000).length;
    const late = spike.length - early;
    expect(early).toBeGreaterThan(60);
    expect(early).toBeLessThan(140);
    expect(late).toBeGreaterThan(1800);
    expect(late).toBeLessThan(2200);
  });

  it('spaces even arrivals exactly 1/rate apart', () => {
    const even = all({ ...base, sessions: 3, spacing: 'even' });
    expect(even.map((p) => p.arrivalMs)).toEqual([10, 20, 30]);
  });

  it('changing one concern leaves the other streams alone (common random numbers)', () => {
    const a = all(base);
    const b = all({ ...base, thinkTime: { kind: 'constant', value: 1 }, steps: [{ ...steps[0]!, abandon: 0.9 }, steps[1]!] });
    expect(b.map((p) => p.arrivalMs)).toEqual(a.map((p) => p.arrivalMs));
    expect(b.map((p) => p.client.text)).toEqual(a.map((p) => p.client.text));
    expect(b.map((p) => p.serviceMs[0])).toEqual(a.map((p) => p.serviceMs[0]));
  });

  it('puts the NAT share of users behind the NAT addresses, the rest in their own /24s', () => {
    const plans = all(base);
    const counts = new Map<string, number>();
    for (const p of plans) counts.set(p.client.text, (counts.get(p.client.text) ?? 0) + 1);
    const shared = [...counts.values()].filter((n) => n > 100);
    expect(shared).toHaveLength(2);
    const natUsers = shared.reduce((a, b) => a + b, 0);
    expect(natUsers / plans.length).toBeGreaterThan(0.47);
    expect(natUsers / plans.length).toBeLessThan(0.53);
    const networks = new Set(plans.map((p) => p.client.text.split('.').slice(0, 3).join('.')));
    expect(networks.size).toBe(102); // 100 user networks + 2 NAT gateways' networks
  });
});
