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

/** Parses an IPv4 or IPv6 literal; returns undefined when it is not one. */
export function parseAddress(text: string): ClientAddress | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const parsed = ipaddr.parse(text);
  return { text, bytes: Uint8Array.from(parsed.toByteArray()) };
}

/** Builds an address from its bytes (4 or 16), with the conventional text form. */
export function addressFromBytes(bytes: Uint8Array): ClientAddress {
  const parsed = ipaddr.fromByteArray(Array.from(bytes));
  return { text: parsed.toString(), bytes };
}
