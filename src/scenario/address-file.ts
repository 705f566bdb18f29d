/**
 * A client address mix from a file: one address per line, or an nginx access log in the default
 * `combined` format (its first field is `$remote_addr`), so the skew a user sees is their own
 * traffic's. Blank lines and `#` comments are skipped; every other line must start with an IPv4 or
 * IPv6 address, or the error names the line.
 */
import { parseAddress } from '../model/index.js';
import type { ScenarioError } from './errors.js';

/** At most this many addresses are read (a larger log should be sampled first). */
export const MAX_ADDRESS_LINES = 5_000_000;

export function parseAddressLines(text: string, file: string): { readonly ok: true; readonly addresses: readonly string[] } | { readonly ok: false; readonly errors: readonly ScenarioError[] } {
  const addresses: string[] = [];
  const errors: ScenarioError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const first = line.split(/\s+/, 1)[0]!;
    if (parseAddress(first) === undefined) {
      if (errors.length < 10) errors.push({ file, path: '', line: i + 1, column: 1, message: `expected an IPv4 or IPv6 address at the start of the line, got ${JSON.stringify(first.slice(0, 60))}` });
      continue;
    }
    addresses.push(first);
    if (addresses.length > MAX_ADDRESS_LINES) return { ok: false, errors: [{ file, path: '', message: `more than ${MAX_ADDRESS_LINES.toLocaleString('en-US')} addresses: sample the file first` }] };
  }
  if (errors.length > 0) return { ok: false, errors };
  if (addresses.length === 0) return { ok: false, errors: [{ file, path: '', message: 'the address file has no address' }] };
  return { ok: true, addresses };
}
