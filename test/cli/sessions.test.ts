/**
 * `lbsim sessions`: what it prints, fed back through the simulator's own session driver in place
 * of the generator, reproduces `lbsim run`'s summary for shop-basic byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadScenario } from '../../src/cli/run-command.js';
import type { ExportedSession } from '../../src/model/index.js';
import { buildSummary, renderJson } from '../../src/report/index.js';
import { recordedSessionsProblem, runScenario, sampleSessionIndex, traceSession } from '../../src/sim/index.js';
import { LBSIM_VERSION } from '../../src/version.js';
import { fakeIo } from '../helpers/fake-io.js';

describe('lbsim sessions', () => {
  it("prints shop-basic's sessions, and replaying them reproduces lbsim run's summary byte for byte", async () => {
    const exported = fakeIo();
    expect(await main(['sessions', 'scenarios/shop-basic.yaml', '--jsonl'], exported.io)).toBe(0);
    const lines = exported.stdout().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(6000);
    const records = lines.map((line) => JSON.parse(line) as ExportedSession);

    const run = fakeIo();
    expect(await main(['run', 'scenarios/shop-basic.yaml', '--json', '--threads', '1'], run.io)).toBe(0);

    // The same scenario, its sessions read from the JSON lines instead of drawn from the seed,
    // summarised as `lbsim run` does (its wall-clock fields are fixed by the fake clock).
    const loaded = await loadScenario('scenarios/shop-basic.yaml', fakeIo().io, {});
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const scenario = loaded.scenario;
    expect(recordedSessionsProblem(records, scenario)).toBeUndefined();
    const replayed = runScenario(scenario, { sessions: records });
    const sampleIndex = sampleSessionIndex(replayed);
    const sample = sampleIndex === undefined ? null : (traceSession(scenario, sampleIndex, records) ?? null);
    const meta = { lbsimVersion: LBSIM_VERSION, generatedAt: '2026-11-28T12:00:00.000Z', runTimeMs: 0 };
    expect(sample).not.toBeNull();
    expect(renderJson(buildSummary(replayed, meta, sample))).toBe(run.stdout());
  }, 120_000);

  it('gives the same sessions whatever the strategy, and refuses an unknown one with exit 2', async () => {
    const all = fakeIo();
    expect(await main(['sessions', 'scenarios/shop-basic.yaml', '--jsonl', '--sessions', '30'], all.io)).toBe(0);
    const one = fakeIo();
    expect(await main(['sessions', 'scenarios/shop-basic.yaml', '--jsonl', '--sessions', '30', '--strategy', 'ip-hash'], one.io)).toBe(0);
    expect(one.stdout()).toBe(all.stdout());
    const unknown = fakeIo();
    expect(await main(['sessions', 'scenarios/shop-basic.yaml', '--strategy', 'nope'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toContain('nope');
    expect(unknown.stdout()).toBe('');
  });

  it('in words without --jsonl: one line per session', async () => {
    const { io, stdout } = fakeIo();
    expect(await main(['sessions', 'scenarios/mobile-users.yaml', '--sessions', '5', '--seed', '3'], io)).toBe(0);
    const lines = stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^s1 at \d+\.\d{3} s from [\d.:a-f]+.*: 6 steps, 6 requests, /);
  });
});
