/**
 * lbsim live places each timeline moment where no request races it (quiet-moments.ts): a small
 * case computed by hand, the nginx whole-second rule checked on the moved run's own failures,
 * and the timeline's backend changes in the order the live run applies them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendChanges } from '../../src/cli/live/live-scenario.js';
import { DEFAULT_QUIET, quietTimeline } from '../../src/cli/live/quiet-moments.js';
import { parseScenarioText, type Scenario } from '../../src/scenario/index.js';
import { runStrategy } from '../../src/sim/index.js';

function scenarioOf(text: string): Scenario {
  const loaded = parseScenarioText(text, 'test.yaml', {}, () => ({ refused: 'none' }));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

/**
 * One user, one backend with one worker: every step's request takes 100 ms and the user thinks
 * 400 ms, so the backend is busy over [a + 500k, a + 500k + 100] for steps k = 0…5, a the arrival.
 */
const ONE_USER = (killAtMs: number) => `
name: one-user
seed: 1
sessions: 1
arrivals: { rate: 1/s, spacing: even }
journey:
  thinkTime: { dist: constant, value: 400ms }
  steps:
${['home', 'search', 'product', 'add-to-cart', 'checkout', 'pay'].map((name, k) => `    - { name: ${name}, service: { dist: constant, value: 100ms }${k === 0 ? ', writes: true' : ', needsSession: true'} }`).join('\n')}
backends: { count: 1, name: "10.0.0.{n}:80", workers: 1 }
timeline:
  - { at: ${killAtMs}ms, backend: "10.0.0.1:80", mode: refused }
strategies:
  - { name: rr, store: local, balancer: { method: round-robin } }
`;

describe('quiet moments', () => {
  it('a kill in the middle of a request moves to the nearest time 20 ms clear of every request on that backend', () => {
    // Killed 50 ms into step 1's request (busy 1500…1600 with the arrival at 1000): 20 ms clear
    // means before 1480 or after 1620; 1480 and 1620 touch the margin, so 1475 (75 ms back)
    // comes before 1625 (75 ms on: candidates alternate, earlier first).
    const scenario = scenarioOf(ONE_USER(1550));
    const arrival = firstArrival(scenario);
    expect(arrival, 'the hand computation assumes the user arrives at 1000 ms').toBe(1000);
    const { moved } = quietTimeline(scenario, scenario.strategies[0]!, { ...DEFAULT_QUIET, wholeSeconds: false });
    expect(moved).toEqual([{ backend: '10.0.0.1:80', change: 'refused', scenarioMs: 1550, liveMs: 1475, quiet: true }]);
  });

  it('a moment that races nothing stays where it is', () => {
    const scenario = scenarioOf(ONE_USER(1300));
    const { moved, scenario: placed } = quietTimeline(scenario, scenario.strategies[0]!, { ...DEFAULT_QUIET, wholeSeconds: false });
    expect(moved).toEqual([{ backend: '10.0.0.1:80', change: 'refused', scenarioMs: 1300, liveMs: 1300, quiet: true }]);
    expect(placed.timeline).toEqual(scenario.timeline);
  });

  it('with nginx, the first failed attempt after the moved kill falls 20 ms or more from a whole second', () => {
    const scenario = scenarioOf(readFileSync('test/live/live-shop.yaml', 'utf8'));
    for (const spec of scenario.strategies.filter((s) => !s.balancer.method.startsWith('haproxy-'))) {
      const placed = quietTimeline(scenario, spec, { ...DEFAULT_QUIET, wholeSeconds: true });
      expect(placed.moved.every((m) => m.quiet)).toBe(true);
      const failures: number[] = [];
      runStrategy(placed.scenario, spec, { observe: (_, e) => void (e.type === 'attempt-end' && !e.ok && failures.push(e.t)) });
      const kill = placed.moved[0]!.liveMs;
      const first = failures.find((t) => t >= kill);
      expect(first, `${spec.name}: the kill fails an attempt`).toBeDefined();
      expect(Math.min(first! % 1000, 1000 - (first! % 1000)), `${spec.name}: the first failure at ${first} ms`).toBeGreaterThanOrEqual(20);
    }
  });

  it('the end of an event with a duration is a moment of its own, and stays after its start', () => {
    const scenario = scenarioOf(ONE_USER(1550).replace('mode: refused }', 'mode: refused, duration: 600ms }'));
    const { moved, scenario: placed } = quietTimeline(scenario, scenario.strategies[0]!, { ...DEFAULT_QUIET, wholeSeconds: false });
    expect(moved.map((m) => m.change)).toEqual(['refused', 'up']);
    const event = placed.timeline[0]!;
    expect(event.atMs).toBe(1475);
    expect(event.atMs + ('durationMs' in event ? (event.durationMs ?? 0) : 0)).toBe(moved[1]!.liveMs);
    expect(moved[1]!.liveMs).toBeGreaterThan(1475);
  });
});

describe('the backend changes a live run applies', () => {
  it('in time order, each end a change of its own; an `up` after `refused` restarts the process', () => {
    const scenario = scenarioOf(`
name: changes
sessions: 10
arrivals: { rate: 1/s }
backends: { count: 2, name: "10.0.0.{n}:80" }
timeline:
  - { at: 5s, backend: "10.0.0.2:80", event: slow, speed: 0.5, duration: 1s }
  - { at: 1s, backend: "10.0.0.1:80", mode: refused, duration: 2s }
  - { at: 4s, backend: "10.0.0.1:80", mode: hang }
  - { at: 4500ms, backend: "10.0.0.1:80", mode: up }
strategies: [{ name: rr, store: local, balancer: { method: round-robin } }]
`);
    expect(backendChanges(scenario.timeline)).toEqual([
      { kind: 'mode', atMs: 1000, backend: '10.0.0.1:80', mode: 'refused', killed: false },
      { kind: 'mode', atMs: 3000, backend: '10.0.0.1:80', mode: 'up', killed: true },
      { kind: 'mode', atMs: 4000, backend: '10.0.0.1:80', mode: 'hang', killed: false },
      { kind: 'mode', atMs: 4500, backend: '10.0.0.1:80', mode: 'up', killed: false },
      { kind: 'slow', atMs: 5000, backend: '10.0.0.2:80', speed: 0.5 },
      { kind: 'slow', atMs: 6000, backend: '10.0.0.2:80', speed: 1 },
    ]);
  });
});

function firstArrival(scenario: Scenario): number {
  let at = -1;
  runStrategy({ ...scenario, timeline: [] }, scenario.strategies[0]!, { observe: (_, e) => void (e.type === 'session-start' && at < 0 && (at = e.t)) });
  return at;
}
