/**
 * lbsim live against a real nginx, HAProxy and Redis on loopback: the measured outcomes equal
 * lbsim's prediction session for session, every logged pick is lbsim's, a mismatched
 * configuration shows in the route agreement, and nothing lbsim started outlives it.
 *
 * Without the servers the suite says so loudly and skips — except under CI (CI=true), where
 * they are missing only by mistake and the run fails: `.ci/run` installs them.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, predict, type StrategyComparison } from '../../src/cli/live/compare.js';
import { balancerOf, type Layout } from '../../src/cli/live/configs.js';
import { runLive } from '../../src/cli/live/live-run.js';
import { renameBackends } from '../../src/cli/live/live-scenario.js';
import { findProgram, freePort, ProcessGroup } from '../../src/cli/live/processes.js';
import { liveSessions } from '../../src/cli/live/sessions.js';
import { parseScenarioText, type Scenario } from '../../src/scenario/index.js';

const BIN = 'dist/lbsim.js';
const ci = process.env['CI'] === 'true';
const missing = ['nginx', 'haproxy', 'redis-server'].filter((p) => findProgram(p) === undefined);
if (missing.length > 0) {
  console.warn(`\n${'!'.repeat(78)}\n!! ${missing.join(', ')} missing: the live test of lbsim live ${ci ? 'FAILS (CI=true)' : 'is SKIPPED'}.\n!! Install with: apt-get update && apt-get install -y nginx haproxy redis-server\n${'!'.repeat(78)}\n`);
}

// Always runs, so CI never reports a skip: under CI missing servers are a failure.
describe('the servers for this test', () => {
  it(ci ? 'are installed (CI=true)' : 'are installed, or the live tests are skipped', () => {
    if (ci) expect(missing, 'install them: apt-get install -y nginx haproxy redis-server').toEqual([]);
  });
});

/**
 * What in-flight timing around the kill may move, measured on this machine (docs/live.md): a few
 * sessions, and a request or two in a thousand. The issue asks for at most one session and every
 * pick; that is not met yet, and issue 22 stays open for it.
 */
const MAX_DIFFERING_AROUND_FAILURE = 3;
const MIN_ROUTE_AGREEMENT = 0.995;

type RequestStory = { readonly predicted: readonly string[]; readonly measured: readonly string[] };

/** Which backend the test scenario kills: its place in the backends list, which the live run keeps while renaming. */
const KILLED = (() => {
  const scenario = scenarioOf(readFileSync('test/live/live-shop.yaml', 'utf8'));
  const event = scenario.timeline[0]!;
  return scenario.backends.findIndex((b) => 'backend' in event && b.name === event.backend);
})();

const touchesKilled = (c: StrategyComparison, request: RequestStory) => {
  const killed = c.predicted.backends[KILLED]!.name;
  return request.predicted.includes(killed) || request.measured.includes(killed);
};

/**
 * A pick whose story is the failure's timing: tried on two backends by either side, or sent to
 * the killed backend by one side and elsewhere by the other.
 */
const aroundFailure = (c: StrategyComparison) => (request: RequestStory) =>
  request.predicted.length > 1 || request.measured.length > 1 || (touchesKilled(c, request) && request.predicted.at(-1) !== request.measured.at(-1));

/** A session whose fate may turn on the failure's timing: one of its requests went to the killed backend, on either side. */
const metTheFailure = (c: StrategyComparison) => (request: RequestStory) => aroundFailure(c)(request) || touchesKilled(c, request);

/** A comparison that must match: an invalid run fails here, saying why. */
function expectValid(c: StrategyComparison): void {
  expect(c.valid, `${c.name}: invalid run: ${c.invalidReason}`).toBe(true);
}

const out = mkdtempSync(join(tmpdir(), 'lbsim-live-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(missing.length > 0)('lbsim live on live-shop (ip-hash, hash-consistent, shared-cache, haproxy-cookie)', () => {
  let strategies: StrategyComparison[] = [];
  const byName = (name: string) => strategies.find((s) => s.name === name)!;

  it('runs every strategy', async () => {
    expect(existsSync(BIN), `${BIN} is missing: run "npm run build" (npm test does)`).toBe(true);
    const { stdout } = await promisify(execFile)('node', [BIN, 'live', 'test/live/live-shop.yaml', '--json', '--out', out], { encoding: 'utf8', timeout: 170_000 });
    expect((JSON.parse(stdout) as { strategies: unknown[] }).strategies).toHaveLength(4);
    strategies = (JSON.parse(readFileSync(join(out, 'live.json'), 'utf8')) as { strategies: StrategyComparison[] }).strategies;
  }, 180_000);

  it.each(['ip-hash', 'hash-consistent', 'haproxy-cookie'])('%s: measured outcomes equal the prediction session for session', (name) => {
    const c = byName(name);
    expectValid(c);
    // Sessions may differ only around the failure, by in-flight timing: a request on the backend
    // at the moment it is killed, or nginx's failure count against its whole-second clock. Each
    // such session sent a request to the killed backend; any other difference fails.
    const unexplained = c.differing.filter((d) => !d.story.some(metTheFailure(c)));
    expect(unexplained, JSON.stringify(unexplained, null, 1)).toEqual([]);
    expect(c.sessionsDiffering, JSON.stringify(c.differing, null, 1)).toBeLessThanOrEqual(MAX_DIFFERING_AROUND_FAILURE);
    expect(c.measured.sessions.total).toBe(c.predicted.sessions.total);
  });

  it.each(['ip-hash', 'hash-consistent'])('%s: every logged pick is lbsim’s, but for the timing of the failure', (name) => {
    const c = byName(name);
    expectValid(c);
    const unexplained = c.routeMismatches.filter((m) => !aroundFailure(c)(m));
    expect(unexplained, JSON.stringify(c.routeMismatches)).toEqual([]);
    expect(c.routeAgreement, JSON.stringify(c.routeMismatches)).toBeGreaterThanOrEqual(MIN_ROUTE_AGREEMENT);
  });

  it('haproxy-cookie: the picks agree until the first redispatch (a model gap, docs/live.md)', () => {
    const c = byName('haproxy-cookie');
    expectValid(c);
    // After HAProxy redispatches away from the killed server, its round-robin position is not
    // lbsim's, so new sessions' first picks differ from then on (outcomes do not).
    expect(c.routeAgreement, JSON.stringify(c.routeMismatches)).toBeGreaterThan(0.4);
  });

  it('shared-cache (round robin: picks depend on timing): the counts agree', () => {
    const c = byName('shared-cache');
    expectValid(c);
    expect(Math.abs(c.measured.sessions.broken - c.predicted.sessions.broken)).toBeLessThanOrEqual(2);
    expect(Math.abs(c.measured.sessions.completed - c.predicted.sessions.completed)).toBeLessThanOrEqual(2);
    c.measured.backends.forEach((b, i) => expect(Math.abs(b.requests - c.predicted.backends[i]!.requests)).toBeLessThanOrEqual(0.1 * c.predicted.backends[i]!.requests + 5));
  });
});

function scenarioOf(text: string): Scenario {
  const loaded = parseScenarioText(text, 'test.yaml', {}, () => ({ refused: 'none' }));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

describe.skipIf(missing.length > 0)('a negative control', () => {
  it('the same ip_hash run, compared with a prediction for another configuration, agrees less', async () => {
    const original = scenarioOf(`
name: control
seed: 3
sessions: 60
arrivals: { rate: 20/s, spacing: even }
journey: { thinkTime: { dist: constant, value: 100ms } }
backends: { count: 4, name: "10.0.1.{n}:8080" }
strategies:
  - { name: ip-hash, store: local, balancer: { method: ip-hash } }
  - { name: mismatched, store: local, balancer: { method: hash-consistent, key: $remote_addr } }
`);
    const group = await ProcessGroup.create();
    try {
      const backends = [];
      for (let i = 0; i < 4; i++) {
        const port = await freePort();
        backends.push({ name: `127.0.0.1:${port}`, port, controlPort: await freePort() });
      }
      const layout: Layout = { folder: join(group.folder, 'ip-hash'), balancerPort: await freePort(), redisPort: await freePort(), backends };
      const scenario = renameBackends(original, backends.map((b) => b.name));
      const [ipHash, mismatched] = scenario.strategies;
      const run = await runLive(scenario, ipHash!, layout, group, liveSessions(scenario), () => {});
      const own = compare(scenario, ipHash!, balancerOf(ipHash!), false, predict(scenario, ipHash!, new Date(0)), run.drive, run.logged);
      const other = compare(scenario, ipHash!, balancerOf(ipHash!), false, predict(scenario, mismatched!, new Date(0)), run.drive, run.logged);
      expectValid(own);
      expect(own.routeAgreement).toBe(1);
      expect(other.routeAgreement).toBeLessThan(0.9);
    } finally {
      await group.stopAll();
    }
  }, 60_000);
});

/** The live descendants of a process, from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (found.push(c), walk(c)));
  walk(root);
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(missing.length > 0)('nothing outlives lbsim live', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s midway: every process it started is gone', async (signal) => {
    const child = spawn('node', [BIN, 'live', 'test/live/live-shop.yaml', '--strategy', 'shared-cache', '--out', join(out, signal)], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let started: number[] = [];
    // Redis, four backends and nginx.
    for (let i = 0; i < 300 && started.length < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      started = descendants(child.pid!);
    }
    expect(started.length, 'lbsim live did not start its six processes within 30 s').toBeGreaterThanOrEqual(6);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    started = [...new Set([...started, ...descendants(child.pid!)])];
    child.kill(signal);
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(started.filter(alive)).toEqual([]);
  }, 60_000);
});
