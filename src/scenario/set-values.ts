/**
 * `--set PATH=VALUE`: any field of a scenario file replaced from the command line, by its path in
 * the file (`clients.nat.share`, `backends.2.weight`, `strategies[1].balancer.method`). Values
 * are YAML, as in the file: `0.1` is a number, `true` a boolean, `20/s` and `5s` stay text so the
 * field's units apply, and `[…]` / `{…}` give lists and objects. Paths are checked against the
 * schema before anything is written (an unknown field lists the fields accepted there and
 * suggests the closest); values are written into the decoded document before validation, so a
 * value the schema refuses is reported like one in the file, against `--set PATH`. Pure: no
 * files, no process.
 */
import { decodeScenarioText } from './decode.js';
import { closestMatch, listNames } from './did-you-mean.js';
import { COMMAND_LINE, describeKind, formatPath, type FieldPath, type ScenarioError } from './errors.js';
import { ScenarioSchema } from './schema.js';
import { isObject, knownKeys, schemasAt, valueAt } from './schema-walk.js';

/** One `--set`: a field path and its value as typed (YAML). */
export interface SetValue {
  readonly path: string;
  readonly value: string;
}

const setError = (message: string, suggestion?: string, option = '--set'): ScenarioError => ({
  file: COMMAND_LINE,
  path: option,
  message,
  ...(suggestion === undefined ? {} : { suggestion }),
});

const PATH_HELP = 'expected a field path such as clients.nat.share, backends.2.weight or strategies[1].balancer.method';

/** `strategies[1].balancer.method` or `strategies.1.balancer.method` → `["strategies", 1, "balancer", "method"]`; digits alone are list indexes. */
function splitPath(text: string): FieldPath | undefined {
  const path: PropertyKey[] = [];
  const token = /([^.[\]]+)|\[(\d+)\]/y;
  let at = 0;
  while (at < text.length) {
    if (path.length > 0 && text[at] === '.') at++;
    token.lastIndex = at;
    const match = token.exec(text);
    if (!match) return undefined;
    const key = match[1]?.trim();
    if (key === '') return undefined;
    path.push(match[2] !== undefined ? Number(match[2]) : /^\d+$/.test(key!) ? Number(key) : key!);
    at = token.lastIndex;
  }
  return path.length > 0 ? path : undefined;
}

const schemaTypes = (path: FieldPath) => schemasAt(ScenarioSchema, path).map((s) => (s._zod.def as { type: string }).type);

/**
 * The field path of `text`, checked against the scenario schema: every segment must be a field
 * the schema accepts there (or a list index where it takes a list). Otherwise an error that names
 * the segment, lists the fields accepted there and suggests the closest.
 */
export function parseSetPath(text: string): FieldPath | ScenarioError {
  const path = splitPath(text.trim());
  if (path === undefined) return setError(`${JSON.stringify(text)}: ${PATH_HELP}`);
  for (let i = 0; i < path.length; i++) {
    const prefix = path.slice(0, i);
    if (schemasAt(ScenarioSchema, path.slice(0, i + 1)).length > 0) continue;
    const segment = path[i]!;
    const here = prefix.length === 0 ? 'the scenario' : formatPath(prefix);
    // Documentation keys are accepted everywhere and worth listing nowhere.
    const keys = knownKeys(ScenarioSchema, prefix).filter((k) => k !== 'description' && k !== '$schema');
    const list = schemaTypes(prefix).includes('array');
    const fields = `its fields are ${listNames(keys, 30, ' and ')}`;
    let message: string;
    let suggestion: string | undefined;
    if (typeof segment === 'number') {
      message = keys.length > 0 ? `${here} is an object, not a list, so it has no entry ${segment}; ${fields}` : `${here} is a single value, not a list, so it has no entry ${segment}`;
    } else if (keys.length > 0) {
      message = `${here} has no field ${JSON.stringify(segment)}; ${fields}${list ? `, or it is a list (${formatPath([...prefix, 0])})` : ''}`;
      suggestion = closestMatch(String(segment), keys);
    } else if (list) {
      message = `${here} is a list: give an entry's index, as in ${formatPath([...prefix, 0])}`;
    } else {
      message = `${here} is a single value, with no field ${JSON.stringify(segment)}`;
    }
    return setError(`${text.trim()}: ${message}`, suggestion);
  }
  return path;
}

/** A value as typed on the command line, read as YAML (`0.1` → 0.1, `20/s` → "20/s", `[a, b]` → a list). */
function parseSetValue(path: string, text: string): { readonly value: unknown } | ScenarioError {
  if (text.trim() === '') return setError(`${path}: expected a value after "="`, undefined, `--set ${path}`);
  const decoded = decodeScenarioText(text, COMMAND_LINE);
  if (!decoded.ok) return setError(`${JSON.stringify(text)} is not a value: ${decoded.errors[0]!.message}`, undefined, `--set ${path}`);
  return { value: decoded.document };
}

/**
 * A copy of `node` with `value` at `path` (copies along the path only), creating objects that are
 * missing on the way; a list index must name an existing entry. Returns an error message when the
 * document's shape does not allow it.
 */
function assign(node: unknown, path: FieldPath, value: unknown, at: FieldPath = []): { readonly node: unknown } | string {
  const [head, ...rest] = path;
  if (head === undefined) return { node: value };
  const here = at.length === 0 ? 'the scenario' : formatPath(at);
  if (typeof head === 'number') {
    if (!Array.isArray(node)) return node === undefined || node === null ? `${here} is not in the file, so it has no entry ${head}` : `${here} in the file is ${describeKind(node)}, not a list`;
    if (head >= node.length) return `${here} has ${node.length} entr${node.length === 1 ? 'y' : 'ies'}, numbered from 0${node.length > 0 ? ` to ${node.length - 1}` : ''}`;
    const inner = assign(node[head], rest, value, [...at, head]);
    if (typeof inner === 'string') return inner;
    const copy = [...node];
    copy[head] = inner.node;
    return { node: copy };
  }
  const key = String(head);
  const object = node === undefined || node === null ? {} : node;
  if (!isObject(object)) return `${here} in the file is ${describeKind(object)}, not an object with the field ${JSON.stringify(key)}; set ${here} as a whole instead`;
  const inner = assign(object[key], rest, value, [...at, key]);
  return typeof inner === 'string' ? inner : { node: { ...object, [key]: inner.node } };
}

/**
 * Writes each value at its path in a decoded scenario document (the input is not changed), in
 * the order given. Errors are about the options: an unknown path, a value that is not YAML, a
 * path the file's shape does not allow (an index past the end of a list).
 */
export function setValues(document: unknown, sets: readonly SetValue[]): { readonly document: unknown; readonly errors: readonly ScenarioError[] } {
  const errors: ScenarioError[] = [];
  let current = document;
  for (const set of sets) {
    const path = parseSetPath(set.path);
    if (!Array.isArray(path)) {
      errors.push(path as ScenarioError);
      continue;
    }
    const parsed = parseSetValue(set.path.trim(), set.value);
    if (!('value' in parsed)) {
      errors.push(parsed);
      continue;
    }
    const written = assign(current, path as FieldPath, parsed.value);
    if (typeof written === 'string') errors.push(setError(`${set.path.trim()}: ${written}`));
    else current = written.node;
  }
  return { document: current, errors };
}

/**
 * Validation errors about values that came from `--set` are the option's, not the file's: those
 * at or under a set path, and those about an object `--set` created because the file has none
 * (`clients.nat` for `--set clients.nat.share=0.2`). They are reported against `--set PATH`,
 * without a line of the file, which does not hold what was validated there.
 */
export function attributeToSet(errors: readonly ScenarioError[], sets: readonly SetValue[], original: unknown): ScenarioError[] {
  const paths = sets.flatMap((s) => {
    const path = parseSetPath(s.path);
    return Array.isArray(path) ? [formatPath(path as FieldPath)] : [];
  });
  const under = (path: string, parent: string) => path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
  return errors.map((e) => {
    const set = paths.find((p) => e.path === p || under(e.path, p));
    const creator = set === undefined && e.path !== '' ? paths.find((p) => under(p, e.path)) : undefined;
    const field = splitPath(e.path);
    const created = creator !== undefined && field !== undefined && valueAt(original, field) === undefined;
    if (set === undefined && !created) return e;
    const { line: _line, column: _column, ...rest } = e;
    const message = created ? `${e.message} (the file has no ${e.path}: --set ${creator} created it)` : e.message;
    return { ...rest, file: COMMAND_LINE, path: `--set ${e.path}`, message };
  });
}

/**
 * One `--set` option: `PATH=VALUE` or `PATH=VALUE,VALUE,…` (a sweep). Commas inside brackets,
 * braces or quotes do not separate values, so `[a, b],[c]` is two lists. Values are trimmed;
 * an empty or repeated value is an error.
 */
export function splitSetOption(text: string): SetOption | ScenarioError {
  const equals = text.indexOf('=');
  const path = equals < 0 ? '' : text.slice(0, equals).trim();
  if (path === '') return setError(`${JSON.stringify(text)}: expected PATH=VALUE or PATH=VALUE,VALUE,…, such as clients.nat.share=0,0.1,0.2`);
  const values: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = equals + 1;
  for (let i = start; i <= text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === undefined || (c === ',' && depth === 0)) {
      values.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const option = `--set ${path}`;
  if (values.some((v) => v === '')) return setError(`expected a value after "=" and between commas, got ${JSON.stringify(text.slice(equals + 1))}`, undefined, option);
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) return setError(`the value ${JSON.stringify(repeated)} is given twice`, undefined, option);
  return { path, values };
}

/** A `--set` option read: the field path as given and its values as typed. */
export interface SetOption {
  readonly path: string;
  readonly values: readonly string[];
}

/**
 * Every `--set` option of a command, each split into path and values, its path checked against
 * the schema; a field set twice is an error. All problems are reported at once.
 */
export function parseSetOptions(options: readonly string[]): { readonly ok: true; readonly sets: readonly SetOption[] } | { readonly ok: false; readonly errors: readonly ScenarioError[] } {
  const sets: SetOption[] = [];
  const errors: ScenarioError[] = [];
  const seen = new Map<string, string>();
  for (const option of options) {
    const split = splitSetOption(option);
    if (!('values' in split)) {
      errors.push(split);
      continue;
    }
    const path = parseSetPath(split.path);
    if (!Array.isArray(path)) {
      errors.push(path as ScenarioError);
      continue;
    }
    const field = formatPath(path as FieldPath);
    const earlier = seen.get(field);
    if (earlier !== undefined) errors.push(setError(`${split.path}: the field is already set${earlier === split.path ? '' : ` (as ${earlier})`}; give its values in one --set, separated by commas`));
    seen.set(field, split.path);
    sets.push(split);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, sets };
}
