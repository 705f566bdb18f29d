/**
 * nginx's `least_conn`: the eligible peer with the fewest attempts in flight relative to its
 * weight; ties go to a smooth weighted round-robin step among the tied peers. Backups take over
 * when no primary is eligible, as in round robin.
 *
 * Reference: nginx 1.22.1 `src/http/modules/ngx_http_upstream_least_conn_module.c`
 * (`ngx_http_upstream_get_least_conn_peer`):
 *
 * - peers that are tried, down, failed within `fail_timeout` or at `max_conns` are skipped;
 * - peer A beats the best so far B when `conns(A) × weight(B) < conns(B) × weight(A)`; the first
 *   such minimum is the candidate;
 * - when a later peer ties with it, the tied peers from the candidate on take a round-robin step
 *   (current weights move, as in round robin); otherwise current weights stay as they are;
 * - counts come from the family's peer list: every attempt a picker of this pool made and whose
 *   outcome has not been reported yet (nginx's `conns`, shared by all requests of the worker);
 * - a single-server upstream uses round robin.
 */
import type { SimTime } from '../../engine/index.js';
import type { Request } from '../../model/index.js';
import type { PeerPicker, Pick } from '../strategy.js';
import type { NginxPeers, TriedPeers } from './peers.js';
import { NginxStrategy, RoundRobinPicker } from './round-robin.js';

/**
 * One least_conn choice over peers `from..to-1` (the primaries, or the backups); marks the winner
 * tried and opens its check. Returns -1 when none is eligible.
 */
export function leastConnIndex(peers: NginxPeers, tried: TriedPeers, from: number, to: number, nowSec: number): number {
  const conns = peers.conns;
  const weight = peers.weight;
  let best = -1;
  let many = false;
  for (let i = from; i < to; i++) {
    if (tried.hasTried(i) || !peers.available(i, nowSec)) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const mine = (conns[i] as number) * (weight[best] as number);
    const theirs = (conns[best] as number) * (weight[i] as number);
    if (mine < theirs) {
      best = i;
      many = false;
    } else if (mine === theirs) many = true;
  }
  if (best < 0) return -1;
  if (!many) {
    peers.claim(tried, best, nowSec);
    return best;
  }
  peers.beginStep();
  for (let i = best; i < to; i++) {
    if ((conns[i] as number) * (weight[best] as number) === (conns[best] as number) * (weight[i] as number)) peers.offer(tried, i, nowSec);
  }
  return peers.finishStep(tried, nowSec);
}

class LeastConnPicker extends RoundRobinPicker {
  constructor(
    peers: NginxPeers,
    private readonly picks: readonly Pick[],
  ) {
    super(peers);
  }

  override pick(now: SimTime): Pick | undefined {
    const peers = this.peers;
    if (peers.single) return super.pick(now);
    const nowSec = Math.floor(now / 1000);
    let i = -1;
    if (!this.onBackups) {
      i = leastConnIndex(peers, this, 0, peers.primaryCount, nowSec);
      if (i < 0 && peers.count > peers.primaryCount) this.onBackups = true;
    }
    if (this.onBackups) i = leastConnIndex(peers, this, peers.primaryCount, peers.count, nowSec);
    return i < 0 ? undefined : (this.picks[this.took(i)] as Pick);
  }
}

/** nginx `least_conn` bound to one upstream's peers (backup servers allowed). */
export class LeastConnStrategy extends NginxStrategy {
  readonly method = 'least-conn';
  private readonly picks = this.peers.pickTable('balance');

  open(_request: Request, _now: SimTime): PeerPicker {
    return new LeastConnPicker(this.peers, this.picks);
  }
}
