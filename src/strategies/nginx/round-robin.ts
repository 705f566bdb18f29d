/**
 * nginx's default balancing method: smooth weighted round robin (no method line in the
 * `upstream` block), with the switch to `backup` servers when no primary is eligible.
 *
 * Reference: nginx 1.22.1 `src/http/ngx_http_upstream_round_robin.c`
 * (`ngx_http_upstream_init_round_robin_peer`, `ngx_http_upstream_get_round_robin_peer`,
 * `ngx_http_upstream_free_round_robin_peer`). Weights 5,1,1 start `A A B A C A A`.
 *
 * The per-request picker is nginx's `ngx_http_upstream_rr_peer_data_t`: the tried bitmap, the
 * list in use (primaries or, after the switch, backups) and the peer picked last. ip_hash
 * extends it, as nginx's ip_hash embeds that structure and reuses its get and free.
 */
import type { SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import type { FailureReason, PeerPicker, PeerSpec, Pick, ResponseHeaders, Strategy } from '../strategy.js';
import { NginxPeers, TriedPeers } from './peers.js';

/** Per-request state of an nginx picker: round-robin picks and the free() outcome rules. */
export class RoundRobinPicker extends TriedPeers implements PeerPicker {
  readonly tries: number;
  /** Index of the peer returned by the last pick (nginx `rrp->current`), or -1. */
  protected current = -1;
  private onBackups = false;
  private readonly balancePicks: readonly Pick[];

  constructor(protected readonly peers: NginxPeers) {
    super(peers.count);
    this.tries = peers.tries;
    this.balancePicks = peers.pickTable('balance');
  }

  pick(now: SimTime): Pick | undefined {
    const i = this.roundRobinIndex(Math.floor(now / 1000));
    return i < 0 ? undefined : (this.balancePicks[i] as Pick);
  }

  /**
   * nginx get_round_robin_peer: the single peer unless down; otherwise a smooth weighted step
   * over the primaries, then (once no primary is eligible) over the backups for the rest of the
   * request. Returns -1 for "no live upstreams".
   */
  protected roundRobinIndex(nowSec: number): number {
    const peers = this.peers;
    let i = -1;
    if (!this.onBackups) {
      if (peers.single) i = peers.down[0] === 1 ? -1 : 0;
      else i = peers.step(this, 0, peers.primaryCount, nowSec);
      if (i < 0 && peers.count > peers.primaryCount) this.onBackups = true;
    }
    if (this.onBackups) i = peers.step(this, peers.primaryCount, peers.count, nowSec);
    this.current = i;
    return i;
  }

  onSuccess(backend: BackendName, _now: SimTime, _response: ResponseHeaders): void {
    const i = this.resolve(backend);
    if (i >= 0) this.peers.recordSuccess(i);
  }

  onFailure(backend: BackendName, _reason: FailureReason, now: SimTime): void {
    const i = this.resolve(backend);
    if (i < 0) return;
    this.markTried(i);
    this.peers.recordFailure(i, now);
  }

  /** The peer an outcome is about: the one this picker chose, else (a decorator chose it) by name. */
  private resolve(backend: BackendName): number {
    const current = this.current;
    if (current >= 0 && this.peers.names[current] === backend) return current;
    return this.peers.indexOf(backend);
  }
}

/**
 * Behaviour shared by the nginx strategies: one peer list, `usable` by its health rules.
 * No `onPoolChange`: nginx reads an upstream block once at start (a reload starts afresh).
 */
export abstract class NginxStrategy implements Strategy {
  abstract readonly method: string;
  readonly peers: NginxPeers;

  constructor(specs: readonly PeerSpec[]) {
    this.peers = new NginxPeers(specs);
  }

  abstract open(request: Request, now: SimTime): PeerPicker;

  usable(backend: BackendName, now: SimTime): boolean {
    return this.peers.usable(backend, now);
  }
}

/** nginx round robin bound to one upstream's peers. */
export class RoundRobinStrategy extends NginxStrategy {
  readonly method = 'round-robin';

  open(_request: Request, _now: SimTime): PeerPicker {
    return new RoundRobinPicker(this.peers);
  }
}
