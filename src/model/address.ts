/**
 * Client addresses as the balancer sees them: the text and the network-order bytes
 * (4 for IPv4, 16 for IPv6; nginx's ip_hash hashes these bytes).
 */
import ipaddr from 'ipaddr.js';

export interface ClientAddress {
  /** The address as written, e.g. `203.0.113.7` or `2001:db8::1`. */
  readonly text: string;
  /** Network-order bytes: 4 for IPv4, 16 for IPv6 (IPv4-mapped IPv6 stays 16 bytes, as nginx keeps it). */
  readonly bytes: Uint8Array;
}

const DOTTED_TAIL = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Rewrites an IPv6 literal's dotted-quad tail (`::1.2.3.4`, `::ffff:1.2.3.4`) as two hex words,
 * because ipaddr.js turns every such tail into the IPv4-mapped form `::ffff:…`, while nginx keeps
 * the bytes as written.
 */
function hexTail(text: string): string | undefined {
  const match = DOTTED_TAIL.exec(text);
  if (!match) return text;
  const octets = match.slice(2, 6).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const word = (high: number, low: number) => ((high << 8) | low).toString(16);
  return `${match[1]}${word(octets[0]!, octets[1]!)}:${word(octets[2]!, octets[3]!)}`;
}

/**
 * Parses an IPv4 literal (strict dotted decimal: four parts, no octal or short forms) or an IPv6
 * literal; returns undefined when the text is neither.
 */
export function parseAddress(text: string): ClientAddress | undefined {
  if (!text.includes(':')) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
    return { text, bytes: Uint8Array.from(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  const hex = hexTail(text);
  if (hex === undefined || !ipaddr.IPv6.isValid(hex)) return undefined;
  return { text, bytes: Uint8Array.from(ipaddr.IPv6.parse(hex).toByteArray()) };
}

/** Builds an address from its bytes (4 or 16), with the conventional text form. */
export function addressFromBytes(bytes: Uint8Array): ClientAddress {
  const parsed = ipaddr.fromByteArray(Array.from(bytes));
  return { text: parsed.toString(), bytes };
}
