/**
 * lbsim live without servers: the generated configurations (loopback only, one worker, realip,
 * the upstream log, set-src for balance source), the scenario's renaming and time scale, the
 * refusals, and what makes a run invalid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compare, type Prediction } from '../../src/cli/live/compare.js';
import { assertLoopback, haproxyConfig, nginxConfig, type Layout } from '../../src/cli/live/configs.js';
import { renameBackends, scaleScenario, scenarioRefusal, strategyRefusal } from '../../src/cli/live/live-scenario.js';
import { liveSessions } from '../../src/cli/live/sessions.js';
import { parseScenarioText, type Scenario } from '../../src/scenario/index.js';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

function scenarioOf(text: string): Scenario {
  const loaded = parseScenarioText(text, 'test.yaml', {}, () => ({ refused: 'none' }));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

const BASE = `
name: t
seed: 1
sessions: 20
arrivals: { rate: 10/s }
backends: { count: 3, name: "10.0.1.{n}:8080" }
`;
const KILL = 'timeline: [{ at: 50%, backend: "10.0.1.2:8080", mode: refused }]\n';
const layout: Layout = { folder: '/tmp/x', balancerPort: 9000, redisPort: 9001, backends: [1, 2, 3].map((n) => ({ name: `127.0.0.1:${9100 + n}`, port: 9100 + n, controlPort: 9200 + n })) };

describe('generated configurations', () => {
  const scenario = renameBackends(
    scenarioOf(`${BASE}${KILL}
strategies:
  - { name: ch, store: local, balancer: { method: hash-consistent, key: $session_id } }
  - { name: src, store: local, balancer: { method: haproxy-source } }
  - { name: block, store: local, balancer: { nginx: "upstream u { ip_hash; server 10.0.1.3:8080 weight=2; server 10.0.1.1:8080; server 10.0.1.2:8080 max_fails=3 fail_timeout=30s; }" } }
`),
    layout.backends.map((b) => b.name),
  );
  const [ch, src, block] = scenario.strategies;

  it('nginx: one worker, realip from 127.0.0.1 via X-Forwarded-For, the upstream log, the session id as its header', () => {
    const text = nginxConfig(scenario, ch!, layout);
    expect(text).toContain('worker_processes 1;');
    expect(text).toContain('set_real_ip_from 127.0.0.1;');
    expect(text).toContain('real_ip_header X-Forwarded-For;');
    expect(text).toMatch(/log_format live .*\$upstream_addr.*\$upstream_status/);
    expect(text).toContain('hash $http_x_session_id consistent;');
    expect(text).toContain('server 127.0.0.1:9101 weight=1 max_fails=1 fail_timeout=10s;');
  });

  it("nginx: the user's block keeps its servers' order and settings, mapped to the loopback addresses", () => {
    const text = nginxConfig(scenario, block!, layout);
    const servers = [...text.matchAll(/server (127\.0\.0\.1:\d+) (.*);/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(servers).toEqual(['127.0.0.1:9103 weight=2 max_fails=1 fail_timeout=10s', '127.0.0.1:9101 weight=1 max_fails=1 fail_timeout=10s', '127.0.0.1:9102 weight=1 max_fails=3 fail_timeout=30s']);
    expect(text).toContain('ip_hash;');
  });

  it('HAProxy: balance source takes the client from X-Forwarded-For', () => {
    const text = haproxyConfig(scenario, src!, layout);
    expect(text).toContain('balance source');
    expect(text).toContain('http-request set-src hdr(x-forwarded-for)');
  });

  it('holds no address but 127.0.0.1, and the check catches one that is not', () => {
    for (const spec of [ch!, block!]) expect(() => assertLoopback(nginxConfig(scenario, spec, layout))).not.toThrow();
    expect(() => assertLoopback(haproxyConfig(scenario, src!, layout))).not.toThrow();
    expect(() => assertLoopback('server 10.0.1.1:8080;')).toThrow(/10\.0\.1\.1/);
  });

  it('renames the timeline with the backends', () => {
    expect(scenario.timeline[0]).toMatchObject({ backend: '127.0.0.1:9102' });
  });
});

describe('the time scale', () => {
  it('divides arrival gaps, think times, service times and the timeline by K: the same draws, times / K', () => {
    const scenario = scenarioOf(`${BASE}${KILL}
strategies: [{ name: rr, store: local, balancer: { method: round-robin } }]
`);
    const plain = liveSessions(scenario);
    const fast = liveSessions(scaleScenario(scenario, 4));
    expect(fast.length).toBe(plain.length);
    fast.forEach((s, i) => {
      expect(s.arrivalMs).toBeCloseTo(plain[i]!.arrivalMs / 4, 9);
      expect(s.steps[0]!.thinkMs).toBeCloseTo(plain[i]!.steps[0]!.thinkMs / 4, 9);
      expect(s.steps[1]!.requests[0]!.serviceMs).toBeCloseTo(plain[i]!.steps[1]!.requests[0]!.serviceMs / 4, 9);
      expect(s.steps.map((step) => step.address)).toEqual(plain[i]!.steps.map((step) => step.address));
    });
    expect(scaleScenario(scenario, 4).timeline[0]!.atMs).toBeCloseTo(scenario.timeline[0]!.atMs / 4, 9);
  });
});

describe('refusals', () => {
  const refused = (strategy: string, extra = '') => {
    const scenario = scenarioOf(`${BASE}${extra}\nstrategies: [${strategy}]\n`);
    return strategyRefusal(scenario.strategies[0]!) ?? scenarioRefusal(scenario, scenario.strategies);
  };
  it.each([
    ['{ name: s, store: local, balancer: { method: round-robin }, sticky: { cookie: { name: route } } }', '', /sticky.*not in open-source nginx/],
    ['{ name: s, store: local, balancer: { method: envoy-ring-hash, key: source_ip } }', '', /Envoy, ALB and Kubernetes/],
    ['{ name: s, store: local, balancer: { method: round-robin } }', '\ntimeline: [{ at: 1s, backend: "10.0.1.1:8080", mode: blackhole }]', /blackhole needs root/],
    ['{ name: s, store: local, balancer: { method: round-robin } }', '\ntimeline: [{ at: 1s, event: remove-backend, backend: "10.0.1.1:8080" }]', /remove-backend needs a configuration reload/],
  ])('%s%s is refused with its reason', (strategy, extra, reason) => {
    expect(refused(strategy, extra)).toMatch(reason);
  });

  it('the command refuses them with exit 2 and the reason, starting nothing', async () => {
    const fake = fakeIo({ files: { 'sticky.yaml': `${BASE}strategies: [{ name: s, store: local, balancer: { method: round-robin }, sticky: { cookie: { name: route } } }]\n` } });
    expect(await main(['live', 'sticky.yaml'], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/strategy "s" cannot run live: nginx's `sticky` cookie is not in open-source nginx/);
  });

  it('takes --sessions as every scenario command does (shared scenarioOptions): a word for a number is refused', async () => {
    const fake = fakeIo({ files: { 'sticky.yaml': `${BASE}strategies: [{ name: s, store: local, balancer: { method: round-robin }, sticky: { cookie: { name: route } } }]\n` } });
    expect(await main(['live', 'sticky.yaml', '--sessions', 'many'], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/--sessions/);
  });
});

describe('an invalid run', () => {
  it('arrivals over 5 ms late on average make the comparison invalid, and it says why', () => {
    const scenario = scenarioOf(`${BASE}
strategies: [{ name: rr, store: local, balancer: { method: round-robin } }]
`);
    const prediction = { summary: { sessions: { total: 0 }, requests: {}, backends: [], brokenByCause: {} }, sessions: new Map(), attempts: new Map(), backendMs: 0 } as unknown as Prediction;
    const late = (lateMs: number) => ({ sessions: [0, 1].map((index) => ({ index, outcome: 'completed' as const, cause: undefined, stepsCompleted: 6, lateMs, stepsLateMs: 0 })), requests: [], startedAt: 0 });
    const sessions = liveSessions(scenario).slice(0, 2);
    const against = (lateMs: number) => compare({ scenario, spec: scenario.strategies[0]!, sessions, prediction, drive: late(lateMs), logged: new Map(), generatedAt: new Date(0) });
    expect(against(4).valid).toBe(true);
    const invalid = against(6);
    expect(invalid.valid).toBe(false);
    expect(invalid.invalidReason).toMatch(/6\.0 ms late on average \(more than 5 ms\)/);
  });
});

it('the live test scenario is a valid scenario', () => {
  expect(() => scenarioOf(readFileSync('test/live/live-shop.yaml', 'utf8'))).not.toThrow();
});
