/**
 * Decoded data is a tree of bounded depth before anything walks it: a YAML alias inside its own
 * anchor (`&a [*a]`) decodes to a cycle, and thousands of nested lists overflow the stack of any
 * recursive reader (error messages, the schema, JSON.stringify). Both are refused with where
 * they are.
 */
import { formatPath } from './errors.js';
import { LIMITS } from './sections/limits.js';

/** Where `document` stops being a tree at most `LIMITS.nesting` deep (the field path) and why, or undefined. */
export function nestingProblem(document: unknown): { readonly path: string; readonly message: string } | undefined {
  const ancestors = new Set<object>();
  const visit = (value: unknown, path: PropertyKey[]): { readonly path: string; readonly message: string } | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    if (ancestors.has(value)) return { path: formatPath(path), message: 'YAML aliases refer to themselves (an anchor used inside its own value); data must be a tree' };
    // The first field names where; the rest of a path thousands deep says nothing more.
    if (path.length >= LIMITS.nesting) return { path: formatPath(path.slice(0, 1)), message: `lists and objects are nested more than ${LIMITS.nesting} deep; at most ${LIMITS.nesting}` };
    ancestors.add(value);
    const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
    for (const [key, child] of entries) {
      const problem = visit(child, [...path, key]);
      if (problem !== undefined) return problem;
    }
    ancestors.delete(value);
    return undefined;
  };
  return visit(document, []);
}
