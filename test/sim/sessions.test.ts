/**
 * Exported sessions replay exactly: the records `lbsim sessions` prints, read back as JSON and
 * fed to the run in place of the generator, give the same results as the generator itself, for
 * every kind of session the workload draws (mobile users, parallel requests drawn per session,
 * refused cookies, state that is not serializable, a warm-up).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSummary, renderJson } from '../../src/report/index.js';
import { parseScenarioText, type Scenario, type SetValue } from '../../src/scenario/index.js';
import { exportSessions, recordedSessionsProblem, runScenario } from '../../src/sim/index.js';
import { PlanTable, RecordedSessions, Workload, type ExportedSession } from '../../src/model/index.js';
import { runRng, workloadSpec } from '../../src/sim/index.js';

function load(name: string, sessions: number, set: readonly SetValue[] = []): Scenario {
  const file = `scenarios/${name}.yaml`;
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, { sessions, set });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

const META = { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 };
/** The records as a load tool would read them: through JSON text. */
const throughJson = (scenario: Scenario): ExportedSession[] => [...exportSessions(scenario)].map((s) => JSON.parse(JSON.stringify(s)) as ExportedSession);

describe('exported sessions', () => {
  it.each([
    ['mobile-users', []],
    ['ajax-cart', [{ path: 'journey.steps.1.parallel.requests', value: '{"dist":"uniform","min":1,"max":4}' }]],
    ['framework-state', [{ path: 'clients.refuseCookies', value: '0.2' }]],
    ['nat-skew', [{ path: 'warmup', value: '20s' }]],
  ] as const)('replay %s exactly, through JSON', (name, set) => {
    const scenario = load(name, 400, set);
    const records = throughJson(scenario);
    expect(recordedSessionsProblem(records, scenario)).toBeUndefined();
    const generated = renderJson(buildSummary(runScenario(scenario), META));
    const replayed = renderJson(buildSummary(runScenario(scenario, { sessions: records }), META));
    expect(replayed).toBe(generated);
  });

  it('carry what makes sessions differ: mobile addresses, parallel counts, refused cookies, unserializable state, warm-up arrivals', () => {
    const mobile = throughJson(load('mobile-users', 400));
    expect(mobile.some((s) => new Set(s.steps.map((step) => step.client)).size > 1)).toBe(true);
    const ajax = throughJson(load('ajax-cart', 400, [{ path: 'journey.steps.1.parallel.requests', value: '{"dist":"uniform","min":1,"max":4}' }]));
    expect(new Set(ajax.map((s) => s.steps[1]!.requests)).size).toBeGreaterThan(1);
    expect(ajax.every((s) => s.steps.every((step) => step.serviceMs.length === step.requests))).toBe(true);
    const framework = throughJson(load('framework-state', 400, [{ path: 'clients.refuseCookies', value: '0.2' }]));
    expect(framework.some((s) => s.refusesCookies) && framework.some((s) => !s.refusesCookies)).toBe(true);
    expect(framework.some((s) => s.notSerializable) && framework.some((s) => !s.notSerializable)).toBe(true);
    const warm = throughJson(load('nat-skew', 400, [{ path: 'warmup', value: '20s' }]));
    expect(warm[0]!.atMs).toBeLessThan(0);
    expect(warm.filter((s) => s.atMs >= 0)).toHaveLength(400);
  });

  // The session rules compare addresses by identity ("did the address change since the last
  // step?"), so a replayed address must stay one object exactly as long as the generator's does.
  it('keep an unchanged address the same object from step to step, as the generator does', () => {
    const scenario = load('mobile-users', 300);
    const steps = scenario.journey.steps.length;
    const generator = new Workload(workloadSpec(scenario), runRng(scenario.seed).root);
    const replay = new RecordedSessions(throughJson(scenario), generator.requestOffsets);
    const total = generator.requestOffsets.at(-1)!;
    const [a, b] = [new PlanTable(steps, total), new PlanTable(steps, total)];
    const sameAsBefore = (t: PlanTable) => Array.from({ length: steps - 1 }, (_, k) => t.addressAt(0, k + 1) === t.addressAt(0, k));
    let moves = 0;
    while (generator.fill(a, 0)) {
      expect(replay.fill(b, 0)).toBe(true);
      expect(sameAsBefore(b)).toEqual(sameAsBefore(a));
      moves += sameAsBefore(a).filter((same) => !same).length;
    }
    expect(replay.fill(b, 0)).toBe(false);
    expect(moves).toBeGreaterThan(0);
  });

  it('give every step its think time but the last, and say where the user leaves', () => {
    const [first] = throughJson(load('shop-basic', 50));
    expect(first!.steps.slice(0, -1).every((s) => typeof s.thinkMsAfter === 'number')).toBe(true);
    expect(first!.steps.at(-1)!.thinkMsAfter).toBeUndefined();
    const all = throughJson(load('shop-basic', 300));
    expect(all.some((s) => s.abandonsAfterStep === null) && all.some((s) => s.abandonsAfterStep === 0)).toBe(true);
  });

  it('refuse records that do not fit the scenario, naming the session and the field', () => {
    const scenario = load('shop-basic', 20);
    const records = throughJson(scenario);
    const edited = (i: number, change: (s: ExportedSession) => unknown) => records.map((s, j) => (j === i ? change(structuredClone(s)) : s));
    expect(recordedSessionsProblem(edited(2, (s) => ({ ...s, steps: s.steps.slice(1) })), scenario)).toBe("session 3: steps: expected the scenario's 6 steps");
    expect(recordedSessionsProblem(edited(0, (s) => ({ ...s, steps: s.steps.map((st, k) => (k === 1 ? { ...st, client: 'nowhere' } : st)) })), scenario)).toBe('session 1: steps[1]: client: "nowhere" is not an IP address');
    expect(recordedSessionsProblem(edited(0, (s) => ({ ...s, steps: s.steps.map((st, k) => (k === 0 ? { ...st, method: 'POST' } : st)) })), scenario)).toBe('session 1: steps[0]: method: the scenario\'s step says "GET", the record "POST"');
    expect(recordedSessionsProblem(edited(4, (s) => ({ ...s, id: 's9' })), scenario)).toBe('session 5: id: expected "s5" for index 4');
    expect(recordedSessionsProblem([records[1], records[0]], scenario)).toMatch(/^session 2: arrives at .* before the session above it/);
    expect(recordedSessionsProblem(['no'], scenario)).toBe('session 1: expected a JSON object');
  });
});
