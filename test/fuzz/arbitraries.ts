/**
 * What the fuzz suite feeds lbsim: documents generated from the scenario's own JSON Schema,
 * valid documents with one part mutated into something hostile, and texts cut short. The hostile
 * values are the classes issue 18 found (numbers past their range, Infinity spelled as text,
 * nesting thousands deep, huge strings, control characters) and their neighbours.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** The fuzz suite's seed (FUZZ_SEED to vary it) and a multiplier of its case counts (FUZZ_SCALE). */
export const FUZZ = { seed: Number(process.env['FUZZ_SEED'] ?? 18), scale: Number(process.env['FUZZ_SCALE'] ?? 1) };

/** fast-check's settings for a property of `runs` cases (times FUZZ_SCALE), reproducible by seed. */
export const settings = (runs: number) => ({ seed: FUZZ.seed, numRuns: Math.max(1, Math.round(runs * FUZZ.scale)), endOnFailure: true });

/** The part of JSON Schema (draft 7) that lbsim's scenario schema uses. */
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** Text a quantity field may hold: well written, at its bounds, past them, and not quantities at all. */
const QUANTITY_TEXTS = ['20ms', '2s', '1us', '365d', '366d', '0', '0ms', '1e999ms', '1e-320ms', '1e308ms', '-5ms', '10/s', '3000/m', '1e999/s', '0/s', '50%', '100001%', '1e999%', '.inf', 'NaN', 'fast'];
/** Other text: names that fit a field, and names that do not. */
const OTHER_TEXTS = ['10.0.0.1:80', '10.0.0.2:80', '10.0.0.{n}:80', '10.0.0.{n}:99999', 'a:80', 'rr', '$remote_addr', '$session_id', 'hdr(x-session-id)', 'source_ip', '', ' ', '\u0000\u001b[31m', 'x'.repeat(5000)];

/** Values that broke lbsim once, or sit at an edge: for any field. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null, '', 0, -1, 1, 0.5, 2 ** 53, 1e308, -1e308, 1e-320, 1e9, true, [], {}, [[[]]],
  nested(200), ...QUANTITY_TEXTS, ...OTHER_TEXTS,
];

/** Lists inside lists, `depth` deep. */
export function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Values for a number field: its bounds and just past them, and a few ordinary ones. */
function numberIn(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const low = schema.minimum ?? 0;
  const high = schema.maximum ?? 1e6;
  const edges = [low, high, low - 1, high + 1, 0, 1, 2].filter((n) => Number.isFinite(n));
  const inside = integer ? fc.integer({ min: Math.ceil(low), max: Math.min(Math.floor(high), Math.ceil(low) + 50) }) : fc.double({ min: low, max: Math.min(high, low + 100), noNaN: true });
  return fc.oneof(fc.constantFrom(...edges), inside);
}

/** Documents of `schema`'s shape: required fields always, others now and then, values biased to edges. */
export function fromSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map(fromSchema));
  switch (schema.type) {
    case 'object': {
      const fields = Object.entries(schema.properties ?? {}).filter(([key]) => key !== 'description' && key !== '$schema');
      const shape = Object.fromEntries(fields.map(([key, field]) => [key, fromSchema(field)]));
      const required = (schema.required ?? []).filter((key) => key in shape);
      return fc.record(shape, { requiredKeys: required });
    }
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'string':
      return fc.constantFrom(...QUANTITY_TEXTS, ...OTHER_TEXTS);
    case 'integer':
      return numberIn(schema, true);
    case 'number':
      return numberIn(schema, false);
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constantFrom(...HOSTILE_VALUES);
  }
}

type Path = readonly (string | number)[];

/** Every path into a document, the root's children first. */
export function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const children: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return children.flatMap(([key, child]) => [[...path, key], ...pathsOf(child, [...path, key])]);
}

/** A copy of `document` with the value at `path` replaced (`undefined`: the key removed). */
export function withValueAt(document: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined && Array.isArray(node)) node.splice(Number(last), 1);
  else if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** The schema of the field at `path`, trying each alternative of a union; undefined where the schema has none. */
export function schemaAt(schema: JsonSchema, path: Path): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const key of path) {
    const alternatives: readonly JsonSchema[] = node.anyOf ?? node.oneOf ?? [node];
    node = alternatives.map((a) => (typeof key === 'number' ? a.items : a.properties?.[key])).find((found) => found !== undefined);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * `document` with one part mutated: a field replaced by a value its schema allows (biased to its
 * edges) or by a hostile one, removed, or a list item doubled.
 */
export function mutated(document: unknown, schema: JsonSchema = {}): fc.Arbitrary<unknown> {
  const paths = pathsOf(document);
  const replacement = (path: Path) => {
    const field = schemaAt(schema, path);
    return field === undefined ? fc.constantFrom(...HOSTILE_VALUES) : fc.oneof(fromSchema(field), fc.constantFrom(...HOSTILE_VALUES));
  };
  const change = fc.constantFrom(...paths).chain((path) => fc.tuple(fc.constant(path), fc.nat(), fc.oneof({ weight: 4, arbitrary: replacement(path) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'double') })));
  return change.map(([path, n, value]) => {
    if (value !== 'double') return withValueAt(document, path, value);
    // Doubling: the parent list gains a copy of this item (two backends, strategies or events alike).
    const parent = path.slice(0, -1);
    const list = parent.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], document);
    return Array.isArray(list) ? withValueAt(document, parent, [...list, list[n % list.length]]) : document;
  });
}

/** A document as a file holds it. */
export const asText = (document: unknown, file: string): string => (file.endsWith('.json') ? JSON.stringify(document, null, 1) : stringify(document));

/** `text` cut short anywhere, as a download or a copy that stopped. */
export const truncated = (text: string): fc.Arbitrary<string> => fc.nat({ max: text.length }).map((end) => text.slice(0, end));
