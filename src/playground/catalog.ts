/** The scenarios the page offers, and the data block that carries them to the page's script. */

/** A bundled scenario: `group` is "Scenarios" or "Workshop lessons"; `file` is the name errors show. */
export interface CatalogEntry {
  readonly group: string;
  readonly file: string;
  readonly text: string;
}

/** The id of the page's inert JSON block with the catalog. */
export const CATALOG_ELEMENT_ID = 'playground-data';
/** The id of the inert script element holding the worker's code (started from a blob: URL). */
export const WORKER_ELEMENT_ID = 'playground-worker';
/** The scenario the page opens with. */
export const FIRST_SCENARIO = 'shop-basic.yaml';
/** The name errors show for a scenario typed or pasted into the page. */
export const PASTED_FILE = 'scenario.yaml';
/** The same, for text that starts with `{` (strict JSON, as the CLI reads a `.json` file). */
export const PASTED_JSON = 'scenario.json';

/** The fragment that carries a shared scenario: `#scenario=<base64url of the UTF-8 text>`. */
export const FRAGMENT_KEY = 'scenario';

export function encodeFragment(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return `${FRAGMENT_KEY}=${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The scenario text of a fragment (with or without its `#`), or undefined when it carries none. */
export function decodeFragment(fragment: string): string | undefined {
  const match = new RegExp(`^#?${FRAGMENT_KEY}=([A-Za-z0-9_-]*)$`).exec(fragment);
  if (!match) return undefined;
  try {
    const binary = atob(match[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
