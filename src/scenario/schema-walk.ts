/**
 * Reads a zod schema the way an error message needs it: which keys an object at a given path
 * accepts, and which names an enum or literal there allows. Looks through wrappers (optional,
 * default, pipe, transform input) and into every alternative of a union, so the answer holds for
 * whichever alternative the user was writing. Also reads values out of decoded documents by path.
 */
import type { z } from 'zod';
import type { FieldPath } from './errors.js';

/** A plain object (not null, not an array): what a YAML or JSON mapping decodes to. */
export const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

type Schema = z.core.$ZodType;

/** The parts of zod 4's schema definitions this walk reads; every other field is ignored. */
interface Def {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly options?: readonly Schema[];
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly element?: Schema;
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
  readonly getter?: () => Schema;
}

const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** The concrete schemas (objects, arrays, enums, …) a schema may stand for at its own level. */
function concrete(schema: Schema, out: Schema[], depth = 0): Schema[] {
  if (depth > 50) return out;
  const def = defOf(schema);
  const inner = def.innerType ?? def.in ?? def.getter?.();
  if (inner && def.type !== 'object' && def.type !== 'array') concrete(inner, out, depth + 1);
  else if (def.type === 'union' && def.options) def.options.forEach((o) => concrete(o, out, depth + 1));
  else out.push(schema);
  return out;
}

/** Every concrete schema that may validate the value at `path`. */
export function schemasAt(root: Schema, path: FieldPath): Schema[] {
  let current = concrete(root, []);
  for (const segment of path) {
    const next: Schema[] = [];
    for (const schema of current) {
      const def = defOf(schema);
      if (def.type === 'object' && typeof segment === 'string' && def.shape && Object.hasOwn(def.shape, segment)) concrete(def.shape[segment]!, next);
      else if (def.type === 'array' && typeof segment === 'number' && def.element) concrete(def.element, next);
    }
    current = next;
  }
  return current;
}

/** Keys accepted by the object(s) at `path`, in schema order, documentation keys last. */
export function knownKeys(root: Schema, path: FieldPath): string[] {
  const keys = new Set<string>();
  for (const schema of schemasAt(root, path)) Object.keys(defOf(schema).shape ?? {}).forEach((k) => keys.add(k));
  const documentation = ['description', '$schema'];
  return [...[...keys].filter((k) => !documentation.includes(k)), ...documentation.filter((k) => keys.has(k))];
}

/** Names allowed at `path` by enums and literals there (a discriminator's values, a method name). */
export function allowedValues(root: Schema, path: FieldPath): unknown[] {
  const values = new Set<unknown>();
  for (const schema of schemasAt(root, path)) {
    const def = defOf(schema);
    if (def.type === 'enum' && def.entries) Object.values(def.entries).forEach((v) => values.add(v));
    if (def.type === 'literal' && def.values) def.values.forEach((v) => values.add(v));
  }
  return [...values];
}

/** The value at `path` in a decoded document, or undefined when the path does not exist there. */
export function valueAt(document: unknown, path: FieldPath): unknown {
  let current: unknown = document;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isObject(current) && typeof segment === 'string' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return current;
}
