/**
 * The scenario format as a JSON Schema, for editors (autocompletion, hover help, red squiggles):
 * generated from the same zod schema the loader validates with, on its input side (units as
 * text, defaults left out where the schema fills them in). The schema is looser than the loader:
 * cross-field rules (a key the method needs, backend names in the timeline, the units inside a
 * text) are the loader's alone, so `lbsim validate` stays the final word.
 * `npm run schema` writes it to schema/lbsim-scenario.schema.json, which ships in the package.
 */
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

/** Where the schema file sits in the package, from its top folder. */
export const SCENARIO_JSON_SCHEMA_FILE = 'schema/lbsim-scenario.schema.json';

/** The JSON Schema (draft-07, what editors' YAML and JSON language servers read best). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'lbsim scenario',
    description: 'An lbsim scenario: the workload, the backends, the session stores, the strategies to compare and a timeline of events. Every field: docs/scenario.md.',
    ...rest,
  };
}

/** The schema file's text: two-space JSON and a final newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
