/**
 * nginx's shared peer list for one upstream block (the "family state" every nginx method uses):
 * weights, `down`, `backup`, passive health (`max_fails` / `fail_timeout`), the smooth weighted
 * round-robin step and the outcome rules of round robin's free().
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
import type { SimTime } from '../../engine/index.js';
import type { BackendName } from '../../model/index.js';
import type { PeerSpec, Pick, PickVia } from '../strategy.js';

/**
 * A request's set of tried peers, as nginx's per-request bitmap: peers 0..31 in one number,
 * the rest in a typed array allocated only for larger upstreams. The nginx pickers extend it so
 * that a request costs a single object.
 */
export class TriedPeers {
  private low = 0;
  private readonly high: Uint32Array | undefined;

  constructor(peerCount: number) {
    this.high = peerCount > 32 ? new Uint32Array((peerCount + 31) >>> 5) : undefined;
  }

  /** Whether peer `i` was already attempted in this request. */
  hasTried(i: number): boolean {
    if (i < 32) return ((this.low >>> i) & 1) === 1;
    return (((this.high as Uint32Array)[(i >>> 5) - 1] as number) >>> (i & 31) & 1) === 1;
  }

  /** Marks peer `i` as attempted. */
  markTried(i: number): void {
    if (i < 32) {
      this.low |= 1 << i;
      return;
    }
    const high = this.high as Uint32Array;
    const word = (i >>> 5) - 1;
    high[word] = (high[word] as number) | (1 << (i & 31));
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
  readonly tries: number;

  readonly weight: Int32Array;
  readonly effectiveWeight: Int32Array;
  readonly currentWeight: Int32Array;
  readonly down: Uint8Array;
  readonly maxFails: Int32Array;
  /** `fail_timeout` in whole seconds (nginx cannot express less). */
  readonly failTimeout: Float64Array;
  readonly fails: Int32Array;
  /** Seconds; -Infinity before first use, as nginx's zeroed fields lie far in the past. */
  readonly checked: Float64Array;
  readonly accessed: Float64Array;

  private readonly indexByName = new Map<BackendName, number>();
  private readonly pickTables = new Map<PickVia, readonly Pick[]>();

  constructor(specs: readonly PeerSpec[]) {
    const ordered = [...specs.filter((s) => !s.backup), ...specs.filter((s) => s.backup)];
    const n = ordered.length;
    this.count = n;
    this.primaryCount = specs.length - specs.filter((s) => s.backup).length;
    if (this.primaryCount === 0) throw new RangeError('an nginx upstream needs at least one non-backup server');
    this.names = ordered.map((s) => s.name);
    this.weight = Int32Array.from(ordered, (s) => s.weight);
    this.effectiveWeight = Int32Array.from(ordered, (s) => s.weight);
    this.currentWeight = new Int32Array(n);
    this.down = Uint8Array.from(ordered, (s) => (s.down ? 1 : 0));
    this.maxFails = Int32Array.from(ordered, (s) => s.maxFails);
    this.failTimeout = Float64Array.from(ordered, (s) => Math.floor(s.failTimeoutMs / 1000));
    this.fails = new Int32Array(n);
    this.checked = new Float64Array(n).fill(-Infinity);
    this.accessed = new Float64Array(n).fill(-Infinity);
    let total = 0;
    for (let i = 0; i < this.primaryCount; i++) total += this.weight[i] as number;
    this.totalWeight = total;
    this.single = n === 1;
    this.tries = ordered.filter((s) => !s.down).length;
    ordered.forEach((s, i) => {
      if (!this.indexByName.has(s.name)) this.indexByName.set(s.name, i);
    });
  }

  /** Index of the first peer with this name, or -1. */
  indexOf(name: BackendName): number {
    return this.indexByName.get(name) ?? -1;
  }

  /** Shared, immutable `Pick` per peer for one `via`, so picks allocate nothing. */
  pickTable(via: PickVia): readonly Pick[] {
    let table = this.pickTables.get(via);
    if (table === undefined) {
      table = this.names.map((backend) => Object.freeze({ backend, via }));
      this.pickTables.set(via, table);
    }
    return table;
  }

  /** RULES.md §4: not `down`, and not within `fail_timeout` of reaching `max_fails`. `now` in seconds. */
  available(i: number, nowSec: number): boolean {
    if (this.down[i] === 1) return false;
    const maxFails = this.maxFails[i] as number;
    return !(
      maxFails !== 0 &&
      (this.fails[i] as number) >= maxFails &&
      nowSec - (this.checked[i] as number) <= (this.failTimeout[i] as number)
    );
  }

  /** Whether a request could be sent to `name` now (the single peer is only ever excluded by `down`). */
  usable(name: BackendName, now: SimTime): boolean {
    const i = this.indexOf(name);
    if (i < 0) return false;
    return this.single ? this.down[i] === 0 : this.available(i, Math.floor(now / 1000));
  }

  /** The slot walk: the primary owning slot `w` in `[0, totalWeight)`, down peers included. */
  slotOwner(w: number): number {
    let i = 0;
    while (w >= (this.weight[i] as number)) {
      w -= this.weight[i] as number;
      i++;
    }
    return i;
  }

  /**
   * One smooth weighted round-robin step over peers `from..to-1` that are not tried, not down
   * and available: each adds its effective weight to its current weight (and regains one unit
   * of effective weight, up to its weight); the highest current weight wins, the earliest on a
   * tie, and loses the sum. Marks the winner tried and opens a new check if its window passed.
   * Returns the winner's index, or -1 when none is eligible.
   */
  step(tried: TriedPeers, from: number, to: number, nowSec: number): number {
    const cw = this.currentWeight;
    const ew = this.effectiveWeight;
    let best = -1;
    let total = 0;
    for (let i = from; i < to; i++) {
      if (tried.hasTried(i) || !this.available(i, nowSec)) continue;
      const e = ew[i] as number;
      cw[i] = (cw[i] as number) + e;
      total += e;
      if (e < (this.weight[i] as number)) ew[i] = e + 1;
      if (best < 0 || (cw[i] as number) > (cw[best] as number)) best = i;
    }
    if (best < 0) return -1;
    tried.markTried(best);
    cw[best] = (cw[best] as number) - total;
    this.openCheck(best, nowSec);
    return best;
  }

  /** A peer was picked: if its last check is older than `fail_timeout`, this pick starts a new one. */
  openCheck(i: number, nowSec: number): void {
    if (nowSec - (this.checked[i] as number) > (this.failTimeout[i] as number)) this.checked[i] = nowSec;
  }

  /** free() with NGX_PEER_FAILED (RULES.md §3, §6). The single peer's failures are not counted. */
  recordFailure(i: number, now: SimTime): void {
    if (this.single) return;
    const nowSec = Math.floor(now / 1000);
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
    if ((this.accessed[i] as number) < (this.checked[i] as number)) this.fails[i] = 0;
  }
}
