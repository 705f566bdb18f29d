/**
 * The scenario JSON Schema editors read (schema/lbsim-scenario.schema.json): generated from the
 * loader's own zod schema and committed, so it must equal what the generator writes now; every
 * bundled scenario names it on its first line and passes a real JSON-Schema validator (ajv); and
 * it flags in the editor the mistakes the loader refuses by shape (unknown keys, unknown names).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, parseScenarioText, renderScenarioJsonSchema, SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchema, starterScenarioYaml } from '../../src/scenario/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCHEMA_PATH = join(ROOT, SCENARIO_JSON_SCHEMA_FILE);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}
/** Every bundled scenario, in any subfolder. */
const BUNDLED = yamlFiles(join(ROOT, 'scenarios')).map((path) => relative(ROOT, path)).sort();

const validate = new Ajv({ allErrors: true, strict: true }).compile(scenarioJsonSchema());
const errorsOf = (document: unknown) => (validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params['additionalProperty'])})` : ''}`));

const MINIMAL = { name: 'm', sessions: 10, arrivals: { rate: '5/s' }, backends: [{ name: 'a:80' }], strategies: [{ name: 's', balancer: { method: 'round-robin' }, store: 'local' }] };

describe('schema/lbsim-scenario.schema.json', () => {
  it('is what `npm run schema` writes from the scenario schema now', () => {
    const committed = existsSync(SCHEMA_PATH) ? readFileSync(SCHEMA_PATH, 'utf8') : '(no file)';
    expect(committed === renderScenarioJsonSchema(), `${SCENARIO_JSON_SCHEMA_FILE} is out of date with src/scenario/schema.ts: run \`npm run schema\` and commit the file`).toBe(true);
  });

  it('ships in the package', () => {
    const files = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files as string[];
    expect(files).toContain(dirname(SCENARIO_JSON_SCHEMA_FILE));
  });

  it('is a draft-07 schema describing the top-level fields, with units as text', () => {
    const schema = scenarioJsonSchema() as { $schema: string; title: string; required: string[]; properties: Record<string, { description?: string; anyOf?: unknown[]; enum?: unknown[] }> };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.title).toBe('lbsim scenario');
    expect(schema.required).toEqual(['name', 'arrivals', 'backends', 'strategies']);
    expect(schema.properties['sessions']?.description).toBe('How many sessions arrive (or end the arrivals with arrivals.window)');
    const arrivals = schema.properties['arrivals'] as unknown as { properties: Record<string, { description: string; anyOf: unknown[] }> };
    expect(arrivals.properties['rate']).toEqual({ description: 'Sessions starting per second, such as "20/s" or "3000/m"', anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(arrivals.properties['window']?.description).toMatch(/^Arrivals stop after this long/);
  });
});

describe.each(BUNDLED)('%s', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');

  it('names the schema on its first line, by a path that reaches it', () => {
    const reference = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
    expect(reference, `${file} must start with "# yaml-language-server: $schema=<relative path to ${SCENARIO_JSON_SCHEMA_FILE}>"`).toBeDefined();
    expect(resolve(dirname(join(ROOT, file)), reference!)).toBe(SCHEMA_PATH);
  });

  it('passes the JSON Schema (ajv) and the loader', () => {
    expect(errorsOf(parse(text))).toEqual([]);
    const loaded = parseScenarioText(text, file);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });
});

describe('the JSON Schema flags in the editor', () => {
  it('nothing in a minimal scenario, the starter or the annotated example of docs/scenario.md', () => {
    expect(errorsOf(MINIMAL)).toEqual([]);
    expect(errorsOf(parse(starterScenarioYaml({ name: 'starter', schema: 'x.json' })))).toEqual([]);
    const docs = readFileSync(join(ROOT, 'docs', 'scenario.md'), 'utf8');
    const example = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].at(-1)![1]!;
    expect(errorsOf(parse(example))).toEqual([]);
  });

  it('a misspelled key, anywhere', () => {
    expect(errorsOf({ ...MINIMAL, sesions: 10 })).toEqual([' must NOT have additional properties (sesions)']);
    expect(errorsOf({ ...MINIMAL, arrivals: { rate: '5/s', spacng: 'even' } })).toEqual(['/arrivals must NOT have additional properties (spacng)']);
  });

  it('an unknown method, store or backend mode, and a missing required field', () => {
    const strategy = MINIMAL.strategies[0]!;
    expect(errorsOf({ ...MINIMAL, strategies: [{ ...strategy, balancer: { method: 'round-robn' } }] })).toEqual(['/strategies/0/balancer/method must be equal to one of the allowed values']);
    expect(errorsOf({ ...MINIMAL, strategies: [{ ...strategy, store: 'redis' }] })).toEqual(['/strategies/0/store must be equal to one of the allowed values']);
    // A union reports every alternative's complaint; the one that matters is among them.
    expect(errorsOf({ ...MINIMAL, timeline: [{ at: '50%', backend: 'a:80', mode: 'down' }] })).toContain('/timeline/0/mode must be equal to one of the allowed values');
    expect(errorsOf({ ...MINIMAL, timeline: [{ at: '50%', backend: 'a:80', mode: 'refused' }] })).toEqual([]);
    const { arrivals: _, ...withoutArrivals } = MINIMAL;
    expect(errorsOf(withoutArrivals)).toEqual([" must have required property 'arrivals'"]);
  });

  it('the method names the registry knows, and no other', () => {
    const strategies = (scenarioJsonSchema() as { properties: { strategies: { items: { properties: { balancer: { properties: { method: { enum: string[] } } } } } } } }).properties.strategies;
    expect(strategies.items.properties.balancer.properties.method.enum).toEqual([...METHOD_NAMES]);
  });
});
