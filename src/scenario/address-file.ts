/**
 * A client address mix from a file: one address per line, or an nginx access log in the default
 * `combined` format (its first field is `$remote_addr`), so the skew a user sees is their own
 * traffic's. Blank lines and `#` comments are skipped; every other line must start with an IPv4 or
 * IPv6 address, or the error names the line. The file may be anything a path can name, so an
 * error quotes a few characters of it at most (`excerpt`), and lines are walked in place rather
 * than split into an array of millions.
 */
import { parseAddress } from '../model/index.js';
import { excerpt, type ScenarioError } from './errors.js';
import { formatCount, LIMITS } from './sections/limits.js';

/** Lines reported per file: a file that is not an address list says so in its first few. */
const MAX_LINE_ERRORS = 10;

export function parseAddressLines(text: string, file: string): { readonly ok: true; readonly addresses: readonly string[] } | { readonly ok: false; readonly errors: readonly ScenarioError[] } {
  const addresses: string[] = [];
  const errors: ScenarioError[] = [];
  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    lineNumber++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const first = line.split(/\s/, 1)[0]!;
    if (parseAddress(first) === undefined) {
      errors.push({ file, path: '', line: lineNumber, column: 1, message: `expected an IPv4 or IPv6 address at the start of the line, got ${excerpt(first)}` });
      if (errors.length === MAX_LINE_ERRORS) break;
      continue;
    }
    addresses.push(first);
    if (addresses.length > LIMITS.addressFileAddresses) return { ok: false, errors: [{ file, path: '', message: `more than ${formatCount(LIMITS.addressFileAddresses)} addresses, the most lbsim reads from an address file: sample the file first` }] };
  }
  if (errors.length > 0) return { ok: false, errors };
  if (addresses.length === 0) return { ok: false, errors: [{ file, path: '', message: 'the address file has no address' }] };
  return { ok: true, addresses };
}
