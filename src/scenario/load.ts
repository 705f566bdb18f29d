/**
 * The scenario loader: text → decoded data → overrides → schema → `Scenario`, or every problem
 * found as `ScenarioError`s (file, field path, line, what was expected, did-you-mean). Pure: the
 * CLI reads the file and passes its text; nothing here touches the file system or throws for
 * bad input.
 */
import { decodeScenarioText } from './decode.js';
import { listNames } from './did-you-mean.js';
import { describeKind, type Loaded, type ScenarioError } from './errors.js';
import { parseAddressLines } from './address-file.js';
import { nestingProblem } from './nesting.js';
import { LIMITS } from './sections/limits.js';
import { overrideDocument, selectStrategy, type ScenarioOverrides } from './overrides.js';
import { NormalizedScenarioSchema, ScenarioSchema, type Scenario } from './schema.js';
import { attributeToSet } from './set-values.js';
import { issuesToErrors } from './zod-issues.js';

/** Texts longer than this (10 MiB, counted in UTF-16 units, so never fewer bytes) are refused unread. */
export const MAX_SCENARIO_TEXT = LIMITS.scenarioBytes;

const fail = (file: string, message: string): Loaded => ({ ok: false, errors: [{ file, path: '', message }] });

/** Top-level fields a scenario cannot do without, read from the schema so the message never drifts. */
function requiredFields(): string[] {
  return Object.entries(ScenarioSchema.shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}

/** Errors listed per file: a generated file with one mistake repeated 10,000 times needs 50 lines, not 10,000. */
export const MAX_REPORTED_ERRORS = 50;

function capped(errors: readonly ScenarioError[], file: string): readonly ScenarioError[] {
  if (errors.length <= MAX_REPORTED_ERRORS) return errors;
  const more = errors.length - MAX_REPORTED_ERRORS;
  return [...errors.slice(0, MAX_REPORTED_ERRORS), { file, path: '', message: `… and ${more} more error${more === 1 ? '' : 's'} like these` }];
}

function isEmpty(document: unknown): boolean {
  // An empty list is not an empty file: it is refused as a list, which a scenario is not.
  return document === null || document === undefined || (typeof document === 'object' && !Array.isArray(document) && Object.keys(document).length === 0);
}

/**
 * Parses and validates a scenario file's text. `file` is the name shown in errors and chooses the
 * syntax: strict JSON for `*.json`, YAML otherwise. `overrides` carry the CLI's `--seed`,
 * `--sessions`, `--set` and `--strategy`; they are applied before percentages of the arrival
 * window are resolved, so `--sessions` moves `at: 50%` along with the window.
 *
 * @example
 * const loaded = parseScenarioText(text, 'scenarios/intro.yaml', { sessions: 1000 });
 * if (!loaded.ok) stderr.write(formatScenarioErrors(loaded.errors));
 */
export function parseScenarioText(text: string, file: string, overrides: ScenarioOverrides = {}, readFile?: FileReader): Loaded {
  if (text.length > MAX_SCENARIO_TEXT) {
    const size = (text.length / (1024 * 1024)).toFixed(1);
    return fail(file, `the file is ${size} MB; scenario files are limited to ${MAX_SCENARIO_TEXT / (1024 * 1024)} MB`);
  }
  const decoded = decodeScenarioText(text, file);
  if (!decoded.ok) return decoded;
  const tangled = nestingProblem(decoded.document);
  if (tangled !== undefined) return { ok: false, errors: [{ file, ...tangled }] };
  if (isEmpty(decoded.document)) {
    return fail(file, `the file is empty; a scenario needs at least ${listNames(requiredFields(), 20, ' and ')}, and "sessions" or "arrivals.window" (see docs/scenario.md)`);
  }
  if (typeof decoded.document !== 'object' || Array.isArray(decoded.document)) {
    return fail(file, `expected a scenario (an object with ${listNames(requiredFields(), 20, ' and ')}, …), got ${describeKind(decoded.document)}`);
  }
  const overridden = overrideDocument(decoded.document, overrides);
  if (overridden.errors.length > 0) return { ok: false, errors: overridden.errors };
  const result = NormalizedScenarioSchema.safeParse(overridden.document);
  if (!result.success) {
    const errors = issuesToErrors(result.error.issues, { file, document: overridden.document, schema: NormalizedScenarioSchema, locate: decoded.locate });
    return { ok: false, errors: capped(overrides.set === undefined ? errors : attributeToSet(errors, overrides.set, decoded.document), file) };
  }
  const withAddresses = loadAddressFile(result.data, file, readFile);
  if (!withAddresses.ok) return withAddresses;
  return overrides.strategy === undefined ? withAddresses : selectStrategy(withAddresses.scenario, overrides.strategy);
}

/**
 * Reads a file the scenario names (path as resolved against the scenario's folder), at most
 * `maxBytes` of it: its text, or why it cannot (missing, unreadable, larger than `maxBytes`).
 */
export type FileReader = (path: string, maxBytes: number) => string | { readonly refused: string };

/** `clients.addressFile`, resolved against the scenario file's folder, read and parsed into `clients.addressList`. */
function loadAddressFile(scenario: Scenario, file: string, readFile: FileReader | undefined): Loaded {
  const name = scenario.clients.addressFile;
  if (name === undefined) return { ok: true, scenario };
  const slash = file.lastIndexOf('/');
  const path = name.startsWith('/') || slash < 0 ? name : `${file.slice(0, slash + 1)}${name}`;
  const text = readFile?.(path, LIMITS.addressFileBytes) ?? { refused: 'no file reader was given' };
  if (typeof text !== 'string') return { ok: false, errors: [{ file, path: 'clients.addressFile', message: `cannot read the address file "${path}": ${text.refused}` }] };
  const parsed = parseAddressLines(text, path);
  if (!parsed.ok) return parsed;
  return { ok: true, scenario: { ...scenario, clients: { ...scenario.clients, addressList: parsed.addresses } } };
}
