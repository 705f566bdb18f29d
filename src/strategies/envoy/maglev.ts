/**
 * Envoy's `MAGLEV` load balancer: a lookup table of a prime size M (65537 by default) filled from
 * each host's permutation, weighted; a request takes entry `hash mod M`.
 *
 * References: Eytan et al., "Maglev: A Fast and Reliable Software Network Load Balancer" (NSDI
 * 2016), §3.4 and Pseudocode 1; Envoy `source/extensions/load_balancing_policies/maglev/maglev_lb.cc`
 * (`constructMaglevTableInternal`, `OriginalMaglevTable::chooseHost`), reimplemented:
 *
 * - hosts sorted by address text; offset = xxHash64(address) mod M, skip = xxHash64(address,
 *   seed 1) mod (M − 1) + 1; the j-th choice of a host is (offset + skip × j) mod M;
 * - weights: normalized w = weight / total, w_max the largest. In iteration t = 1, 2, … each host
 *   in order whose t × w is not below its target takes its next free entry and raises its target
 *   by w_max (equal weights: every host every iteration, the paper's round), until M are taken;
 * - a retry mutates the hash: attempt k > 0 looks up `hash XOR (2^64 − k)`; lbsim passes over
 *   hosts already tried that way (64 attempts, then the first untried host).
 */
import type { RandomStream } from '../../engine/index.js';
import { xxHash64Text } from '../hash-functions.js';
import { XXH64, mod64 } from '../hash64.js';
import type { KeyReader } from '../hash-keys.js';
import type { PeerSpec } from '../strategy.js';
import { TableCache, normalizedWeights, type EnvoyPicker } from './balancer.js';
import { EnvoyHashingStrategy } from './hashing.js';
import type { HostList } from './hosts.js';

/** Envoy's default table size (a prime). */
export const DEFAULT_MAGLEV_TABLE_SIZE = 65537;
/** Envoy's largest table size. */
export const MAX_MAGLEV_TABLE_SIZE = 5_000_011;

/** One host's place in the build: its permutation and weight. */
export interface MaglevEntry {
  readonly host: number;
  readonly offset: number;
  readonly skip: number;
  readonly weight: number;
}

/**
 * Fills a table of `size` entries from `entries` (in build order): the paper's Pseudocode 1 with
 * Envoy's weighting. Returns the host of each entry.
 */
export function fillMaglevTable(entries: readonly MaglevEntry[], size: number): Int32Array {
  const table = new Int32Array(size).fill(-1);
  if (entries.length === 0) return new Int32Array(0);
  const maxWeight = Math.max(...entries.map((e) => e.weight));
  const next = new Float64Array(entries.length);
  const target = new Float64Array(entries.length);
  let filled = 0;
  for (let iteration = 1; filled < size; iteration++) {
    for (let k = 0; k < entries.length && filled < size; k++) {
      const e = entries[k] as MaglevEntry;
      if (iteration * e.weight < (target[k] as number)) continue;
      target[k] = (target[k] as number) + maxWeight;
      let c = (e.offset + e.skip * (next[k] as number)) % size;
      while (table[c] !== -1) {
        next[k] = (next[k] as number) + 1;
        c = (e.offset + e.skip * (next[k] as number)) % size;
      }
      table[c] = e.host;
      next[k] = (next[k] as number) + 1;
      filled++;
    }
  }
  return table;
}

/** Envoy's table for `members`: hosts sorted by address, offsets and skips from xxHash64. */
export function buildMaglevTable(hosts: HostList, members: Int32Array, size: number): Int32Array {
  const { weights } = normalizedWeights(hosts, members);
  const order = Array.from(members.keys()).sort((a, b) => {
    const x = hosts.names[members[a] as number] as string;
    const y = hosts.names[members[b] as number] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const entries = order.map((k): MaglevEntry => {
    const name = hosts.names[members[k] as number] as string;
    xxHash64Text(name, 0);
    const offset = mod64(XXH64.hi, XXH64.lo, size);
    xxHash64Text(name, 1);
    const skip = mod64(XXH64.hi, XXH64.lo, size - 1) + 1;
    return { host: members[k] as number, offset, skip, weight: weights[k] as number };
  });
  return fillMaglevTable(entries, size);
}

/** Whether `n` is prime (Envoy refuses other table sizes). */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Envoy `lb_policy: MAGLEV` with `table_size`. */
export class EnvoyMaglevStrategy extends EnvoyHashingStrategy {
  readonly method = 'envoy-maglev';
  private readonly tables: TableCache<Int32Array>;

  constructor(specs: readonly PeerSpec[], retries: number, rng: RandomStream, key: KeyReader, private readonly size: number) {
    super(specs, retries, rng, key);
    if (!isPrime(size)) throw new RangeError(`The table size of maglev must be prime number, got ${size}`);
    this.tables = new TableCache(this.hosts, (members) => buildMaglevTable(this.hosts, members, size));
  }

  choose(picker: EnvoyPicker): number {
    const table = this.tables.get();
    if (table.length === 0) return -1;
    for (let attempt = 0; attempt < 64; attempt++) {
      // attempt k > 0: hash XOR (2^64 - k), whose high half is all ones.
      const hi = attempt === 0 ? picker.hashHi : (picker.hashHi ^ 0xffffffff) >>> 0;
      const lo = attempt === 0 ? picker.hashLo : (picker.hashLo ^ (-attempt >>> 0)) >>> 0;
      const host = table[mod64(hi, lo, this.size)] as number;
      if (!picker.hasTried(host)) return host;
    }
    return picker.firstUntried();
  }
}
