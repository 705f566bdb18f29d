/**
 * Reading a saved summary.json back (`lbsim report`): the text is parsed and checked against the
 * summary's shape (summary-shape.ts), so a wrong or damaged file is a message naming the file and
 * the field, not a crash halfway through rendering. Fields added after schema version 1 (the
 * scenario setup, timelines) are optional; the renderers treat them as optional.
 */
import { SUMMARY_SHAPE, shapeProblem } from './summary-shape.js';
import { SUMMARY_SCHEMA_VERSION, type Summary } from './summary.js';

/** A summary read from a file, or why it cannot be used. */
export type SummaryRead = { readonly ok: true; readonly summary: Summary } | { readonly ok: false; readonly error: string };

// Not scenario's own guard: reading a summary must not load the scenario schema (and zod).
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const escapeControls = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Parses summary.json text; `file` names it in the error. */
export function parseSummaryText(text: string, file: string): SummaryRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes about ten characters of the text; control characters among them are escaped.
    return { ok: false, error: `${file}: not JSON: ${escapeControls((error as Error).message)}` };
  }
  const fail = (problem: string): SummaryRead => ({ ok: false, error: `${file}: not an lbsim summary.json: ${problem}` });
  if (!isObject(value)) return fail('expected a JSON object');
  const version = value['schemaVersion'];
  if (version !== SUMMARY_SCHEMA_VERSION) return fail(`schemaVersion: expected ${SUMMARY_SCHEMA_VERSION}, got ${typeof version === 'number' ? version : typeof version === 'string' ? 'a string' : JSON.stringify(version ?? null).slice(0, 20)}`);
  const problem = shapeProblem(value, SUMMARY_SHAPE);
  if (problem !== undefined) return fail(problem);
  return { ok: true, summary: value as unknown as Summary };
}
