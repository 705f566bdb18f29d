/**
 * Everything that crosses from data into the page goes through here. Scenario names,
 * descriptions, strategy and backend names are user text: in markup they become text, in the
 * JSON data block they cannot close the `<script>` element, and inlined library code cannot
 * either. The page's Content-Security-Policy (page.ts) allows only the scripts hashed here, so
 * even a missed escape could not run injected code.
 */
import { createHash } from 'node:crypto';

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

/**
 * Library code made safe to inline in a `<script>` element: a `</script` or `<!--` inside it
 * (in a string or comment) would end or confuse the element, so its `<` is written `<\` + `/`
 * or `\x3C`, which reads the same in JavaScript strings, regular expressions and comments. The source-map
 * comment is dropped: an offline page has no map to fetch.
 */
export function inlineScript(code: string): string {
  return code
    .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '\\x3C!--');
}

/** The CSP source expression allowing exactly this inline script (`'sha256-…'`). */
export function scriptHash(code: string): string {
  return `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;
}
