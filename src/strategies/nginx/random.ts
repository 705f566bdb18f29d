/**
 * nginx's `random` and `random two least_conn`: a weighted random peer, or the less loaded of two
 * weighted random peers. lbsim draws from a seeded `RandomStream` instead of nginx's `random()`,
 * so the choices are nginx's rules with the scenario's numbers.
 *
 * Reference: nginx 1.22.1 `src/http/modules/ngx_http_upstream_random_module.c`
 * (`ngx_http_upstream_get_random_peer`, `ngx_http_upstream_get_random2_peer`,
 * `ngx_http_upstream_peek_random_peer`):
 *
 * - a draw is a uniform slot in `[0, total weight)`, slot-walked to its peer (down peers keep
 *   their slots, as in `hash`);
 * - `random`: a drawn peer that is tried, down, failed or full leads to another draw;
 * - `random two least_conn`: the first eligible draw is kept; the next eligible draw of another
 *   peer is compared with it, and the first one wins only when the second has strictly more
 *   connections per unit of weight (`conns(2) × weight(1) > conns(1) × weight(2)`);
 * - every draw that does not end the choice, keeping the first of the two included, counts one
 *   try; after 21 nginx takes a round-robin pick for the rest of the request; a single-server
 *   upstream uses round robin. `backup` is refused.
 */
import type { RandomStream, SimTime } from '../../engine/index.js';
import type { Request } from '../../model/index.js';
import type { PeerPicker, PeerSpec, Pick } from '../strategy.js';
import { refuseBackups, type NginxPeers } from './peers.js';
import { ChoiceLoopPicker, NginxStrategy } from './round-robin.js';

class RandomPicker extends ChoiceLoopPicker {
  /** The first eligible draw of a `two` choice, or -1. */
  private first = -1;

  constructor(
    peers: NginxPeers,
    private readonly rng: RandomStream,
    private readonly two: boolean,
    picks: readonly Pick[],
  ) {
    super(peers, picks);
  }

  protected override beginChoice(): void {
    this.first = -1;
  }

  protected attempt(nowSec: number): number {
    const peers = this.peers;
    const i = peers.slotOwner(Math.floor(this.rng.next() * peers.totalWeight));
    const first = this.first;
    if (i === first || this.hasTried(i) || !peers.available(i, nowSec)) return -1;
    if (!this.two) return this.claimed(i, nowSec);
    if (first < 0) {
      this.first = i;
      return -1;
    }
    const conns = peers.conns;
    const weight = peers.weight;
    const secondBusier = (conns[i] as number) * (weight[first] as number) > (conns[first] as number) * (weight[i] as number);
    return this.claimed(secondBusier ? first : i, nowSec);
  }

  private claimed(i: number, nowSec: number): number {
    this.peers.claim(this, i, nowSec);
    return i;
  }
}

/** nginx `random` (or, with `two`, `random two least_conn`) bound to one upstream's peers. */
export class RandomStrategy extends NginxStrategy {
  readonly method: string;
  private readonly picks: readonly Pick[];

  /** `rng` is the pool's own stream: every draw of every request comes from it, in request order. */
  constructor(
    specs: readonly PeerSpec[],
    private readonly rng: RandomStream,
    private readonly two: boolean,
  ) {
    refuseBackups(specs, 'random');
    super(specs);
    this.method = two ? 'random-two-least-conn' : 'random';
    this.picks = this.peers.pickTable('balance');
  }

  open(_request: Request, _now: SimTime): PeerPicker {
    return new RandomPicker(this.peers, this.rng, this.two, this.picks);
  }
}
