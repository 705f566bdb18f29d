/**
 * Fuzz: scenario files and the options of `lbsim run`. Documents generated from the scenario's
 * JSON Schema, the bundled scenarios with one part mutated, and texts cut short; each is validated,
 * and run (with `--sessions 20`) when it is valid and small enough to run in a test. Every case
 * ends with exit 0 or a typed exit 2 (answer.ts). FUZZ_SEED and FUZZ_SCALE vary and scale it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, it } from 'vitest';
import { parseScenarioText, scenarioJsonSchema, type Scenario } from '../../src/scenario/index.js';
import { answer, expectAnswered } from './answer.js';
import { asText, fromSchema, HOSTILE_VALUES, mutated, settings, truncated, type JsonSchema } from './arbitraries.js';

/** Valid scenarios to mutate: small, and between them most sections and timeline events. */
const SEEDS = ['test/scenarios/tiny.yaml', 'scenarios/shop-basic.yaml', 'scenarios/rolling-deploy.yaml', 'scenarios/ajax-cart.yaml', 'scenarios/cache-outage.yaml', 'scenarios/seed-ip-hash.yaml'].map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** Worth running in a test: backends × strategies and warm-up sessions small (the bench runs the largest). */
function smallEnough(scenario: Scenario): boolean {
  return scenario.backends.length * scenario.strategies.length <= 400 && (scenario.warmupMs / 1000) * scenario.arrivals.ratePerSec <= 2000;
}

/** Validates `text` as `file`, then runs it if it is valid and small; both must be answered. */
async function validateAndRun(text: string, file: string): Promise<void> {
  const files = { [file]: text };
  expectAnswered(await answer(['validate', file], files), `lbsim validate of:\n${text.slice(0, 3000)}`);
  const loaded = parseScenarioText(text, file, { sessions: 20 });
  if (loaded.ok && smallEnough(loaded.scenario)) expectAnswered(await answer(['run', file, '--sessions', '20', '--json', '--out', 'out'], files), `lbsim run of:\n${text.slice(0, 3000)}`);
}

describe('fuzz: scenarios', () => {
  it('documents generated from the JSON Schema', async () => {
    const documents = fromSchema(scenarioJsonSchema() as JsonSchema);
    await fc.assert(fc.asyncProperty(documents, fc.constantFrom('f.yaml', 'f.json'), async (document, file) => validateAndRun(asText(document, file), file)), settings(60));
  });

  it('bundled scenarios with one part mutated', async () => {
    const schema = scenarioJsonSchema() as JsonSchema;
    const cases = fc.constantFrom(...SEEDS).chain(({ file, text }) => mutated(parse(text), schema).map((document) => ({ file, document })));
    await fc.assert(fc.asyncProperty(cases, fc.boolean(), async ({ file, document }, json) => validateAndRun(asText(document, json ? 'f.json' : file), json ? 'f.json' : file)), settings(120));
  });

  it('scenario texts cut short', async () => {
    const cases = fc.constantFrom(...SEEDS).chain(({ file, text }) => truncated(text).map((cut) => ({ file, cut })));
    await fc.assert(fc.asyncProperty(cases, async ({ file, cut }) => validateAndRun(cut, file)), settings(60));
  });
});

describe('fuzz: options of lbsim run', () => {
  const option = fc.oneof(
    fc.tuple(fc.constantFrom('--seed', '--sessions', '--threads', '--replications', '--strategy'), fc.constantFrom('0', '-1', '1', '2', '1e999', 'NaN', 'abc', '', '100000000000', 'round-robin')),
    fc.tuple(fc.constant('--set'), fc.tuple(fc.constantFrom('sessions', 'arrivals.rate', 'stores.shared.roundTrip', 'backends.count', 'strategies[0].balancer.method', 'timeline[9].at', 'nope', 'journey.thinkTime'), fc.constantFrom(...HOSTILE_VALUES.filter((v) => typeof v === 'string' || typeof v === 'number').map(String))).map(([path, value]) => `${path}=${value}`)),
  );
  it('every option with hostile values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(option, { maxLength: 3 }), async (options) => {
        const argv = ['run', 'test/scenarios/tiny.yaml', '--json', '--out', 'out', ...options.flat()];
        // A valid combination still runs small: tiny.yaml has 3 sessions unless --sessions says more.
        const sessions = options.find(([name]) => name === '--sessions')?.[1];
        if (sessions !== undefined && Number(sessions) > 1000) argv.push('--sessions', '20');
        expectAnswered(await answer(argv), argv.join(' '));
      }),
      settings(60),
    );
  });
});
