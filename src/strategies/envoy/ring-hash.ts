/**
 * Envoy's `RING_HASH` load balancer: a ketama-style ring of xxHash64 points over the hosts
 * balanced over; a request takes the first point at or after its hash (wrapping).
 *
 * Reference: Envoy `source/extensions/load_balancing_policies/ring_hash/ring_hash_lb.cc`
 * (`Ring::Ring`, `Ring::chooseHost`), reimplemented:
 *
 * - normalized weights w = weight / total; scale = min(ceil(w_min × minimum_ring_size) / w_min,
 *   maximum_ring_size) (defaults 1024 and 8M);
 * - hosts in order, with running sums: target += scale × w, and while current < target the host
 *   adds the point xxHash64("<address>_<i>") for i = 0, 1, … (current += 1 each);
 * - points sorted ascending; a lookup takes the first point `>= h`, or the first point of all;
 * - a retry walks on from that point, passing over hosts already tried (as if they were not in
 *   the ring).
 *
 * The address is the backend's name (`10.0.0.1:8080`), as Envoy's `address()->asString()` prints it.
 */
import type { RandomStream } from '../../engine/index.js';
import { xxHash64Text } from '../hash-functions.js';
import { XXH64 } from '../hash64.js';
import type { KeyReader } from '../hash-keys.js';
import { HashRing64 } from '../ring.js';
import type { PeerSpec } from '../strategy.js';
import { TableCache, normalizedWeights, type EnvoyPicker } from './balancer.js';
import { EnvoyHashingStrategy } from './hashing.js';
import type { HostList } from './hosts.js';

/** Envoy's defaults. */
export const DEFAULT_MIN_RING_SIZE = 1024;
export const DEFAULT_MAX_RING_SIZE = 8 * 1024 * 1024;
/** The largest ring lbsim builds (Envoy allows 8M; tables are rebuilt whenever health changes). */
export const MAX_ENVOY_RING = 1 << 20;

/** Builds the ring of `members` (host indices, configuration order). */
export function buildRing(hosts: HostList, members: Int32Array, minRingSize: number, maxRingSize: number): HashRing64 {
  const hi: number[] = [];
  const lo: number[] = [];
  const owners: number[] = [];
  if (members.length > 0) {
    const { weights, min } = normalizedWeights(hosts, members);
    const scale = Math.min(Math.ceil(min * minRingSize) / min, maxRingSize);
    let current = 0;
    let target = 0;
    members.forEach((host, k) => {
      target += scale * (weights[k] as number);
      const name = hosts.names[host] as string;
      for (let i = 0; current < target; i++, current++) {
        xxHash64Text(`${name}_${i}`);
        hi.push(XXH64.hi);
        lo.push(XXH64.lo);
        owners.push(host);
      }
    });
  }
  return new HashRing64(hi, lo, owners);
}

/** Envoy `lb_policy: RING_HASH` with `minimum_ring_size` / `maximum_ring_size`. */
export class EnvoyRingHashStrategy extends EnvoyHashingStrategy {
  readonly method = 'envoy-ring-hash';
  private readonly rings: TableCache<HashRing64>;

  constructor(specs: readonly PeerSpec[], retries: number, rng: RandomStream, key: KeyReader, minRingSize: number, maxRingSize: number) {
    super(specs, retries, rng, key);
    if (minRingSize > maxRingSize) throw new RangeError(`ring hash: minimum_ring_size (${minRingSize}) > maximum_ring_size (${maxRingSize})`);
    this.rings = new TableCache(this.hosts, (members) => buildRing(this.hosts, members, minRingSize, maxRingSize));
  }

  choose(picker: EnvoyPicker): number {
    const ring = this.rings.get();
    if (ring.size === 0) return -1;
    const start = ring.lowerBound(picker.hashHi, picker.hashLo);
    for (let k = 0; k < ring.size; k++) {
      const host = ring.owners[(start + k) % ring.size] as number;
      if (!picker.hasTried(host)) return host;
    }
    return -1;
  }
}
