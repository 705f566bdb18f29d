/**
 * zod issues → ScenarioErrors a person can act on. zod reports what its schema saw; users need
 * what they wrote: the value found (looked up in the decoded document), the keys or names that
 * were allowed (looked up in the schema at that path), a did-you-mean, and, for unions, the
 * message of the alternative their input was evidently aiming at instead of "Invalid input".
 */
import type { z } from 'zod';
import { closestMatch, listNames } from './did-you-mean.js';
import { describeKind, describeType, formatPath, showValue, type FieldPath, type ScenarioError } from './errors.js';
import { allowedValues, isObject, knownKeys, valueAt } from './schema-walk.js';
import { RETIRED_STEP_KEYS } from './sections/journey.js';

type Issue = z.core.$ZodIssue;

/** Finds the line and column of a field (or, with `key`, of that key inside the object at `path`). */
export type Locator = (path: FieldPath, key?: string) => { readonly line: number; readonly column: number } | undefined;

/** What the converter needs besides the issues. */
export interface IssueSource {
  readonly file: string;
  /** The decoded document that was validated (values are shown as the user wrote them). */
  readonly document: unknown;
  /** The schema it was validated against (for known keys and allowed values). */
  readonly schema: z.core.$ZodType;
  readonly locate?: Locator;
}

/** A problem before it gets a file and a position. */
interface Problem {
  readonly path: FieldPath;
  readonly message: string;
  readonly suggestion?: string | undefined;
  /** Set for unknown keys: the key, whose own position is the one to show. */
  readonly key?: string;
  /** Set for missing fields: the field that is missing. */
  readonly missing?: string;
}

const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized)/;
const isDefault = (message: string) => DEFAULT_MESSAGE.test(message);
/** Appends what was found, unless the message already says it. */
const withGot = (message: string, got: string) => (/\bgot\b/.test(message) ? message : `${message}, got ${got}`);
/** Words YAML 1.1 read as booleans and YAML 1.2 (which lbsim uses) reads as strings. */
const YAML11_BOOLEANS = /^(y|yes|n|no|on|off)$/i;

/**
 * How well a union alternative fits the input's shape: 0 when the input is not even of its type,
 * 1 when it is of the right type but wrong at the top, more the deeper its deepest complaint lies
 * (an alternative that got further into the input is the one the user was writing).
 */
function fit(issues: readonly Issue[]): number {
  let best = 0;
  for (const issue of issues) {
    let score: number;
    if (issue.path.length > 0) score = 2 + issue.path.length;
    else if (issue.code === 'invalid_type') score = 0;
    else if (issue.code === 'unrecognized_keys') score = 3; // the object fitted; only a key is wrong
    else if (issue.code === 'invalid_union') score = Math.max(0, ...issue.errors.map(fit));
    else score = 1;
    best = Math.max(best, score);
  }
  return best;
}

/** `a or b`; `a, or b` when the alternatives have commas of their own. */
function alternatives(phrases: readonly string[]): string {
  return phrases.join(phrases.some((p) => p.includes(',')) ? ', or ' : ' or ');
}

/** "a string or a number", read off the alternatives' top-level complaints. */
function expectation(issues: readonly Issue[]): string {
  const issue = issues.find((i) => i.path.length === 0);
  if (!issue) return 'something else';
  if (!isDefault(issue.message)) return issue.message.replace(/^expected /, '').replace(/, got .*$/, '');
  if (issue.code === 'invalid_type') return describeType(issue.expected);
  if (issue.code === 'invalid_union') return alternatives(issue.errors.map(expectation));
  if (issue.code === 'invalid_value') return issue.values.map((v) => showValue(v)).join(' or ');
  return 'something else';
}

function rangeMessage(issue: Extract<Issue, { code: 'too_big' | 'too_small' }>, value: unknown): string {
  const big = issue.code === 'too_big';
  const limit = Number(big ? issue.maximum : issue.minimum);
  const got = Array.isArray(value) ? (value.length === 0 ? 'an empty list' : `${value.length} entries`) : showValue(value);
  if (!isDefault(issue.message)) return withGot(issue.message, got);
  if (issue.origin === 'array' && Array.isArray(value)) {
    if (!big && limit === 1) return 'expected at least one entry, got an empty list';
    return `expected at ${big ? 'most' : 'least'} ${limit} entries, got ${got}`;
  }
  if (issue.origin === 'string') {
    if (!big && limit === 1) return 'expected a non-empty string';
    return `expected at ${big ? 'most' : 'least'} ${limit} characters, got ${showValue(value)}`;
  }
  const bound = issue.inclusive === false ? (big ? 'a number below' : 'a number above') : big ? 'at most' : 'at least';
  return `expected ${bound} ${limit}, got ${got}`;
}

/** One issue → its problems (a union or an unknown-keys issue may give several). */
function convert(issue: Issue, base: FieldPath, source: IssueSource, out: Problem[]): void {
  const path = [...base, ...issue.path];
  const value = valueAt(source.document, path);
  const parentPath = path.slice(0, -1);
  const last = path.at(-1);
  const parent = valueAt(source.document, parentPath);
  const absent = value === undefined && typeof last === 'string' && isObject(parent) && !Object.hasOwn(parent, last);
  if (absent && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union')) {
    out.push({ path: parentPath, message: `missing required field ${JSON.stringify(last)}`, missing: last });
    return;
  }
  const push = (message: string, suggestion?: string | undefined): void => {
    out.push({ path, message, suggestion });
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const present = isObject(value) ? Object.keys(value) : [];
      const known = knownKeys(source.schema, path);
      // A key already present cannot be what the unknown key was meant to be.
      const candidates = known.filter((k) => !present.includes(k));
      for (const key of issue.keys) {
        const retired = path[0] === 'journey' && path[1] === 'steps' ? RETIRED_STEP_KEYS[key] : undefined;
        if (retired !== undefined) {
          out.push({ path, message: `${JSON.stringify(key)} is no longer read: ${retired}`, key });
          continue;
        }
        const suggestion = closestMatch(key, candidates);
        const message = suggestion ? `unknown key ${JSON.stringify(key)}` : `unknown key ${JSON.stringify(key)}; allowed here: ${listNames(known, 20)}`;
        out.push({ path, message, suggestion, key });
      }
      return;
    }
    case 'invalid_union': {
      if (issue.errors.length === 0) return push(...enumMessage(allowedValues(source.schema, path), value));
      const ranked = issue.errors.map((branch, index) => ({ branch, index, score: fit(branch) }));
      ranked.sort((a, b) => b.score - a.score || a.branch.length - b.branch.length || a.index - b.index);
      const best = ranked[0]!;
      if (best.score > 0) return best.branch.forEach((i) => convert(i, path, source, out));
      const expected = isDefault(issue.message) ? `expected ${alternatives(issue.errors.map(expectation))}` : issue.message;
      return push(withGot(expected, describeKind(value)));
    }
    case 'invalid_type': {
      const message = withGot(isDefault(issue.message) ? `expected ${describeType(issue.expected)}` : issue.message, describeKind(value));
      const yaml11 = issue.expected === 'boolean' && typeof value === 'string' && YAML11_BOOLEANS.test(value);
      return push(yaml11 ? `${message} (YAML 1.2 reads yes, no, on and off as text: write true or false)` : message);
    }
    case 'invalid_value':
      return push(...enumMessage(issue.values, value));
    case 'too_big':
    case 'too_small':
      return push(rangeMessage(issue, value));
    case 'custom': {
      const suggestion: unknown = issue.params?.['suggestion'];
      return push(issue.message, typeof suggestion === 'string' ? suggestion : undefined);
    }
    default:
      return push(withGot(isDefault(issue.message) ? 'invalid value' : issue.message, showValue(value)));
  }
}

/** `expected one of "a", "b", got "c"` with the closest allowed value as the suggestion. */
function enumMessage(values: readonly unknown[], value: unknown): [string, string | undefined] {
  const names = values.map((v) => String(v));
  const expected = values.length === 1 ? `expected ${showValue(values[0])}` : `expected one of ${listNames(names, 20)}`;
  const got = value === undefined ? 'nothing' : showValue(value);
  return [`${expected}, got ${got}`, typeof value === 'string' ? closestMatch(value, names) : undefined];
}

/**
 * Turns zod issues into ScenarioErrors: one per problem, in document order when positions are
 * known. A "missing field" is dropped when an unknown key beside it is its likely misspelling.
 */
export function issuesToErrors(issues: readonly Issue[], source: IssueSource): ScenarioError[] {
  const problems: Problem[] = [];
  for (const issue of issues) convert(issue, [], source, problems);
  const misspelled = new Set(problems.filter((p) => p.key !== undefined && p.suggestion).map((p) => `${formatPath(p.path)}\0${p.suggestion}`));
  const seen = new Set<string>();
  const errors: ScenarioError[] = [];
  for (const problem of problems) {
    const path = formatPath(problem.path);
    if (problem.missing !== undefined && misspelled.has(`${path}\0${problem.missing}`)) continue;
    const identity = `${path}\0${problem.key ?? ''}\0${problem.message}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const position = source.locate?.(problem.path, problem.key);
    errors.push({
      file: source.file,
      path,
      message: problem.message,
      ...(problem.suggestion === undefined ? {} : { suggestion: problem.suggestion }),
      ...(position ?? {}),
    });
  }
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
