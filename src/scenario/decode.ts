/**
 * Scenario text → plain data, before any schema: YAML (`.yaml`, `.yml` and anything else) or
 * strict JSON (`.json`), with syntax errors that name file, line and column, a guard against
 * alias bombs ("billion laughs"), and a locator that maps a field path back to its line so that
 * schema errors can point at the text too.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { FieldPath, ScenarioError } from './errors.js';
import { findDuplicateJsonKey, findJsonSyntaxError, lineAndColumn } from './json-syntax.js';
import type { Locator } from './zod-issues.js';

/** Alias expansions allowed when building the data (yaml's own default, stated so it cannot drift). */
export const MAX_ALIAS_COUNT = 100;
/** Syntax errors reported per file; later ones are usually echoes of the first. */
const MAX_SYNTAX_ERRORS = 5;

/** Decoded data and a way to find fields in the text, or the syntax errors. */
export type Decoded =
  | { readonly ok: true; readonly document: unknown; readonly locate: Locator }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** yaml's wording where it speaks to programmers rather than scenario authors. */
const FRIENDLIER: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS: 'the file holds several YAML documents (separated by "---"); a scenario file holds one',
  DUPLICATE_KEY: 'this key appears twice in the same object',
  TAB_AS_INDENT: 'tabs cannot indent YAML; use spaces',
};

/** yaml messages that mean "this line is indented differently from its siblings". */
const INDENTATION = /^(Sequence item without|All mapping items must start)/;

/** Builds a locator over a parsed YAML document (JSON texts are parsed as YAML for this too). */
function yamlLocator(doc: Document, lines: LineCounter): Locator {
  return (path: FieldPath, key?: string) => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    const segments = key === undefined ? path : [...path, key];
    for (const [index, segment] of segments.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        const atKey = key !== undefined && index === segments.length - 1;
        node = pair.value;
        offset = (atKey ? keyNode?.range?.[0] : (pair.value as Node | null)?.range?.[0]) ?? keyNode?.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = (node as Node).range?.[0] ?? offset;
      } else break;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
}

function syntaxError(file: string, message: string, at?: { readonly line: number; readonly column: number }): ScenarioError {
  return { file, path: '', message, ...(at ?? {}) };
}

function decodeJson(text: string, file: string): Decoded {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (caught) {
    const found = findJsonSyntaxError(text);
    if (found) return { ok: false, errors: [syntaxError(file, `JSON syntax error: ${found.message}`, lineAndColumn(text, found.offset))] };
    const reason = caught instanceof Error ? caught.message.split('\n')[0] : 'not valid JSON';
    return { ok: false, errors: [syntaxError(file, `JSON syntax error: ${reason}`)] };
  }
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate) return { ok: false, errors: [syntaxError(file, `JSON: the key ${JSON.stringify(duplicate.key)} appears twice in the same object`, lineAndColumn(text, duplicate.offset))] };
  let locate: Locator | undefined;
  return {
    ok: true,
    document,
    // Positions are only needed when something is wrong: parse the text again lazily, as YAML.
    locate: (path, key) => {
      if (!locate) {
        const lines = new LineCounter();
        locate = yamlLocator(parseDocument(text, { lineCounter: lines }), lines);
      }
      return locate(path, key);
    },
  };
}

function decodeYaml(text: string, file: string): Decoded {
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  } catch {
    // Only pathological input (nesting deep enough to exhaust the stack) gets here.
    return { ok: false, errors: [syntaxError(file, 'YAML error: the file is nested too deeply to read')] };
  }
  if (doc.errors.length > 0) {
    const errors = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => {
      const first = e.message.split(/ at line \d+, column \d+|\n/)[0] ?? e.code;
      const text = FRIENDLIER[e.code] ?? (INDENTATION.test(first) ? `${first} (check how far this line is indented)` : first);
      const at = e.linePos?.[0];
      return syntaxError(file, `YAML syntax error: ${text.charAt(0).toLowerCase()}${text.slice(1)}`, at && { line: at.line, column: at.col });
    });
    return { ok: false, errors };
  }
  try {
    return { ok: true, document: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locate: yamlLocator(doc, lines) };
  } catch (caught) {
    // toJS throws ReferenceError for unresolved aliases and for alias bombs; never show its stack.
    const reason = caught instanceof Error ? (caught.message.split('\n')[0] ?? '') : '';
    const message = /excessive alias/i.test(reason)
      ? `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} copies of anchored values); refusing what looks like an alias bomb`
      : `YAML error: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
    return { ok: false, errors: [syntaxError(file, message)] };
  }
}

/** Decodes scenario text: strict JSON for `*.json` files, YAML for everything else. */
export function decodeScenarioText(text: string, file: string): Decoded {
  // A UTF-8 byte order mark, which some Windows editors write, is not part of the text.
  const unmarked = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return /\.json$/i.test(file) ? decodeJson(unmarked, file) : decodeYaml(unmarked, file);
}
