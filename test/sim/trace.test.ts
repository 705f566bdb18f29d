/** `lbsim trace`: one session's story, checked against the hand-computed tiny run (test/sim/tiny.test.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findSessionByClient, runScenario, runStrategy, sampleSessionIndex, traceSession } from '../../src/sim/index.js';
import type { SimEvent } from '../../src/model/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scenarioFrom } from '../helpers/scenario.js';

const TINY = readFileSync('test/scenarios/tiny.yaml', 'utf8');

describe('traceSession', () => {
  it('follows session 3: home on b, cart on a where its state is missing; the shared cache completes it', () => {
    const trace = traceSession(scenarioFrom(TINY), 2)!;
    expect(trace.session).toBe(3);
    expect(trace.arrivalMs).toBe(300);
    const [local, shared] = trace.strategies;
    expect(local!.requests.map((r) => [r.step, r.sentAtMs, r.attempts.map((a) => a.backend), r.stateAfter])).toEqual([
      ['home', 300, ['b:80'], 'memory of b:80'],
      ['cart', 460, ['a:80'], 'memory of b:80'],
    ]);
    expect(local).toMatchObject({ outcome: 'broken', cause: 'state-missing', endedAtMs: 470 });
    expect(shared).toMatchObject({ outcome: 'completed', cause: null, endedAtMs: 635 });
    expect(shared!.requests.map((r) => r.stateAfter)).toEqual(['shared cache', 'shared cache', 'shared cache']);
  });

  it('finds a session by client address, and says when there is none', () => {
    const scenario = scenarioFrom(TINY);
    const client = traceSession(scenario, 1)!.client;
    expect(findSessionByClient(scenario, client)).toBe(1);
    expect(findSessionByClient(scenario, '192.0.2.99')).toBeUndefined();
    expect(traceSession(scenario, 7)).toBeUndefined();
  });
});

describe('the report\'s sample session', () => {
  it('is the first session in arrival order a strategy broke: session 1 of the tiny run, though session 2 broke earlier', () => {
    const result = runScenario(scenarioFrom(TINY));
    // Under round robin all three sessions break (session 2 at 370 ms, session 1 at 430 ms); the shared cache breaks none.
    expect(result.strategies.map((s) => s.outcomes.firstBroken)).toEqual([0, null]);
    expect(sampleSessionIndex(result)).toBe(0);
  });

  it('is traced by a run that stops when the session ends, seeing exactly the events of a full run', () => {
    const scenario = scenarioFrom(TINY);
    const spec = scenario.strategies[0]!;
    const of = (stopAfterSession?: number) => {
      const events: string[] = [];
      const result = runStrategy(scenario, spec, { observe: (_, e: SimEvent) => events.push(JSON.stringify(e)), ...(stopAfterSession === undefined ? {} : { stopAfterSession }) });
      return { events, end: result.facts.endTimeMs };
    };
    const full = of();
    const stopped = of(0);
    // Session 1 ends at 430 ms; the full run goes on until session 3 ends at 470 ms.
    expect(stopped.end).toBe(430);
    expect(full.end).toBe(470);
    expect(stopped.events).toEqual(full.events.slice(0, stopped.events.length));
    expect(stopped.events.at(-1)).toContain('"type":"session-end","t":430,"session":0');
  });
});

describe('lbsim trace', () => {
  it('prints the story, and refuses a missing or doubled selector with exit 2', async () => {
    const ok = fakeIo({ files: { 'tiny.yaml': TINY } });
    expect(await main(['trace', 'tiny.yaml', '--session', '3'], ok.io)).toBe(0);
    expect(ok.stdout()).toContain('round-robin — broken at cart: state-missing');
    expect(ok.stdout()).toContain('shared-cache — completed');
    const none = fakeIo({ files: { 'tiny.yaml': TINY } });
    expect(await main(['trace', 'tiny.yaml'], none.io)).toBe(2);
    expect(none.stderr()).toContain('give one of --session N');
    const missing = fakeIo({ files: { 'tiny.yaml': TINY } });
    expect(await main(['trace', 'tiny.yaml', '--session', '9'], missing.io)).toBe(2);
    expect(missing.stderr()).toContain('there is no session 9');
  });
});

describe('the sample session of a replicated run', () => {
  it('carries the seed it was traced under, so lbsim trace with that seed tells the same story', async () => {
    const intro = readFileSync('scenarios/intro.yaml', 'utf8');
    const run = fakeIo({ files: { 'intro.yaml': intro } });
    expect(await main(['run', 'intro.yaml', '--sessions', '300', '--replications', '2', '--json', '--out', 'out'], run.io)).toBe(0);
    const sample = (JSON.parse(run.stdout()) as { sampleSession: { seed: string; session: number; client: string; strategies: unknown[] } }).sampleSession;
    // intro's seed is 42; replication 0 runs with "42/rep/0", and the story comes from it.
    expect(sample.seed).toBe('42/rep/0');
    const trace = fakeIo({ files: { 'intro.yaml': intro } });
    expect(await main(['trace', 'intro.yaml', '--session', String(sample.session), '--seed', sample.seed, '--sessions', '300', '--json'], trace.io)).toBe(0);
    const traced = JSON.parse(trace.stdout()) as { client: string; strategies: { outcome: string }[] };
    expect(traced.client).toBe(sample.client);
    expect(traced.strategies.map((s) => s.outcome)).toEqual((sample.strategies as { outcome: string }[]).map((s) => s.outcome));
  });
});
