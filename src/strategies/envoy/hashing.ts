/**
 * The base of Envoy's consistent-hashing methods (ring hash, Maglev): the request's hash is
 * xxHash64 of its hash-policy value, or a random 64-bit number when the policy yields nothing.
 *
 * Reference: Envoy `source/common/http/hash_policy.cc` (each policy hashes its value with
 * `HashUtil::xxHash64`) and `source/extensions/load_balancing_policies/common/thread_aware_lb_impl.cc`
 * (`h = hash ? *hash : random_.random()`).
 */
import type { RandomStream, SimTime } from '../../engine/index.js';
import type { Request } from '../../model/index.js';
import { xxHash64Text } from '../hash-functions.js';
import { XXH64 } from '../hash64.js';
import type { KeyReader } from '../hash-keys.js';
import type { PeerSpec } from '../strategy.js';
import { EnvoyStrategy, type EnvoyPicker } from './balancer.js';

/** An Envoy method placing requests by a 64-bit hash of `key`. */
export abstract class EnvoyHashingStrategy extends EnvoyStrategy {
  constructor(
    specs: readonly PeerSpec[],
    retries: number,
    rng: RandomStream,
    private readonly key: KeyReader,
  ) {
    super(specs, retries, rng, undefined, 'hash');
  }

  protected override prepare(picker: EnvoyPicker, request: Request, _now: SimTime): void {
    const value = this.key.read(request);
    if (value === undefined) return this.randomHash(picker);
    xxHash64Text(value);
    picker.hashHi = XXH64.hi;
    picker.hashLo = XXH64.lo;
  }
}
