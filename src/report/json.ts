/**
 * `summary.json` (the summary contract) and `sweep.json`, pretty-printed with a final newline.
 * JSON has no Infinity or NaN (JSON.stringify writes `null`), so a figure that is not finite is a
 * bug in lbsim: it is refused here, by its path, rather than written as a field of the wrong type.
 */
import type { Summary } from './summary.js';
import type { Sweep } from './sweep.js';

/** The path of the first number in `document` that is not finite (`strategies.0.revenue`), or undefined. */
function nonFinitePath(document: unknown): string | undefined {
  const pending: [unknown, string][] = [[document, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'number' && !Number.isFinite(value)) return path;
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) pending.push([child, path === '' ? key : `${path}.${key}`]);
  }
  return undefined;
}

export function renderJson(document: Summary | Sweep): string {
  const bad = nonFinitePath(document);
  if (bad !== undefined) throw new Error(`${bad} is not a finite number; a summary holds only finite figures`);
  return `${JSON.stringify(document, null, 2)}\n`;
}
