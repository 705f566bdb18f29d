/**
 * The workshop's lessons (scenarios/workshop/*.yaml, taught with docs/workshop.md): every file is a
 * valid scenario small enough to run live, asks its question in its description, and makes its
 * point — on the seed the handout quotes and on three other seeds, so the point is the
 * strategies', not one lucky workload's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildSummary, type StrategySummary } from '../../src/report/index.js';
import { formatScenarioErrors, parseScenarioText, type Scenario } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';

const DIR = 'scenarios/workshop';
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** The lesson files, by number: lesson N is the file whose name starts with 0N-. */
const LESSON: Record<number, string> = {
  1: '01-round-robin-breaks-sessions.yaml',
  2: '02-shared-cache-fixes-it-at-a-cost.yaml',
  3: '03-ip-hash-and-nat-skew.yaml',
  4: '04-failover-loss.yaml',
  5: '05-consistent-hashing-on-scale-out.yaml',
  6: '06-when-sharing-is-wrong.yaml',
};

type Edit = (yaml: ReturnType<typeof parseDocument>) => void;

/** Sessions of a run on another seed than the lesson's own (fewer, to keep the suite quick). */
const OTHER_SEED_SESSIONS = 2000;

/** Lesson file `file`, on `seed` (or, as is, on its own), edited by `edit`, with only `strategy` (or all). */
function load(file: string, seed?: string, edit?: Edit, strategy?: string): Scenario {
  const path = join(DIR, file);
  const document = parseDocument(readFileSync(path, 'utf8'));
  edit?.(document);
  const loaded = parseScenarioText(document.toString(), path, { seed, sessions: seed === undefined ? undefined : OTHER_SEED_SESSIONS, strategy });
  if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
  return loaded.scenario;
}

/** Runs lesson `n` (on `seed`, or the file's own) and returns its strategies' summaries by name. */
function lesson(n: number, seed?: string, edit?: Edit, strategy?: string): Record<string, StrategySummary> {
  const summary = buildSummary(runScenario(load(LESSON[n]!, seed, edit, strategy)), { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 });
  return Object.fromEntries(summary.strategies.map((s) => [s.name, s]));
}

describe('scenarios/workshop/', () => {
  it('holds the six lessons, numbered in teaching order', () => {
    expect(FILES).toEqual(Object.values(LESSON));
  });

  describe.each(FILES)('%s', (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const scenario = load(file);

    it('is a valid scenario named after its file, with a header comment for the instructor', () => {
      expect(scenario.name).toBe(basename(file, '.yaml'));
      const header = text.split('\n').slice(1).filter((line) => line.startsWith('#'));
      expect(header[0]).toMatch(/^# Workshop lesson \d \(docs\/workshop\.md\): /);
      expect(header.length).toBeGreaterThanOrEqual(3);
    });

    it('asks the class a question in its description', () => {
      expect(scenario.description?.trim()).toMatch(/\?$/);
    });

    it('is small enough to run live: 2 to 4 strategies, at most 5,000 sessions, a short warm-up', () => {
      expect(scenario.strategies.length).toBeGreaterThanOrEqual(2);
      expect(scenario.strategies.length).toBeLessThanOrEqual(4);
      expect(scenario.sessions).toBeLessThanOrEqual(5000);
      expect(scenario.warmupMs).toBeLessThanOrEqual(120_000);
    });
  });
});

/** `undefined`: the file's own seed and size, whose figures docs/workshop.md quotes; the others run 2,000 sessions. */
const SEEDS = [undefined, '101', '102', '103'] as const;
const label = (seed: string | undefined) => (seed === undefined ? "the lesson's own seed" : `seed ${seed}`);

describe.each(SEEDS.map((seed) => [label(seed), seed] as const))('the lessons\' points, on %s', (_, seed) => {
  it('1: round robin over in-memory sessions breaks most sessions (state-missing); the same balancer over a shared cache breaks almost none', () => {
    const r = lesson(1, seed);
    const rr = r['round-robin']!;
    const shared = r['shared-cache']!;
    expect(rr.breakageRate).toBeGreaterThan(0.5);
    expect(rr.brokenByCause['state-missing']).toBe(rr.sessions.broken);
    // Almost nobody pays: a session survives only if every step happens to land on one backend.
    expect(rr.sessions.completed).toBeLessThan(0.01 * rr.sessions.total);
    expect(shared.breakageRate).toBeLessThan(0.05);
    expect(shared.sessions.completed).toBeGreaterThan(0.4 * shared.sessions.total);
  });

  it('2: the shared cache adds about one round trip (3 ms) to the median request, and its 30-second outage breaks sessions (store-down) that the cookie keeps', () => {
    const r = lesson(2, seed);
    const shared = r['shared-cache']!;
    const cookie = r['cookie']!;
    const extra = shared.latencyMs.p50 - cookie.latencyMs.p50;
    expect(extra).toBeGreaterThan(2);
    expect(extra).toBeLessThan(6);
    expect(shared.brokenByCause['store-down']).toBeGreaterThan(0.1 * shared.sessions.total);
    // The outage is the shared cache's only way to break a session here.
    expect(shared.sessions.broken).toBe(shared.brokenByCause['store-down']);
    expect(cookie.sessions.broken).toBe(0);
  });

  it('3: ip_hash piles each NAT gateway\'s shoppers onto one backend, so its busiest backend serves far more than the mean; more NAT, more skew', () => {
    const r = lesson(3, seed);
    const ipHash = r['ip-hash']!.skew.requestsMaxOverMean;
    expect(ipHash).toBeGreaterThan(1.5);
    expect(ipHash).toBeGreaterThan(r['shared-cache']!.skew.requestsMaxOverMean + 0.4);
    expect(ipHash).toBeGreaterThan(r['cookie']!.skew.requestsMaxOverMean + 0.4);
    expect(r['cookie']!.skew.requestsMaxOverMean).toBeLessThan(1.1);
    // The same shoppers with nobody behind NAT, and with half of them behind it.
    const share = (value: number): Edit => (yaml) => yaml.setIn(['clients', 'nat', 'share'], value);
    const noNat = lesson(3, seed, share(0), 'ip-hash')['ip-hash']!.skew.requestsMaxOverMean;
    const moreNat = lesson(3, seed, share(0.5), 'ip-hash')['ip-hash']!.skew.requestsMaxOverMean;
    expect(noNat).toBeLessThan(1.2);
    expect(noNat).toBeLessThan(ipHash);
    expect(moreNat).toBeGreaterThan(ipHash);
  });

  it('4: sticky strategies lose the sessions, carts and revenue that lived on the dead backend; the shared cache loses none', () => {
    const r = lesson(4, seed);
    for (const sticky of [r['cookie']!, r['ip-hash']!]) {
      expect(sticky.failoverLoss.sessions).toBeGreaterThan(0.01 * sticky.sessions.total);
      expect(sticky.failoverLoss.carts).toBeGreaterThan(0);
      expect(sticky.failoverLoss.revenue).toBeGreaterThan(0);
    }
    const shared = r['shared-cache']!;
    expect(shared.failoverLoss.sessions).toBe(0);
    expect(shared.breakageRate).toBeLessThan(0.005);
  });

  it('5: adding a fifth backend remaps several times fewer sessions under consistent hashing than under modulo hashing', () => {
    const r = lesson(5, seed);
    const modulo = r['modulo-hash']!.brokenByCause.remapped;
    const consistent = r['consistent-hash']!.brokenByCause.remapped;
    // Theory: modulo moves n/(n+1) = 4/5 of the keys, consistent hashing 1/(n+1) = 1/5.
    expect(modulo).toBeGreaterThan(0.05 * r['modulo-hash']!.sessions.total);
    expect(consistent).toBeGreaterThan(0);
    expect(modulo).toBeGreaterThan(2.5 * consistent);
  });

  it('6: the shared cache breaks the coupled checkout (coupled-moved) and the framework state (not-serializable); sticky cookies keep both', () => {
    const r = lesson(6, seed);
    const shared = r['shared-cache']!;
    expect(shared.brokenByCause['coupled-moved']).toBeGreaterThan(0.25 * shared.sessions.total);
    expect(shared.brokenByCause['not-serializable']).toBeGreaterThan(0.1 * shared.sessions.total);
    expect(shared.breakageRate).toBeGreaterThan(0.4);
    expect(r['cookie']!.sessions.broken).toBe(0);
  });
});
