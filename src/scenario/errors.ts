/**
 * Scenario errors as values: which file, where in it (field path, and line and column when known),
 * what was expected and what was found, and a did-you-mean. Formatting follows the compiler
 * convention `file:line:column: path: message` so editors and terminals can jump to the spot.
 * Nothing here ever prints a stack trace: errors are for the scenario's author, not for us.
 */
import type { Scenario } from './schema.js';

/** One problem in a scenario file. */
export interface ScenarioError {
  /** The file as the user named it (`scenarios/intro.yaml`), or `command line` for CLI options. */
  readonly file: string;
  /** Field path such as `strategies[1].balancer.method`; empty for the file as a whole. */
  readonly path: string;
  /** What was expected and what was found, on one line. */
  readonly message: string;
  /** The closest valid name when the value looks like a typo of one. */
  readonly suggestion?: string;
  /** 1-based line of the offending text, when the file's text is known. */
  readonly line?: number;
  /** 1-based column of the offending text, when the file's text is known. */
  readonly column?: number;
}

/** The `file` of errors that come from options rather than from the scenario file. */
export const COMMAND_LINE = 'command line';

/** The outcome of loading a scenario: the normalized scenario, or every problem found. */
export type Loaded =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** A path as zod and the YAML document give it: keys and list indexes. */
export type FieldPath = readonly PropertyKey[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `["strategies", 1, "balancer", "method"]` → `strategies[1].balancer.method`. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/**
 * Collapses whitespace so that a message always fits on one line, and escapes control characters
 * (a message may quote a file, and the terminal must not act on what it holds).
 */
function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One error as one line: `intro.yaml:14:15: strategies[1].balancer.method: expected …, got … (did you mean "…"?)`. */
export function formatScenarioError(error: ScenarioError): string {
  const where = error.line === undefined ? error.file : `${error.file}:${error.line}:${error.column ?? 1}`;
  const path = error.path === '' ? '' : `${error.path}: `;
  const hint = error.suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(error.suggestion)}?)`;
  return `${where}: ${path}${oneLine(error.message)}${hint}`;
}

/** Every error on its own line, in the order given, ending with a newline. */
export function formatScenarioErrors(errors: readonly ScenarioError[]): string {
  return errors.map((e) => `${formatScenarioError(e)}\n`).join('');
}

const MAX_SHOWN = 40;

/** The most of a file's text an error quotes: enough to find the spot, too little to show a line of it. */
const MAX_EXCERPT = 18;

/**
 * Text from a file, quoted for an error message: escaped (JSON string syntax, so no control
 * character reaches the terminal) and cut to a few characters, because the file may be anything
 * (an environment file named by mistake) and the message goes to a terminal or a log.
 */
export function excerpt(text: string): string {
  return JSON.stringify(text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT)}…` : text);
}

/** A value as the user wrote it, shortened: `"round-robn"`, `1.5`, `[1]`, `{…}`. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string') {
    const text = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) {
    const text = JSON.stringify(value) ?? '[…]';
    return text.length > MAX_SHOWN ? `a list of ${value.length}` : text;
  }
  return 'an object';
}

/**
 * What kind of value was found, for "expected X, got Y" when the type is wrong:
 * `the string "abc"`, `the number 3`, `a list`, `an object`, `an empty value`.
 */
export function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list (${showValue(value)})`;
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : `the string ${showValue(value)}`;
    case 'number':
      return `the number ${showValue(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** zod's type names as users read them: `number` → `a number`, `array` → `a list`. */
export function describeType(type: string): string {
  const names: Readonly<Record<string, string>> = {
    number: 'a number',
    int: 'a whole number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    record: 'an object',
    null: 'an empty value',
    undefined: 'nothing',
  };
  return names[type] ?? `a ${type}`;
}
