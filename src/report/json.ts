/** `summary.json` (the summary contract) and `sweep.json`, pretty-printed with a final newline. */
import type { Summary } from './summary.js';
import type { Sweep } from './sweep.js';

export function renderJson(document: Summary | Sweep): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
