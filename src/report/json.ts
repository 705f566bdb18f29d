/** `summary.json`: the summary contract, pretty-printed with a final newline. */
import type { Summary } from './summary.js';

export function renderJson(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
