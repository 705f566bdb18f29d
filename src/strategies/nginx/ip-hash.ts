/**
 * nginx's `ip_hash`: the client address picks a weight slot; unusable slots lead to a rehash.
 *
 * Reference: nginx 1.22.1 `src/http/modules/ngx_http_upstream_ip_hash_module.c`
 * (`ngx_http_upstream_init_ip_hash_peer`, `ngx_http_upstream_get_ip_hash_peer`), described in
 * test/fixtures/nginx/ALGORITHMS.md and test/fixtures/nginx-failover/RULES.md §5:
 *
 * - input: the first 3 bytes of an IPv4 address, all 16 of an IPv6 one (IPv4-mapped included);
 * - the hash starts at 89; one attempt feeds every input byte through
 *   `hash = (hash * 113 + byte) % 6271` and slot-walks `hash % totalWeight` (down peers keep
 *   their slots);
 * - a slot whose peer is tried, down, unavailable or at `max_conns` leads to another attempt from the current
 *   hash; once the counter passes 20 (after the 21st unusable slot) the request falls back to
 *   round robin, sharing the pool's round-robin state, for the rest of the request;
 * - a retry continues the chain from the hash that chose the failed peer, with the same counter;
 * - with a single peer nginx skips hashing and uses round robin directly.
 */
import type { SimTime } from '../../engine/index.js';
import type { Request } from '../../model/index.js';
import type { PeerPicker, PeerSpec, Pick } from '../strategy.js';
import { refuseBackups, type NginxPeers } from './peers.js';
import { ChoiceLoopPicker, NginxStrategy } from './round-robin.js';

class IpHashPicker extends ChoiceLoopPicker {
  private hash = 89;
  private readonly addressLength: number;

  constructor(
    peers: NginxPeers,
    private readonly address: Uint8Array,
    hashPicks: readonly Pick[],
  ) {
    super(peers, hashPicks);
    // nginx hashes 3 bytes for IPv4 (a /24 is one client) and 16 for IPv6.
    this.addressLength = address.length === 16 ? 16 : 3;
  }

  protected attempt(nowSec: number): number {
    const peers = this.peers;
    const address = this.address;
    let hash = this.hash;
    for (let b = 0; b < this.addressLength; b++) hash = (hash * 113 + (address[b] as number)) % 6271;
    this.hash = hash;
    const p = peers.slotOwner(hash % peers.totalWeight);
    if (this.hasTried(p) || !peers.available(p, nowSec)) return -1;
    peers.claim(this, p, nowSec);
    return p;
  }
}

/** nginx `ip_hash` bound to one upstream's peers. Backup servers are refused, as nginx does. */
export class IpHashStrategy extends NginxStrategy {
  readonly method = 'ip-hash';
  private readonly hashPicks: readonly Pick[];

  constructor(specs: readonly PeerSpec[]) {
    refuseBackups(specs, 'ip_hash');
    super(specs);
    this.hashPicks = this.peers.pickTable('hash');
  }

  open(request: Request, _now: SimTime): PeerPicker {
    return new IpHashPicker(this.peers, request.client.bytes, this.hashPicks);
  }
}
