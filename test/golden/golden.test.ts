/**
 * Golden runs: the bundled scenarios' summary.json must stay identical to the stored files
 * (apart from the two wall-clock fields, fixed here). A change in any result is then a reviewed
 * change: regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden` and read the diff.
 * The stored form is made to be read (see readable.ts): `<name>.summary.json` holds the headline
 * figures, one per line, and `<name>.windows.jsonl` the timeline, one line per window. Together
 * they must rebuild the run's summary.json byte for byte, so the check is as strict as comparing
 * summary.json itself. These are snapshots, not truths: the truths are pinned by the theory,
 * fixture and hand-computed tests.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSummary, renderJson, type Summary } from '../../src/report/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';
import { fromReadable, toReadable, type ReadableGolden } from './readable.js';

const SCENARIOS = ['intro', 'shop-basic'];

describe.each(SCENARIOS)('golden summary of scenarios/%s.yaml', (name) => {
  const files = { summary: `test/golden/${name}.summary.json`, windows: `test/golden/${name}.windows.jsonl` };
  let json = '';
  let stored: ReadableGolden;

  beforeAll(() => {
    const file = `scenarios/${name}.yaml`;
    const loaded = parseScenarioText(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    json = renderJson(buildSummary(runScenario(loaded.scenario), { lbsimVersion: 'golden', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 }));
    if (process.env['UPDATE_GOLDEN'] === '1') {
      const fresh = toReadable(json, name);
      writeFileSync(files.summary, fresh.summary);
      writeFileSync(files.windows, fresh.windows);
    }
    for (const f of Object.values(files)) if (!existsSync(f)) throw new Error(`${f} is missing: create it with UPDATE_GOLDEN=1`);
    stored = { summary: readFileSync(files.summary, 'utf8'), windows: readFileSync(files.windows, 'utf8') };
  });

  // The readable diff: which headline figure or which window moved.
  it(`matches test/golden/${name}.summary.json and ${name}.windows.jsonl`, () => {
    const fresh = toReadable(json, name);
    expect(fresh.summary, files.summary).toBe(stored.summary);
    expect(fresh.windows, files.windows).toBe(stored.windows);
  });

  // Lossless: the stored files rebuild every field of every window, so nothing the
  // formatter might drop or merge escapes the comparison above.
  it('rebuilds the run summary.json byte for byte from the stored files', () => {
    const rebuilt = fromReadable(stored);
    // Run first, golden second, as in the test above: "Expected" is the stored side.
    expect(JSON.parse(json)).toEqual(rebuilt);
    expect(json).toBe(renderJson(rebuilt as unknown as Summary));
  });
});
