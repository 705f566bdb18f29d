/**
 * The measured side of a live comparison is a strategy as in summary.json, made by lbsim's own
 * analyzers from the answers and the log: a hand-made run of two sessions, checked figure by figure.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/cli/live/compare.js';
import type { DriveResult, MeasuredRequest } from '../../src/cli/live/driver.js';
import { measuredSummary } from '../../src/cli/live/measured-summary.js';
import type { LiveSession } from '../../src/cli/live/sessions.js';
import { parseScenarioText } from '../../src/scenario/index.js';

const loaded = parseScenarioText(
  `
name: two-sessions
sessions: 2
arrivals: { rate: 20/s }
journey:
  thinkTime: { dist: constant, value: 90ms }
  steps:
    - { name: home, service: { dist: constant, value: 5ms }, writes: true }
    - { name: cart, service: { dist: constant, value: 5ms }, writes: true, needsSession: true, orderValue: { dist: constant, value: 40 } }
backends: { count: 2, name: "10.0.0.{n}:80" }
timeline:
  - { at: 70ms, backend: "10.0.0.2:80", mode: refused }
strategies: [{ name: ip-hash, store: local, balancer: { method: ip-hash } }]
`,
  'test.yaml',
  {},
  () => ({ refused: 'none' }),
);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const scenario = loaded.scenario;
const [B1, B2] = ['10.0.0.1:80', '10.0.0.2:80'];

const session = (index: number, arrivalMs: number, address: string): LiveSession => ({
  index,
  id: `s${index + 1}`,
  arrivalMs,
  refusesCookies: false,
  lastStep: 1,
  orderValue: 40,
  steps: ['home', 'cart'].map((name, k) => ({ name, method: 'GET', needsSession: k === 1, address, requests: [{ serviceMs: 5, writes: true }], thinkMs: 90 })),
});

const answer = (id: string, sentMs: number, latencyMs: number, backend: string, status = 200): MeasuredRequest => ({ id, status, backend, latencyMs, backendMs: latencyMs - 1, sentMs, queueMs: 0, store: { reads: id.includes('.1.') ? 1 : 0, writes: status === 200 ? 1 : 0, hits: status === 200 && id.includes('.1.') ? 1 : 0 } });

// Session 0 completes on app1. Session 1 writes on app2, which is killed at 70 ms; its next step
// is refused there (nginx logs app2 502, then app1) and app1 has no state: 410.
const drive: DriveResult = {
  startedAt: 0,
  sessions: [
    { index: 0, outcome: 'completed', cause: undefined, stepsCompleted: 2, lateMs: 0, stepsLateMs: 0 },
    { index: 1, outcome: 'broken', cause: 'missing', stepsCompleted: 1, lateMs: 0, stepsLateMs: 0 },
  ],
  requests: [answer('0.0.0', 0, 10, B1), answer('1.0.0', 50, 10, B2), answer('0.1.0', 100, 20, B1), answer('1.1.0', 150, 6, B1, 410)],
};
const logged = new Map<string, LoggedRequest>([['1.1.0', { upstreams: [B2, B1], failedUpstreams: [B2], failedAttempts: 1, retries: 1 }]]);

describe('measuredSummary', () => {
  const m = measuredSummary(scenario, scenario.strategies[0]!, [session(0, 0, '203.0.113.1'), session(1, 50, '203.0.113.2')], drive, logged, new Date(0));

  it('counts sessions as the answers ended them, and names the cause as lbsim does: the holder was killed', () => {
    expect(m.sessions).toEqual({ total: 2, completed: 1, abandoned: 0, broken: 1 });
    expect(m.brokenByCause['backend-failed']).toBe(1);
    expect(m.failoverLoss.sessions).toBe(1);
    expect(m.funnel.map((f) => f.sessions)).toEqual([2, 1]);
    expect(m.revenue).toBe(40);
  });

  it('counts requests, their latency, and the attempt on the killed backend', () => {
    expect(m.requests.total).toBe(4);
    // The 410 is an answer: the request completed and the session broke, as lbsim counts it.
    expect(m.requests.completed).toBe(4);
    expect(m.requests.sentToDeadBackend).toBe(1);
    expect(m.latencyMs.mean).toBeCloseTo((10 + 10 + 20 + 6) / 4, 6);
    expect(m.latencyMs.max).toBeCloseTo(20, 6);
  });

  it('takes the store operations from the backends’ answers', () => {
    expect(m.storeStats.reads).toBe(2);
    expect(m.storeStats.writes).toBe(3);
    expect(m.storeStats.hitRatio).toBe(0.5);
  });
});

describe('measuredSummary names a break as the run does', () => {
  it('a key hashed on the client address places by address: a moved client is ip-changed, not state-missing', () => {
    // No kill: session 1 wrote on app2, then its client's address changed and app1 had no state.
    const calm = { ...scenario, timeline: [] };
    const byAddress = { ...scenario.strategies[0]!, balancer: { method: 'hash-consistent' as const, key: '$remote_addr' } };
    const moved = session(1, 50, '203.0.113.2');
    const sessions = [session(0, 0, '203.0.113.1'), { ...moved, steps: [moved.steps[0]!, { ...moved.steps[1]!, address: '198.51.100.9' }] }];
    const m = measuredSummary(calm, byAddress, sessions, drive, new Map(), new Date(0));
    expect(m.brokenByCause['ip-changed']).toBe(1);
    expect(m.brokenByCause['state-missing']).toBe(0);
  });
});
