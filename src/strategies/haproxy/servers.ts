/**
 * HAProxy's shared server list for one `backend` section (the family state every HAProxy method
 * uses): declaration order, weights, numeric ids, `disabled`, `backup`, `cookie` values and the
 * count of requests each server is serving (`served`, for bounded loads).
 *
 * Reference: HAProxy 2.6 `src/backend.c` (`recount_servers`, `update_backend_weight`),
 * `src/cfgparse.c` (automatic server ids), described in test/fixtures/haproxy/ALGORITHMS.md
 * ("Servers, ids, weights").
 *
 * `down` in a `PeerSpec` is HAProxy's `disabled`. lbsim's servers have no `check` of their own:
 * one stops or starts running when the run takes it out or puts it back (its active health
 * checks, a drain), and each method then updates its structure in place, as HAProxy's
 * `set_server_status_down` / `_up` hooks do. The servers balanced over (the "group") are the
 * running active servers, or, when none runs, the first running backup (HAProxy without
 * `option allbackups`).
 */
import { NamedPeers } from '../named-peers.js';
import type { BackendName } from '../../model/index.js';
import type { PeerSpec, Pick, PickVia } from '../strategy.js';

/** HAProxy's largest server weight. */
export const MAX_HAPROXY_WEIGHT = 256;

/** One backend's servers and their shared, mutable state. */
export class HaproxyServers {
  /** Server names in declaration order. */
  readonly names: readonly BackendName[];
  readonly count: number;
  /** User weights (`weight`, default 1). */
  readonly weight: Int32Array;
  /** Numeric ids (`id`, or assigned as HAProxy assigns them). */
  readonly ids: Int32Array;
  /** 1 for a backup server. */
  readonly backup: Uint8Array;
  /** 1 for a running server: neither `disabled` nor taken out by the run. */
  readonly running: Uint8Array;
  private readonly disabled: Uint8Array;
  private readonly takenOut: Uint8Array;
  /** `cookie` values: the server's name unless given; `''` for none. */
  readonly cookies: readonly string[];
  /** The servers balanced over, in declaration order (empty when no server runs); replaced when one stops or starts. */
  group: Int32Array;
  /** Requests each server is serving: picked by this pool and not yet reported back. */
  readonly served: Int32Array;
  /** The backend's total of `served`. */
  totalServed = 0;

  private readonly named: NamedPeers;
  private readonly indexByCookie = new Map<string, number>();

  /** Throws RangeError for a weight above 256 or a duplicate id. */
  constructor(specs: readonly PeerSpec[]) {
    const heavy = specs.find((s) => s.weight > MAX_HAPROXY_WEIGHT);
    if (heavy !== undefined) throw new RangeError(`HAProxy weights go up to ${MAX_HAPROXY_WEIGHT}; ${heavy.name} has weight ${heavy.weight}`);
    this.count = specs.length;
    this.names = specs.map((s) => s.name);
    this.weight = Int32Array.from(specs, (s) => s.weight);
    this.ids = Int32Array.from(assignIds(specs));
    this.backup = Uint8Array.from(specs, (s) => (s.backup ? 1 : 0));
    this.disabled = Uint8Array.from(specs, (s) => (s.down ? 1 : 0));
    this.running = Uint8Array.from(specs, (s) => (s.down ? 0 : 1));
    this.takenOut = new Uint8Array(specs.length);
    this.cookies = specs.map((s) => s.cookie ?? s.name);
    this.served = new Int32Array(specs.length);
    this.named = new NamedPeers(this.names);
    specs.forEach((_, i) => {
      const cookie = this.cookies[i] as string;
      if (cookie !== '' && !this.indexByCookie.has(cookie)) this.indexByCookie.set(cookie, i);
    });
    this.group = this.runningGroup();
  }

  /**
   * Takes server `i` out of the balancing or puts it back. Returns whether it stopped or started
   * running (a `disabled` server stays stopped); the method then updates its structure.
   */
  setTakenOut(i: number, takenOut: boolean): boolean {
    const mark = takenOut ? 1 : 0;
    if (this.takenOut[i] === mark) return false;
    this.takenOut[i] = mark;
    const running = ((this.disabled[i] as number) | mark) === 1 ? 0 : 1;
    if (running === this.running[i]) return false;
    this.running[i] = running;
    this.group = this.runningGroup();
    return true;
  }

  /** The running active servers, or the first running backup when none runs. */
  private runningGroup(): Int32Array {
    const active: number[] = [];
    let firstBackup = -1;
    for (let i = 0; i < this.count; i++) {
      if (this.running[i] === 0) continue;
      if (this.backup[i] === 0) active.push(i);
      else if (firstBackup < 0) firstBackup = i;
    }
    return Int32Array.from(active.length > 0 || firstBackup < 0 ? active : [firstBackup]);
  }

  /** Index of the first server with this name, or -1. */
  indexOf(name: BackendName): number {
    return this.named.indexOf(name);
  }

  /** Index of the first server whose `cookie` value is exactly `value`, or -1. */
  indexOfCookie(value: string): number {
    return this.indexByCookie.get(value) ?? -1;
  }

  /** Whether a request may be sent to `name`: it exists and runs. */
  usable(name: BackendName): boolean {
    const i = this.indexOf(name);
    return i >= 0 && this.running[i] === 1;
  }

  /** Shared, immutable `Pick` per server for one `via`, so picks allocate nothing. */
  pickTable(via: PickVia): readonly Pick[] {
    return this.named.pickTable(via);
  }

  /** A request starts on server `i`. */
  take(i: number): void {
    this.served[i] = (this.served[i] as number) + 1;
    this.totalServed++;
  }

  /** A request on server `i` ended (answered or failed). */
  release(i: number): void {
    this.served[i] = (this.served[i] as number) - 1;
    this.totalServed--;
  }
}

/**
 * HAProxy's ids: explicit `id`s stay; the others, in declaration order, take the lowest id not
 * below a running counter and not claimed explicitly, and the counter moves past it (an explicit
 * id also moves the counter by one). `a`, `b id 1`, `c`, `d id 4`, `e` get 2, 1, 5, 4, 7.
 */
export function assignIds(specs: readonly PeerSpec[]): number[] {
  const explicit = new Set<number>();
  for (const s of specs) {
    if (s.id === undefined) continue;
    if (explicit.has(s.id)) throw new RangeError(`two HAProxy servers have id ${s.id}`);
    explicit.add(s.id);
  }
  let next = 1;
  return specs.map((s) => {
    if (s.id !== undefined) {
      next++;
      return s.id;
    }
    while (explicit.has(next)) next++;
    return next++;
  });
}
