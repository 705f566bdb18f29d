/**
 * Golden runs: the bundled scenarios' summary.json must stay byte-identical to the stored files
 * (apart from the two wall-clock fields, fixed here). A change in any result is then a reviewed
 * change: regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden` and read the diff.
 * These are snapshots, not truths: the truths are pinned by the theory, fixture and
 * hand-computed tests.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSummary, renderJson } from '../../src/report/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';

const SCENARIOS = ['intro', 'shop-basic'];

describe.each(SCENARIOS)('golden summary of scenarios/%s.yaml', (name) => {
  it('is byte-identical to test/golden/' + name + '.summary.json', () => {
    const file = `scenarios/${name}.yaml`;
    const loaded = parseScenarioText(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const json = renderJson(buildSummary(runScenario(loaded.scenario), { lbsimVersion: 'golden', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 }));
    const golden = `test/golden/${name}.summary.json`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, json);
    expect(existsSync(golden), `${golden} is missing: create it with UPDATE_GOLDEN=1`).toBe(true);
    expect(json).toBe(readFileSync(golden, 'utf8'));
  });
});
