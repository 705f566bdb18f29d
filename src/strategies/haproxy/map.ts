/**
 * HAProxy's server map: one slot per unit of effective weight over the servers balanced over,
 * spread by weight. Map-based hashing takes slot `hash mod T`; `static-rr`, and `balance hdr`
 * without a usable header, walk the slots with one shared index.
 *
 * Reference: HAProxy 2.6 `src/lb_map.c` (`init_server_map`, `recalc_server_map`,
 * `map_get_server_rr`, `map_get_server_hash`), described in test/fixtures/haproxy/ALGORITHMS.md
 * ("The map"):
 *
 * - effective weight: the weight divided by the GCD of every configured weight;
 * - building: each slot in turn, every server adds its effective weight to its score and
 *   computes v = floor((score + T) / T); the first with the strictly largest v takes the slot and
 *   loses T. Weights 5,1,1 give `s1 s1 s1 s2 s1 s1 s3`;
 * - a disabled server is not in the map, so T changes and most keys move (nginx keeps a down
 *   server's slots instead); a server that stops or starts running rebuilds the map
 *   (`map_set_server_status_down` / `_up`), and the walk goes on from its index.
 */
import type { HaproxyServers } from './servers.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The slots of one backend, and the round-robin index over them. */
export class ServerMap {
  /** Server index per slot. */
  slots = new Int32Array(0);
  /** Number of slots, T (0 when no server runs). */
  total = 0;
  /** Next slot of the round-robin walk. */
  private index = 0;
  /** The GCD of every configured weight (`init_server_map` computes it once). */
  private readonly divisor: number;

  constructor(private readonly servers: HaproxyServers) {
    let divisor = 0;
    for (const w of servers.weight) divisor = gcd(w, divisor);
    this.divisor = divisor;
    this.recalc();
  }

  /** A server stopped or started running: `recalc_server_map` over the running servers. */
  statusChanged(_i: number): void {
    this.recalc();
  }

  /** `recalc_server_map`: the slots over the group. */
  private recalc(): void {
    const { servers, divisor } = this;
    const group = servers.group;
    const eweight = Int32Array.from(group, (i) => (servers.weight[i] as number) / divisor);
    const total = eweight.reduce((sum, e) => sum + e, 0);
    this.total = total;
    this.slots = new Int32Array(total);
    const score = new Float64Array(group.length);
    for (let slot = 0; slot < total; slot++) {
      let best = -1;
      let max = 0;
      for (let k = 0; k < group.length; k++) {
        score[k] = (score[k] as number) + (eweight[k] as number);
        const v = Math.floor(((score[k] as number) + total) / total);
        if (best < 0 || v > max) {
          max = v;
          best = k;
        }
      }
      this.slots[slot] = group[best] as number;
      score[best] = (score[best] as number) - total;
    }
  }

  /** `map_get_server_hash`: the server of slot `hash mod T`, or -1 when no server runs. */
  serverForHash(hash: number): number {
    return this.total === 0 ? -1 : (this.slots[hash % this.total] as number);
  }

  /**
   * `map_get_server_rr`: the next slot's server, skipping `avoid` (a server index, or -1) once
   * when another server comes up in the walk; `avoid` itself when it is the only one. -1 when no
   * server runs.
   */
  nextServer(avoid: number): number {
    const total = this.total;
    if (total === 0) return -1;
    if (this.index >= total) this.index = 0;
    const start = this.index;
    let slot = start;
    let avoidedNext = -1;
    do {
      const server = this.slots[slot++] as number;
      if (server !== avoid) {
        this.index = slot;
        return server;
      }
      avoidedNext = slot;
      if (slot === total) slot = 0;
    } while (slot !== start);
    this.index = avoidedNext;
    return avoid;
  }
}
