/**
 * nginx's default balancing method: smooth weighted round robin (no method line in the
 * `upstream` block), with the switch to `backup` servers when no primary is eligible.
 *
 * Reference: nginx 1.22.1 `src/http/ngx_http_upstream_round_robin.c`
 * (`ngx_http_upstream_init_round_robin_peer`, `ngx_http_upstream_get_round_robin_peer`,
 * `ngx_http_upstream_free_round_robin_peer`). Weights 5,1,1 start `A A B A C A A`.
 *
 * The per-request picker is nginx's `ngx_http_upstream_rr_peer_data_t`: the tried bitmap, the
 * list in use (primaries or, after the switch, backups) and the peer picked last. The other
 * methods extend it, as nginx's modules embed that structure and reuse its get and free.
 */
import type { SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import type { FailureReason, PeerPicker, PeerSpec, Pick, ResponseHeaders, Strategy } from '../strategy.js';
import { HASH_TRIES_LIMIT, NginxPeers, TriedPeers } from './peers.js';

/**
 * Per-request state of an nginx picker: round-robin picks, the switch to backups, the count of
 * attempts in flight (`conns`, for `least_conn`, `random two least_conn` and `max_conns`) and the
 * free() outcome rules. Every nginx method's picker extends it, as nginx's methods embed
 * `ngx_http_upstream_rr_peer_data_t` and fall back to its get.
 */
export class RoundRobinPicker extends TriedPeers implements PeerPicker {
  /** The upstream's `tries` when the request opened (set again when a recycled picker reopens). */
  tries: number;
  /** Index of the peer returned by the last pick (nginx `rrp->current`), or -1. */
  protected current = -1;
  /** nginx switched `rrp->peers` to the backup list for the rest of this request. */
  protected onBackups = false;
  /** The peer this picker counted in `conns` and not yet released, or -1. */
  private inFlight = -1;

  /**
   * @param spare where `close` returns this picker for reuse (plain round robin, whose pickers
   *   hold nothing of the request once it is over); undefined: never reused.
   */
  constructor(
    protected readonly peers: NginxPeers,
    private readonly spare?: RoundRobinPicker[],
  ) {
    super(peers.count);
    this.tries = peers.tries;
  }

  close(): void {
    if (!this.spare) return;
    this.clearTried();
    this.current = -1;
    this.onBackups = false;
    this.inFlight = -1;
    this.spare.push(this);
  }

  pick(now: SimTime): Pick | undefined {
    const i = this.roundRobinIndex(Math.floor(now / 1000));
    return i < 0 ? undefined : (this.peers.balancePicks[i] as Pick);
  }

  /** A hash or random method giving up: nginx's round-robin get, reported as a `fallback` pick. */
  protected fallback(nowSec: number): Pick | undefined {
    const i = this.roundRobinIndex(nowSec);
    return i < 0 ? undefined : (this.peers.fallbackPicks[i] as Pick);
  }

  /**
   * nginx get_round_robin_peer: the single peer unless down or full; otherwise a smooth weighted
   * step over the primaries, then (once no primary is eligible) over the backups for the rest of
   * the request. Returns -1 for "no live upstreams".
   */
  protected roundRobinIndex(nowSec: number): number {
    const peers = this.peers;
    let i = -1;
    if (!this.onBackups) {
      if (peers.single) i = peers.singleAvailable() ? 0 : -1;
      else i = peers.step(this, 0, peers.primaryCount, nowSec);
      if (i < 0 && peers.count > peers.primaryCount) this.onBackups = true;
    }
    if (this.onBackups) i = peers.step(this, peers.primaryCount, peers.count, nowSec);
    return i < 0 ? i : this.took(i);
  }

  /** Peer `i` takes this attempt (nginx: `rrp->current = peer; peer->conns++`). Returns `i`. */
  protected took(i: number): number {
    this.current = i;
    this.inFlight = i;
    this.peers.conns[i] = (this.peers.conns[i] as number) + 1;
    return i;
  }

  onSuccess(backend: BackendName, _now: SimTime, _response: ResponseHeaders): void {
    const i = this.resolve(backend);
    this.release(backend);
    if (i >= 0) this.peers.recordSuccess(i);
  }

  onFailure(backend: BackendName, _reason: FailureReason, now: SimTime): void {
    const i = this.resolve(backend);
    this.release(backend);
    if (i < 0) return;
    this.markTried(i);
    this.peers.recordFailure(i, now);
  }

  /** free(): `conns--`, only for an attempt this picker counted (a decorator's pick was never counted). */
  private release(backend: BackendName): void {
    const i = this.inFlight;
    if (i >= 0 && this.peers.names[i] === backend) {
      this.peers.conns[i] = (this.peers.conns[i] as number) - 1;
      this.inFlight = -1;
    }
  }

  /** The peer an outcome is about: the one this picker chose, else (a decorator chose it) by name. */
  private resolve(backend: BackendName): number {
    const current = this.current;
    if (current >= 0 && this.peers.names[current] === backend) return current;
    return this.peers.indexOf(backend);
  }
}

/**
 * The choice loop nginx's `ip_hash`, `hash`, `hash … consistent` and `random` share: attempts
 * until one lands on an eligible peer; after 21 failed attempts in a request (the count runs on
 * across retries) a round-robin pick for the rest of the request. A single-peer upstream, or a
 * request the method cannot place (an empty key), goes to round robin at once.
 */
export abstract class ChoiceLoopPicker extends RoundRobinPicker {
  private failedAttempts = 0;

  constructor(
    peers: NginxPeers,
    private readonly choicePicks: readonly Pick[],
  ) {
    super(peers);
  }

  override pick(now: SimTime): Pick | undefined {
    if (this.peers.single) return super.pick(now);
    const nowSec = Math.floor(now / 1000);
    if (this.failedAttempts > HASH_TRIES_LIMIT || !this.placeable()) return this.fallback(nowSec);
    this.beginChoice();
    for (;;) {
      const i = this.attempt(nowSec);
      if (i >= 0) return this.choicePicks[this.took(i)] as Pick;
      if (++this.failedAttempts > HASH_TRIES_LIMIT) return this.fallback(nowSec);
    }
  }

  /** Whether the method can place this request (nginx `hash`: the key is not empty). */
  protected placeable(): boolean {
    return true;
  }

  /** Called before the attempts of one pick. */
  protected beginChoice(): void {}

  /** One attempt: the eligible peer chosen (claimed: tried, check opened), or -1 to try again. */
  protected abstract attempt(nowSec: number): number;
}

/**
 * Behaviour shared by the nginx strategies: one peer list, `usable` by its health rules.
 * nginx reads an upstream block once at start: a pool change is a reload, which the simulation
 * models by building the strategy afresh over the new server list. A server taken out or put
 * back (`setTakenOut`) changes in place.
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

  setTakenOut(backend: BackendName, takenOut: boolean): void {
    this.peers.setTakenOut(backend, takenOut);
  }
}

/** nginx round robin bound to one upstream's peers. */
export class RoundRobinStrategy extends NginxStrategy {
  readonly method = 'round-robin';

  /** Pickers of finished requests, ready for new ones (one allocation per request in flight, not per request). */
  private readonly spare: RoundRobinPicker[] = [];

  open(_request: Request, _now: SimTime): PeerPicker {
    const picker = this.spare.pop();
    if (picker === undefined) return new RoundRobinPicker(this.peers, this.spare);
    // Servers may have been taken out or put back since it was made.
    picker.tries = this.peers.tries;
    return picker;
  }
}
