/**
 * Hand-made summaries for the report tests: every number chosen so that the expected text and
 * markings can be worked out by hand (see each test). Eight backends `app1:80` … `app8:80`, the
 * default six-step journey, 1,000 sessions.
 */
import { BREAK_CAUSES, type BreakCause } from '../../src/model/index.js';
import type { ScenarioSetup, StrategySummary, Summary } from '../../src/report/index.js';

export const BACKENDS = Array.from({ length: 8 }, (_, i) => `app${i + 1}:80`);
export const STEPS = ['home', 'search', 'product', 'add-to-cart', 'checkout', 'pay'];

const latency = (p50: number) => ({ mean: p50 * 1.2, max: p50 * 10, p50, p95: p50 * 3, p99: p50 * 5 });

/** Requests per backend from shares that add up to 1 (10,000 attempts in all). */
export function requestsFromShares(shares: readonly number[]) {
  return BACKENDS.map((name, i) => ({ name, requests: Math.round((shares[i] ?? 0) * 10_000), peakSessions: 10, utilization: 0.2 }));
}

/** A strategy summary with plausible defaults; `broken` per cause, everything else overridable. */
export function strategy(name: string, options: { broken?: Partial<Record<BreakCause, number>>; p50?: number } & Partial<StrategySummary> = {}): StrategySummary {
  const { broken = {}, p50 = 30, ...overrides } = options;
  const brokenByCause = Object.fromEntries(BREAK_CAUSES.map((cause) => [cause, broken[cause] ?? 0])) as Record<BreakCause, number>;
  const brokenTotal = Object.values(brokenByCause).reduce((a, b) => a + b, 0);
  return {
    name,
    description: `${name} as declared`,
    method: 'round-robin',
    store: 'local',
    sticky: null,
    sessions: { total: 1000, completed: 500 - brokenTotal / 2, abandoned: 500 - brokenTotal / 2, broken: brokenTotal },
    breakageRate: brokenTotal / 1000,
    brokenByCause,
    failoverLoss: { sessions: brokenByCause['backend-failed'], carts: Math.floor(brokenByCause['backend-failed'] / 2), revenue: brokenByCause['backend-failed'] * 10, revenueLost: brokenByCause['backend-failed'] * 6 },
    skew: { requestsMaxOverMean: 1.05, requestsCv: 0.05 },
    latencyMs: latency(p50),
    latencyByStepMs: STEPS.map((step, i) => ({ step, count: 100, ...latency(p50 + i * 10) })),
    requests: { total: 5000, completed: 5000, failed: 0, rejected: 0, attempts: 5000, sentToDeadBackend: 0 },
    backends: requestsFromShares(BACKENDS.map(() => 1 / 8)),
    funnel: STEPS.map((step, i) => ({ step, sessions: 1000 - i * 100 })),
    revenue: 6000,
    storeStats: { kind: 'local', reads: 4000, writes: 3000, hitRatio: 1, opsPerSec: 100, evictions: 0, expirations: 0 },
    simulatedTimeMs: 100_000,
    balancer: { method: 'round-robin', key: null, options: {} },
    stickyCookie: null,
    ...overrides,
  };
}

/** The world of the hand-made summaries: 8 equal backends, 30% of users behind 3 NAT addresses. */
export function setup(overrides: Partial<ScenarioSetup> = {}): ScenarioSetup {
  const service = { kind: 'constant' as const, value: 20 };
  return {
    sessions: 1000,
    arrivals: { ratePerSec: 10, spacing: 'poisson', profile: [{ fromMs: 0, ratePerSec: 10 }], windowMs: null, referenceWindowMs: 100_000 },
    clients: { networks: 500, ipv6Share: 0, nat: { share: 0.3, addresses: 3 }, proxy: null },
    journey: { thinkTimeMs: { kind: 'exponential', mean: 5000 }, steps: STEPS.map((name) => ({ name, method: 'GET', serviceMs: service, writes: false, needsSession: true, coupled: false, abandon: 0.1, orderValue: null })) },
    backends: BACKENDS.map((name) => ({ name, weight: 1, workers: 16, queueLimit: 1000, speed: 1, down: false, maxFails: 1, failTimeoutMs: 10_000 })),
    stores: { local: { ttlMs: 1_800_000 }, shared: { roundTripMs: 2, ttlMs: 1_800_000, capacity: null, notSerializable: 0 } },
    events: [{ atMs: 50_000, kind: 'mode', backend: 'app4:80', mode: 'refused', durationMs: null }],
    ...overrides,
  };
}

/** A summary of the given strategies. */
export function summary(strategies: readonly StrategySummary[], overrides: Partial<Summary> & { description?: string | null; name?: string } = {}): Summary {
  const { description = 'A hand-made run.', name = 'hand-made', ...rest } = overrides;
  return {
    schemaVersion: 1,
    scenario: { name, description, setup: setup() },
    seed: '7',
    lbsimVersion: 'test',
    generatedAt: '2026-01-01T00:00:00.000Z',
    runTimeMs: 1234,
    strategies,
    ...rest,
  };
}
