/**
 * The client population: which address the balancer sees for each user. The scenario states the
 * mix explicitly — individual users spread over a number of /24 networks (nginx's ip_hash only
 * looks at the first three octets), NAT addresses shared by many users, an optional corporate
 * proxy, and an IPv6 share — because an accidental address mix creates or hides skew.
 *
 * Network prefixes come from a bijection on the public unicast /24 networks (multiplication by a
 * constant coprime with their count, then a walk past the ranges that are not public), so
 * `networks` prefixes are always distinct without storing them, and no user has an address no
 * real client has (multicast, private, loopback, documentation, reserved).
 */
import type { RandomStream } from '../engine/index.js';
import { addressFromBytes, parseAddress, type ClientAddress } from './address.js';

export interface ClientMix {
  /** Distinct /24 networks that individual users come from. */
  readonly networks: number;
  /** Share of individual users with an IPv6 address. */
  readonly ipv6Share: number;
  readonly nat?: { readonly share: number; readonly addresses: number } | undefined;
  readonly proxy?: { readonly share: number; readonly address: string } | undefined;
  /** Mobile users: each step, with probability `changePerStep`, their address changes (to another /24, or within theirs). */
  readonly mobile?: { readonly share: number; readonly changePerStep: number; readonly scope: 'network' | 'host' } | undefined;
  /** Share of users whose browsers refuse cookies. */
  readonly refuseCookies?: number | undefined;
  /** Addresses to draw users from (a real traffic sample), instead of networks and NAT. */
  readonly addressList?: readonly string[] | undefined;
}

export type ClientKind = 'individual' | 'nat' | 'proxy';

/**
 * The IPv4 space that is not public unicast, as ranges of /24 prefixes (the address's top 24
 * bits), first and last inclusive, in ascending order: IANA's special-purpose registry (RFC 6890
 * and its updates), private space (RFC 1918), shared CGN space (RFC 6598), multicast and the
 * reserved 240/4.
 */
const NON_PUBLIC: readonly (readonly [number, number])[] = (
  [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.31.196.0', 24], ['192.52.193.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
    ['192.175.48.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
  ] as const
).map(([address, bits]) => {
  const first = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0) / 256;
  return [first, first + 2 ** (24 - bits) - 1] as const;
});

/** How many /24 networks of public unicast IPv4 there are: the most `networks` a scenario can ask for. */
export const PUBLIC_NETWORKS = NON_PUBLIC.reduce((n, [first, last]) => n - (last - first + 1), 1 << 24);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** Coprime with PUBLIC_NETWORKS, so multiplying by it modulo that count is a bijection. */
const PREFIX_MULTIPLIER = (() => {
  let m = 0x9e3779;
  while (gcd(m, PUBLIC_NETWORKS) !== 1) m += 2;
  return m;
})();

/** The `rank`-th public /24 prefix, in ascending order (0 ≤ rank < PUBLIC_NETWORKS). */
function publicPrefix(rank: number): number {
  let prefix = rank;
  for (const [first, last] of NON_PUBLIC) {
    if (prefix < first) break;
    prefix += last - first + 1;
  }
  return prefix;
}

/** An address whose text is built only when asked for (most runs never print one). */
class LazyAddress implements ClientAddress {
  private cachedText: string | undefined;
  constructor(readonly bytes: Uint8Array) {}
  get text(): string {
    this.cachedText ??= addressFromBytes(this.bytes).text;
    return this.cachedText;
  }
}

/**
 * An individual user's IPv4 address held as one 32-bit number: its bytes (what address hashes
 * read) and text are built on first use, and most methods use neither.
 */
class PackedIpv4 implements ClientAddress {
  private cachedBytes: Uint8Array | undefined;
  private cachedText: string | undefined;
  constructor(private readonly value: number) {}
  get bytes(): Uint8Array {
    const v = this.value;
    this.cachedBytes ??= Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this.cachedBytes;
  }
  get text(): string {
    const v = this.value;
    this.cachedText ??= `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
    return this.cachedText;
  }
}

export class ClientPopulation {
  private readonly natAddresses: ClientAddress[];
  private readonly proxyAddress: ClientAddress | undefined;
  private readonly listed: readonly ClientAddress[];
  private readonly prefixOffset: number;

  constructor(
    private readonly mix: ClientMix,
    layout: RandomStream,
  ) {
    this.prefixOffset = Math.floor(layout.next() * PUBLIC_NETWORKS);
    const natCount = mix.nat?.addresses ?? 0;
    // NAT gateways sit in networks of their own, after the individual users' networks.
    this.natAddresses = Array.from({ length: natCount }, (_, j) => new LazyAddress(this.ipv4(mix.networks + j, 1)));
    // A real sample keeps its repetitions: an address seen twice as often is drawn twice as often.
    const parsed = new Map<string, ClientAddress>();
    this.listed = (mix.addressList ?? []).map((text) => {
      let address = parsed.get(text);
      if (!address) {
        address = parseAddress(text);
        if (!address) throw new RangeError(`not an IP address: ${text}`);
        parsed.set(text, address);
      }
      return address;
    });
    if (mix.proxy) {
      const parsed = parseAddress(mix.proxy.address);
      if (!parsed) throw new RangeError(`not an IP address: ${mix.proxy.address}`);
      this.proxyAddress = parsed;
    }
  }

  /** What the last `draw` returned: an individual user, a NAT gateway or the corporate proxy. */
  lastKind: ClientKind = 'individual';

  /** Draws one user's address: exactly four uniforms from `rng`, whatever the outcome. */
  draw(rng: RandomStream): ClientAddress {
    const category = rng.next();
    const family = rng.next();
    const which = rng.next();
    const host = rng.next();
    const proxyShare = this.mix.proxy?.share ?? 0;
    const natShare = this.mix.nat?.share ?? 0;
    if (category < proxyShare && this.proxyAddress) {
      this.lastKind = 'proxy';
      return this.proxyAddress;
    }
    if (this.listed.length > 0) {
      this.lastKind = 'individual';
      return this.listed[Math.floor(which * this.listed.length)]!;
    }
    if (category < proxyShare + natShare && this.natAddresses.length > 0) {
      this.lastKind = 'nat';
      return this.natAddresses[Math.floor(which * this.natAddresses.length)]!;
    }
    this.lastKind = 'individual';
    const network = Math.floor(which * this.mix.networks);
    if (family < this.mix.ipv6Share) return new LazyAddress(this.ipv6(network, host));
    // The /24 prefix and the host byte, as one unsigned 32-bit number.
    return new PackedIpv4((this.prefix(network) * 256 + 1 + Math.floor(host * 254)) >>> 0);
  }

  /**
   * A mobile user's next address: another /24 of the user networks (`network`), or another host
   * in the same /24 (`host`). Uses the two uniforms given, so draws stay aligned.
   */
  move(from: ClientAddress, scope: 'network' | 'host', whichDraw: number, hostDraw: number): ClientAddress {
    const bytes = Uint8Array.from(from.bytes);
    if (scope === 'network') {
      const prefix = this.prefix(Math.floor(whichDraw * this.mix.networks));
      if (bytes.length === 4) bytes.set([prefix >>> 16, (prefix >>> 8) & 0xff, prefix & 0xff]);
      else bytes.set([prefix >>> 16, (prefix >>> 8) & 0xff, prefix & 0xff], 2);
    }
    const last = bytes.length - 1;
    bytes[last] = 1 + ((bytes[last]! + Math.floor(hostDraw * 253)) % 254);
    return new LazyAddress(bytes);
  }

  private prefix(network: number): number {
    // Below 2^48, so the product is exact in a double.
    return publicPrefix((network * PREFIX_MULTIPLIER + this.prefixOffset) % PUBLIC_NETWORKS);
  }

  private ipv4(network: number, host: number): Uint8Array {
    const prefix = this.prefix(network);
    return Uint8Array.of(prefix >>> 16, (prefix >>> 8) & 0xff, prefix & 0xff, host);
  }

  /** 2a0a:PPPP:PP00::/64 per network (global unicast, outside every special-purpose range), a random interface id per user. */
  private ipv6(network: number, host: number): Uint8Array {
    const prefix = this.prefix(network);
    const bytes = new Uint8Array(16);
    bytes.set([0x2a, 0x0a, prefix >>> 16, (prefix >>> 8) & 0xff, prefix & 0xff, 0, 0, 0]);
    let id = Math.floor(host * 2 ** 52);
    for (let i = 15; i >= 8; i--) {
      bytes[i] = id & 0xff;
      id = Math.floor(id / 256);
    }
    return bytes;
  }
}
