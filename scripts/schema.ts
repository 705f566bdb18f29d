/**
 * `npm run schema`: writes schema/lbsim-scenario.schema.json, the scenario format's JSON Schema
 * for editors, from the zod schema the loader validates with. test/scenario/json-schema.test.ts
 * fails when the committed file differs from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_JSON_SCHEMA_FILE, renderScenarioJsonSchema } from '../src/scenario/index.js';

const file = fileURLToPath(new URL(`../${SCENARIO_JSON_SCHEMA_FILE}`, import.meta.url));
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, renderScenarioJsonSchema());
process.stdout.write(`wrote ${SCENARIO_JSON_SCHEMA_FILE}\n`);
