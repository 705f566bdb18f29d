/**
 * Markup from data. Scenario names, descriptions, strategy and backend names are user text: in
 * markup they become text, and in the JSON data block they cannot close the `<script>` element.
 * Tables: every chart has one behind it (in a `<details>` element) for screen readers,
 * printouts and anyone who wants the exact numbers, and the scenario section is made of them.
 * The page's Content-Security-Policy (page.ts) allows only its own hashed scripts, so even a
 * missed escape could not run injected code.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become `\u003c`… escapes
 * (the same value for JSON.parse), so no `</script>` or `<!--` can appear in the element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A table of pre-formatted text cells; the first cell of each row is its header. */
export interface DataTable {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A figure, optionally with a unit and a share in parentheses: `1,234`, `12.5%`, `3.1 ms`, `9 (0.2%)`, `—`. */
const NUMERIC = /^(?:[-−]?[\d,.]+(?: ?(?:ms|s|min|%|\/s))?(?: \([\d,.]+%\))?(?: \/ [\d,.]+)*(?: ms)?|—|)$/;

/** Renders a table (cells escaped; columns whose cells are all figures right-aligned). */
export function renderTable(table: DataTable, className = 'data'): string {
  const numeric = table.head.map((_, i) => i > 0 && table.rows.some((row) => (row[i] ?? '') !== '') && table.rows.every((row) => NUMERIC.test(row[i] ?? '')));
  const cls = (i: number) => (numeric[i] ? ' class="num"' : '');
  const head = table.head.map((cell, i) => `<th scope="col"${cls(i)}>${escapeHtml(cell)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td${cls(i)}>${escapeHtml(cell)}</td>`)).join('')}</tr>`);
  return [
    `<div class="table-wrap"><table class="${className}">`,
    `<caption>${escapeHtml(table.caption)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}

/** A two-column table of facts (`label: value`), for the scenario section. */
export function renderFacts(caption: string, facts: readonly (readonly [string, string])[]): string {
  const rows = facts.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`);
  return `<div class="table-wrap"><table class="facts"><caption>${escapeHtml(caption)}</caption><tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** A data table behind a chart, folded away until asked for. */
export function renderDetails(table: DataTable): string {
  return `<details class="data-table"><summary>Data table: ${escapeHtml(table.caption)}</summary>\n${renderTable(table)}\n</details>`;
}
