/**
 * nginx's shared peer list for one upstream block (the "family state" every nginx method uses):
 * weights, `down`, `backup`, passive health (`max_fails` / `fail_timeout`), `max_conns` with the
 * per-peer count of attempts in flight, the slot walk, the smooth weighted round-robin step and
 * the outcome rules of round robin's free().
 *
 * Reference: nginx 1.22.1 `src/http/ngx_http_upstream_round_robin.c`
 * (`ngx_http_upstream_init_round_robin`, `ngx_http_upstream_get_peer`,
 * `ngx_http_upstream_free_round_robin_peer`); the rules are spelled out in
 * test/fixtures/nginx/ALGORITHMS.md and test/fixtures/nginx-failover/RULES.md.
 *
 * State lives in typed arrays indexed by peer: primaries first (configuration order), then
 * backups (configuration order), as nginx keeps two lists. Times are nginx's whole seconds,
 * `Math.floor(nowMs / 1000)`.
 */
import { NamedPeers } from '../named-peers.js';
import type { SimTime } from '../../engine/index.js';
import type { BackendName } from '../../model/index.js';
import type { PeerSpec, Pick, PickVia } from '../strategy.js';
import type { TriedPeers } from './tried-peers.js';

export { TriedPeers } from './tried-peers.js';

/**
 * Attempts after which the hash and random methods give up and take a round-robin pick: nginx
 * checks `tries > 20`, so the 21st unusable choice is the last.
 */
export const HASH_TRIES_LIMIT = 20;

/** Throws the RangeError nginx's configuration check gives for `backup` under a method that refuses it. */
export function refuseBackups(specs: readonly PeerSpec[], directive: string): void {
  if (specs.some((s) => s.backup)) {
    throw new RangeError(`${directive} does not support backup servers (nginx rejects "backup" with ${directive})`);
  }
}

/** One upstream's peers and their shared, mutable nginx state. */
export class NginxPeers {
  /** Peer names by index: primaries, then backups. */
  readonly names: readonly BackendName[];
  /** Number of primary (non-backup) peers; backups occupy indices `primaryCount..count-1`. */
  readonly primaryCount: number;
  readonly count: number;
  /** Sum of primary weights, down peers included (the hash methods' modulus). */
  readonly totalWeight: number;
  /** nginx `peers->single`: exactly one primary and no backup; its failures are never counted. */
  readonly single: boolean;
  /** Attempts a request may make: peers not marked down, primary and backup. */
  tries: number;

  readonly weight: Int32Array;
  readonly effectiveWeight: Int32Array;
  readonly currentWeight: Int32Array;
  /** 1 for a peer out of the choice: configured `down`, or taken out by the run (`setTakenOut`). */
  readonly down: Uint8Array;
  private readonly configuredDown: Uint8Array;
  private readonly takenOut: Uint8Array;
  readonly maxFails: Int32Array;
  /** `fail_timeout` in whole seconds (nginx cannot express less). */
  readonly failTimeout: Float64Array;
  readonly fails: Int32Array;
  /** Seconds; -Infinity before first use, as nginx's zeroed fields lie far in the past. */
  readonly checked: Float64Array;
  readonly accessed: Float64Array;
  /** nginx `max_conns` (0: no limit). */
  readonly maxConns: Int32Array;
  /** nginx `conns`: attempts in flight, counted by the pickers of this family (get adds, free removes). */
  readonly conns: Int32Array;
  /** Prefix sums of the primaries' weights: peer i owns slots `slotStart[i] .. slotStart[i+1]-1`. */
  private readonly slotStart: Int32Array;

  private readonly named: NamedPeers;
  /** The picks every round-robin step and fallback returns, one per peer, shared by all pickers. */
  readonly balancePicks: readonly Pick[];
  readonly fallbackPicks: readonly Pick[];
  // Running state of one round-robin step (steps never interleave: the simulation is synchronous).
  private stepBest = -1;
  private stepTotal = 0;
  /**
   * Peers that are `down` or have `max_conns`, plus those whose `fails` count is above zero: while
   * none is, every peer is available and a request's first pick can skip the per-peer checks
   * (nearly every pick of a healthy upstream).
   */
  private restricted: number;

  constructor(specs: readonly PeerSpec[]) {
    // Positions in `specs`, primaries first.
    const order = [...specs.keys()].sort((a, b) => Number(specs[a]!.backup) - Number(specs[b]!.backup));
    const ordered = order.map((i) => specs[i]!);
    const n = ordered.length;
    this.count = n;
    this.primaryCount = specs.length - specs.filter((s) => s.backup).length;
    if (this.primaryCount === 0) throw new RangeError('an nginx upstream needs at least one non-backup server');
    this.names = ordered.map((s) => s.name);
    this.weight = Int32Array.from(ordered, (s) => s.weight);
    this.effectiveWeight = Int32Array.from(ordered, (s) => s.weight);
    this.currentWeight = new Int32Array(n);
    this.configuredDown = Uint8Array.from(ordered, (s) => (s.down ? 1 : 0));
    this.down = this.configuredDown.slice();
    this.takenOut = new Uint8Array(n);
    this.maxFails = Int32Array.from(ordered, (s) => s.maxFails);
    this.failTimeout = Float64Array.from(ordered, (s) => Math.floor(s.failTimeoutMs / 1000));
    this.fails = new Int32Array(n);
    this.checked = new Float64Array(n).fill(-Infinity);
    this.accessed = new Float64Array(n).fill(-Infinity);
    this.maxConns = Int32Array.from(ordered, (s) => s.maxConns ?? 0);
    this.conns = new Int32Array(n);
    this.slotStart = new Int32Array(this.primaryCount + 1);
    let total = 0;
    for (let i = 0; i < this.primaryCount; i++) {
      total += this.weight[i] as number;
      this.slotStart[i + 1] = total;
    }
    this.totalWeight = total;
    this.single = n === 1;
    this.tries = ordered.filter((s) => !s.down).length;
    this.restricted = ordered.filter((s) => s.down || (s.maxConns ?? 0) !== 0).length;
    this.named = new NamedPeers(ordered.map((spec) => spec.name), order);
    this.balancePicks = this.pickTable('balance');
    this.fallbackPicks = this.pickTable('fallback');
  }

  /** Index of the first peer with this name, or -1. */
  indexOf(name: BackendName): number {
    return this.named.indexOf(name);
  }

  /**
   * Takes every peer called `name` out of the choice, or puts it back (one configured `down`
   * stays down): only its `down` flag changes, as on nginx's shared-zone peers (the NGINX Plus
   * API's `down`); fails, checks, weights and conns stay. Keeps `tries` and `restricted` right.
   */
  setTakenOut(name: BackendName, takenOut: boolean): void {
    const mark = takenOut ? 1 : 0;
    for (let i = 0; i < this.count; i++) {
      if (this.names[i] !== name || this.takenOut[i] === mark) continue;
      this.takenOut[i] = mark;
      const down = (this.configuredDown[i] as number) | mark;
      if (down === this.down[i]) continue;
      this.down[i] = down;
      this.tries += down === 1 ? -1 : 1;
      // A limited peer is counted in `restricted` whether down or not.
      if (this.maxConns[i] === 0) this.restricted += down === 1 ? 1 : -1;
    }
  }

  /** Shared, immutable `Pick` per peer for one `via`, so picks allocate nothing. */
  pickTable(via: PickVia): readonly Pick[] {
    return this.named.pickTable(via);
  }

  /**
   * RULES.md §4: not `down`, not within `fail_timeout` of reaching `max_fails`, and below
   * `max_conns` attempts in flight. `now` in seconds.
   */
  available(i: number, nowSec: number): boolean {
    if (this.down[i] === 1 || this.full(i)) return false;
    const maxFails = this.maxFails[i] as number;
    return !(
      maxFails !== 0 &&
      (this.fails[i] as number) >= maxFails &&
      nowSec - (this.checked[i] as number) <= (this.failTimeout[i] as number)
    );
  }

  /** nginx `max_conns` reached: as many attempts in flight as the peer takes. */
  full(i: number): boolean {
    const max = this.maxConns[i] as number;
    return max !== 0 && (this.conns[i] as number) >= max;
  }

  /** The single peer's rule: only `down` and `max_conns` exclude it (its failures are not counted). */
  singleAvailable(): boolean {
    return this.down[0] === 0 && !this.full(0);
  }

  /** Whether a request could be sent to `name` now. */
  usable(name: BackendName, now: SimTime): boolean {
    const i = this.indexOf(name);
    if (i < 0) return false;
    return this.single ? this.singleAvailable() : this.available(i, Math.floor(now / 1000));
  }

  /**
   * The slot walk: the primary owning slot `w` in `[0, totalWeight)`, down peers included (nginx
   * subtracts weights in configuration order; a binary search over the prefix sums is the same walk).
   */
  slotOwner(w: number): number {
    const start = this.slotStart;
    let lo = 0;
    let hi = this.primaryCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((start[mid] as number) <= w) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * One smooth weighted round-robin step over peers `from..to-1` that are not tried and are
   * available: each adds its effective weight to its current weight (and regains one unit of
   * effective weight, up to its weight); the highest current weight wins, the earliest on a tie,
   * and loses the sum. Marks the winner tried and opens a new check if its window passed.
   * Returns the winner's index, or -1 when none is eligible.
   */
  step(tried: TriedPeers, from: number, to: number, nowSec: number): number {
    // A request's first pick over a healthy upstream (nearly every pick) skips the per-peer checks.
    const everyPeer = this.restricted === 0 && tried.triedNone();
    const current = this.currentWeight;
    let best = -1;
    let bestWeight = 0;
    let total = 0;
    for (let i = from; i < to; i++) {
      if (!everyPeer && (tried.hasTried(i) || !this.available(i, nowSec))) continue;
      total += this.weigh(i);
      const c = current[i]!;
      if (best < 0 || c > bestWeight) {
        best = i;
        bestWeight = c;
      }
    }
    return this.settle(tried, best, total, nowSec);
  }

  /** The same step over the peers listed in `members` (consistent hashing: the peers of one server name). */
  stepAmong(tried: TriedPeers, members: Int32Array, nowSec: number): number {
    this.beginStep();
    for (let k = 0; k < members.length; k++) this.offer(tried, members[k] as number, nowSec);
    return this.finishStep(tried, nowSec);
  }

  /** Starts a step whose candidates the caller offers one by one (least_conn offers only its ties). */
  beginStep(): void {
    this.stepBest = -1;
    this.stepTotal = 0;
  }

  /** Offers peer `i` to the running step; ignored when tried or not available. */
  offer(tried: TriedPeers, i: number, nowSec: number): void {
    if (!tried.hasTried(i) && this.available(i, nowSec)) this.add(i);
  }

  /** Peer `i`, eligible, takes part in the running step. */
  private add(i: number): void {
    this.stepTotal += this.weigh(i);
    const cw = this.currentWeight;
    const best = this.stepBest;
    if (best < 0 || (cw[i] as number) > (cw[best] as number)) this.stepBest = i;
  }

  /**
   * Peer `i` takes part in a step: its current weight grows by its effective weight, which then
   * regains one unit (up to its weight). Returns the effective weight it added.
   */
  private weigh(i: number): number {
    const e = this.effectiveWeight[i] as number;
    this.currentWeight[i] = (this.currentWeight[i] as number) + e;
    if (e < (this.weight[i] as number)) this.effectiveWeight[i] = e + 1;
    return e;
  }

  /** Ends the step: the winner loses the total, is marked tried and opens a check. Returns it, or -1. */
  finishStep(tried: TriedPeers, nowSec: number): number {
    return this.settle(tried, this.stepBest, this.stepTotal, nowSec);
  }

  /** The step's winner `best` (or -1: none) loses the step's `total`, is marked tried and opens a check. Returns it. */
  private settle(tried: TriedPeers, best: number, total: number, nowSec: number): number {
    if (best < 0) return -1;
    this.currentWeight[best] = (this.currentWeight[best] as number) - total;
    this.claim(tried, best, nowSec);
    return best;
  }

  /** A peer was picked: if its last check is older than `fail_timeout`, this pick starts a new one. */
  openCheck(i: number, nowSec: number): void {
    if (nowSec - (this.checked[i] as number) > (this.failTimeout[i] as number)) this.checked[i] = nowSec;
  }

  /** A hashed or random pick of an eligible peer: marks it tried and opens a check, as those get()s do. */
  claim(tried: TriedPeers, i: number, nowSec: number): void {
    tried.markTried(i);
    this.openCheck(i, nowSec);
  }

  /** free() with NGX_PEER_FAILED (RULES.md §3, §6). The single peer's failures are not counted. */
  recordFailure(i: number, now: SimTime): void {
    if (this.single) return;
    const nowSec = Math.floor(now / 1000);
    if (this.fails[i] === 0) this.restricted++;
    this.fails[i] = (this.fails[i] as number) + 1;
    this.accessed[i] = nowSec;
    this.checked[i] = nowSec;
    const maxFails = this.maxFails[i] as number;
    let e = this.effectiveWeight[i] as number;
    if (maxFails !== 0) e -= Math.trunc((this.weight[i] as number) / maxFails);
    this.effectiveWeight[i] = e < 0 ? 0 : e;
  }

  /** free() after success: a success on a checking pick (accessed < checked) clears `fails`. */
  recordSuccess(i: number): void {
    if (this.single) return;
    if ((this.accessed[i] as number) < (this.checked[i] as number) && this.fails[i] !== 0) {
      this.fails[i] = 0;
      this.restricted--;
    }
  }
}
