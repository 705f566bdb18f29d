/**
 * HAProxy's hashing methods: `balance source` (the client address) and `balance hdr(NAME)` (a
 * request header), over the server map (`hash-type map-based`, the default) or the ring
 * (`hash-type consistent`, with optional `hash-balance-factor`).
 *
 * Reference: HAProxy 2.6 `src/backend.c` (`get_server_sh`, `get_server_hh`, the fallback in
 * `assign_server`) and `src/cfgparse-listen.c` (`hash-type`), described in
 * test/fixtures/haproxy/ALGORITHMS.md:
 *
 * - source input: an IPv4 address as a 32-bit number; an IPv6 address as the XOR of its four
 *   32-bit words (so `::ffff:a.b.c.d` is not unmapped). No hash function is applied, only
 *   the avalanche when enabled;
 * - hdr input: the hash function (sdbm by default) over the header's first element; an absent
 *   or blank header is not hashed: the request goes to the map's round-robin walk, or the
 *   ring's point-by-point walk;
 * - `hash-type consistent` alone implies avalanche; naming a function drops it unless
 *   `avalanche` follows;
 * - with exactly one server running, nothing is hashed or read: it takes every request.
 */
import type { Request } from '../../model/index.js';
import { crc32, djb2, fullHash, hashText, sdbm, wt6, type ByteHash } from '../hash-functions.js';
import type { KeyReader } from '../hash-keys.js';
import type { PeerSpec, Pick } from '../strategy.js';
import { HaproxyStrategy, NO_HASH } from './balance.js';
import { ServerRing } from './chash.js';
import { ServerMap } from './map.js';

/** HAProxy `hash-type` lookups. */
export const HASH_TYPES = ['map-based', 'consistent'] as const;
export type HashType = (typeof HASH_TYPES)[number];

/** HAProxy `hash-type` functions. */
export const HASH_FUNCTIONS = ['sdbm', 'djb2', 'wt6', 'crc32'] as const;
export type HashFunctionName = (typeof HASH_FUNCTIONS)[number];

const FUNCTIONS: { readonly [F in HashFunctionName]: ByteHash } = { sdbm, djb2, wt6, crc32 };

/** A backend's `hash-type TYPE [FUNCTION [avalanche]]` and `hash-balance-factor`, as written. */
export interface HashSettings {
  readonly type: HashType;
  /** The named function; absent: sdbm, with avalanche for `consistent`. */
  readonly function?: HashFunctionName | undefined;
  /** `avalanche` after the function; absent: HAProxy's default for the type. */
  readonly avalanche?: boolean | undefined;
  /** `hash-balance-factor` (0: off; otherwise above 100), consistent only. */
  readonly balanceFactor: number;
  /** `option redispatch`. */
  readonly redispatch: boolean;
  /** `retries`; absent: HAProxy's default. */
  readonly retries?: number | undefined;
}

/** The avalanche HAProxy applies: `hash-type consistent` without a named function implies it. */
export function avalancheOf(settings: HashSettings): boolean {
  return settings.avalanche ?? (settings.type === 'consistent' && settings.function === undefined);
}

abstract class HashedStrategy extends HaproxyStrategy {
  protected readonly avalanche: boolean;
  private readonly map: ServerMap | undefined;
  private readonly ring: ServerRing | undefined;
  private readonly hashPicks: readonly Pick[];
  private readonly fallbackPicks: readonly Pick[];

  constructor(specs: readonly PeerSpec[], settings: HashSettings) {
    super(specs, settings.redispatch, settings.retries);
    this.avalanche = avalancheOf(settings);
    if (settings.type === 'consistent') this.ring = new ServerRing(this.servers, settings.balanceFactor);
    else this.map = new ServerMap(this.servers);
    this.hashPicks = this.servers.pickTable('hash');
    this.fallbackPicks = this.servers.pickTable('fallback');
  }

  select(input: number, avoid: number): number {
    const { ring, map } = this;
    if (ring !== undefined) return input === NO_HASH ? ring.nextServer(avoid) : ring.serverForHash(input, avoid);
    return input === NO_HASH ? (map as ServerMap).nextServer(avoid) : (map as ServerMap).serverForHash(input);
  }

  protected statusChanged(i: number): void {
    if (this.ring !== undefined) this.ring.statusChanged(i);
    else (this.map as ServerMap).statusChanged(i);
  }

  protected override hashInput(request: Request): number {
    // One server running: HAProxy skips reading and hashing (`hash_done` with h = 0).
    if (this.servers.group.length === 1) return 0;
    const h = this.rawInput(request);
    return h === NO_HASH || !this.avalanche ? h : fullHash(h);
  }

  protected override picksFor(input: number): readonly Pick[] {
    return input === NO_HASH ? this.fallbackPicks : this.hashPicks;
  }

  protected override canAvoid(input: number): boolean {
    return this.ring !== undefined || input === NO_HASH;
  }

  /** The input before avalanche, or NO_HASH. */
  protected abstract rawInput(request: Request): number;
}

/** HAProxy `balance source`. */
export class HaproxySourceStrategy extends HashedStrategy {
  readonly method = 'haproxy-source';

  protected rawInput(request: Request): number {
    const b = request.client.bytes;
    let h = 0;
    for (let i = 0; i + 3 < b.length; i += 4) {
      h ^= ((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number);
    }
    return h >>> 0;
  }
}

/** HAProxy `balance hdr(NAME)`, the header read by `key`. */
export class HaproxyHeaderStrategy extends HashedStrategy {
  readonly method = 'haproxy-hdr';
  private readonly hash: ByteHash;

  constructor(
    specs: readonly PeerSpec[],
    settings: HashSettings,
    private readonly key: KeyReader,
  ) {
    super(specs, settings);
    this.hash = FUNCTIONS[settings.function ?? 'sdbm'];
  }

  protected rawInput(request: Request): number {
    const value = this.key.read(request);
    return value === undefined || value === '' ? NO_HASH : hashText(this.hash, value);
  }
}
