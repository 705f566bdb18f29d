/**
 * HAProxy's consistent-hashing ring (`hash-type consistent`): 16 points per unit of weight per
 * server, placed by the server's numeric id; a key goes to the nearest point in either direction.
 * With `hash-balance-factor`, a server already serving its share of the requests in flight is
 * passed over for the next point along the ring (bounded loads).
 *
 * Reference: HAProxy 2.6 `src/lb_chash.c` (`chash_init_server_tree`, `chash_get_server_hash`,
 * `chash_get_next_server`, `chash_server_is_eligible`), described in
 * test/fixtures/haproxy/ALGORITHMS.md ("The ring"):
 *
 * - server with id P and weight w: points `full_hash(P × 4096 + j)` for j in 0..16w-1;
 * - lookup of h: the first point >= h (wrapping) and the one before it; the point before wins
 *   when `h - before <= after - h` (mod 2^32); then, while that point's server is the one to
 *   avoid (a redispatch) or is not eligible, the next point clockwise (at most one lap more);
 * - eligible (bounded loads, factor F): with S requests in flight in the backend, the backend
 *   has ceil((S + 1) × F / 100) slots, shared by weight (`16w` out of the total `16W`, the
 *   remainder spread by cumulative weight); a server may take a request while it serves fewer;
 * - the fallback of `balance hdr` without a header: a cursor walks the points, one per request;
 * - a server that stops running takes its points off the ring (a cursor on one of them moves on
 *   to the next point left), one that starts puts them back (`chash_set_server_status_down` /
 *   `_up`); every other point stays where it was, so only the keys of that server move.
 */
import { fullHash } from '../hash-functions.js';
import { HashRing } from '../ring.js';
import type { HaproxyServers } from './servers.js';

/** HAProxy's `BE_WEIGHT_SCALE`: effective weight per unit of user weight, and points per unit. */
const WEIGHT_SCALE = 16;
/** HAProxy's `SRV_EWGHT_RANGE`: id stride of the point keys. */
const ID_STRIDE = 4096;

/** One backend's ring over the servers balanced over. */
export class ServerRing {
  private ring: HashRing;
  /** Effective weight (16w) per server index; 0 for servers off the ring. */
  private readonly eweight: Int32Array;
  /** Effective weight of the group's servers before each one (HAProxy `cumulative_weight`). */
  private readonly cumulative: Int32Array;
  private totalWeight = 0;
  /** Last point of the fallback walk, -1 before the first. */
  private cursor = -1;

  /** `balanceFactor`: HAProxy `hash-balance-factor` (0: off, else above 100). */
  constructor(
    private readonly servers: HaproxyServers,
    private readonly balanceFactor: number,
  ) {
    this.eweight = new Int32Array(servers.count);
    this.cumulative = new Int32Array(servers.count);
    this.ring = this.build();
  }

  /**
   * Server `i` stopped or started running: the ring over the running servers, the others' points
   * where they were. The walk's cursor stays on its point, or, if that point left, moves to the
   * next one that stays (`chash_skip_node`); -1 when none does.
   */
  statusChanged(_i: number): void {
    const old = this.ring;
    let point = this.cursor;
    this.ring = this.build();
    this.cursor = -1;
    if (point < 0) return;
    for (let k = 0; k < old.size; k++, point = (point + 1) % old.size) {
      const owner = old.owners[point] as number;
      if (this.eweight[owner] === 0) continue;
      this.cursor = this.indexOf(old.keys[point] as number, owner);
      return;
    }
  }

  /** Points `full_hash(id × 4096 + j)` of the group's servers, and their weights. */
  private build(): HashRing {
    const { servers, eweight, cumulative } = this;
    const keys: number[] = [];
    const owners: number[] = [];
    eweight.fill(0);
    cumulative.fill(0);
    let total = 0;
    for (const i of servers.group) {
      const e = WEIGHT_SCALE * (servers.weight[i] as number);
      eweight[i] = e;
      cumulative[i] = total;
      total += e;
      const base = (servers.ids[i] as number) * ID_STRIDE;
      for (let j = 0; j < e; j++) {
        keys.push(fullHash(base + j));
        owners.push(i);
      }
    }
    this.totalWeight = total;
    return new HashRing(keys, owners, false);
  }

  /** Index of the point `key` owned by `owner` (equal keys sit together). */
  private indexOf(key: number, owner: number): number {
    const { keys, owners, size } = this.ring;
    for (let p = this.ring.lowerBound(key); p < size && keys[p] === key; p++) if (owners[p] === owner) return p;
    return -1;
  }

  /** `chash_get_server_hash`: the server for hash `h`, passing over `avoid` (or -1) and full servers. -1 when the ring is empty. */
  serverForHash(h: number, avoid: number): number {
    const { keys, owners, size } = this.ring;
    if (size === 0) return -1;
    let next = this.ring.lowerBound(h);
    if (next === size) next = 0;
    const prev = next === 0 ? size - 1 : next - 1;
    const dp = (h - (keys[prev] as number)) >>> 0;
    const dn = ((keys[next] as number) - h) >>> 0;
    let point = dp <= dn ? prev : next;
    let server = owners[point] as number;
    let laps = 0;
    while (server === avoid || (this.balanceFactor !== 0 && !this.eligible(server))) {
      if (++point === size) {
        point = 0;
        if (++laps > 1) break;
      }
      server = owners[point] as number;
    }
    return server;
  }

  /**
   * `chash_get_next_server`: the server of the next point of the walk, passing over `avoid` unless
   * it is the only one met. The first walk starts at the smallest point (and, as HAProxy's, looks
   * at that point only).
   */
  nextServer(avoid: number): number {
    const { owners, size } = this.ring;
    if (size === 0) return -1;
    let point = this.cursor;
    let stop = this.cursor;
    do {
      point = point < 0 || point + 1 === size ? 0 : point + 1;
      this.cursor = point;
      if (stop < 0) stop = point;
      const server = owners[point] as number;
      if (server !== avoid) return server;
    } while (point !== stop);
    return avoid;
  }

  /** `chash_server_is_eligible`: server `i` serves fewer than its share of the bounded slots. */
  eligible(i: number): boolean {
    const total = this.totalWeight;
    const e = this.eweight[i] as number;
    const cumulative = this.cumulative[i] as number;
    const slotsTotal = Math.floor(((this.servers.totalServed + 1) * this.balanceFactor + 99) / 100);
    const perWeight = Math.floor(slotsTotal / total);
    const remainder = slotsTotal % total;
    let slots = e * perWeight + Math.floor(((cumulative + e) * remainder) / total) - Math.floor((cumulative * remainder) / total);
    if (slots === 0) slots = 1;
    return (this.servers.served[i] as number) < slots;
  }
}
