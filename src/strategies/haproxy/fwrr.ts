/**
 * HAProxy's `balance roundrobin`: the "fast weighted round robin" scheduler. Servers wait in a
 * "current" queue ordered by their next position, or in two weight-ordered queues ("init" and
 * "next") that swap when a window of W positions is used up.
 *
 * Reference: HAProxy 2.6 `src/lb_fwrr.c` (`fwrr_init_server_groups`, `fwrr_get_next_server`,
 * `fwrr_get_server_from_group`, `fwrr_update_position`, `fwrr_queue_srv`,
 * `fwrr_switch_trees`), described step by step in test/fixtures/haproxy/ALGORITHMS.md
 * ("`balance roundrobin` (FWRR)"). Effective weight e = 16w, W = the sum of e. Weights 5,1,1
 * start `s1 s1 s1 s2 s1 s1 s3`; 3,2,1,4 start `s4 s1 s4 s2 s1`.
 *
 * A server that stops running leaves its queue and the others keep their places; one that starts
 * is queued a share of the window ahead of the position (`fwrr_set_server_status_down` / `_up`).
 * So the window has two weights until the queues next swap: its own (`curr_weight`, which bounds
 * it) and the running servers' (`next_weight`, by which positions step).
 *
 * The queues are ebtrees in HAProxy (equal keys in insertion order); here binary heaps keyed by
 * (key, insertion number), which order the same way.
 */
import type { HaproxyServers } from './servers.js';

/** HAProxy's `SRV_EWGHT_MAX`: weight-queue keys are this minus the effective weight. */
const EWEIGHT_MAX = 4096;
/** HAProxy's `SRV_UWGHT_RANGE`: position stride of current-queue keys. */
const POSITION_STRIDE = 256;

/** A min-heap of server indices by (key, insertion number): an ebtree's order for equal keys. */
class ServerQueue {
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: number[] = [];
  private inserted = 0;

  /** The first server, or -1 when empty. */
  get first(): number {
    return this.items.length === 0 ? -1 : (this.items[0] as number);
  }

  push(item: number, key: number): void {
    this.siftUp(this.items.length, key, this.inserted++, item);
  }

  /** Removes the first server. */
  shift(): void {
    this.removeAt(0);
  }

  /** Takes `item` out wherever it is queued; returns whether it was (`eb32_delete`). */
  remove(item: number): boolean {
    const at = this.items.indexOf(item);
    if (at >= 0) this.removeAt(at);
    return at >= 0;
  }

  private removeAt(at: number): void {
    const n = this.items.length - 1;
    const key = this.keys[n] as number;
    const seq = this.seqs[n] as number;
    const item = this.items[n] as number;
    this.keys.length = this.seqs.length = this.items.length = n;
    if (at === n) return;
    const parent = (at - 1) >>> 1;
    if (at > 0 && before(key, seq, this.keys[parent] as number, this.seqs[parent] as number)) this.siftUp(at, key, seq, item);
    else this.siftDown(at, key, seq, item);
  }

  private siftUp(i: number, key: number, seq: number, item: number): void {
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!before(key, seq, this.keys[parent] as number, this.seqs[parent] as number)) break;
      this.set(i, this.keys[parent] as number, this.seqs[parent] as number, this.items[parent] as number);
      i = parent;
    }
    this.set(i, key, seq, item);
  }

  private siftDown(i: number, key: number, seq: number, item: number): void {
    const n = this.items.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(this.keys[right] as number, this.seqs[right] as number, this.keys[child] as number, this.seqs[child] as number)) {
        child = right;
      }
      if (!before(this.keys[child] as number, this.seqs[child] as number, key, seq)) break;
      this.set(i, this.keys[child] as number, this.seqs[child] as number, this.items[child] as number);
      i = child;
    }
    this.set(i, key, seq, item);
  }

  private set(at: number, key: number, seq: number, item: number): void {
    this.keys[at] = key;
    this.seqs[at] = seq;
    this.items[at] = item;
  }
}

function before(key: number, seq: number, otherKey: number, otherSeq: number): boolean {
  return key < otherKey || (key === otherKey && seq < otherSeq);
}

/**
 * The FWRR state of one backend's active servers (HAProxy's `act` group). Backups are not
 * rotated: without `option allbackups`, when no active server runs the first running backup
 * takes every request (`fwrr_get_next_server` returns `fbck`).
 */
export class Fwrr {
  /** The window's weight (`curr_weight`): the running servers' when it opened. */
  private currWeight: number;
  /** The running servers' weight (`next_weight`): positions step by it; the next window's. */
  private nextWeight: number;
  private readonly eweight: Int32Array;
  private readonly npos: Float64Array;
  private readonly remainder: Int32Array;
  private position: number;
  private readonly current = new ServerQueue();
  private init = new ServerQueue();
  private next = new ServerQueue();

  constructor(private readonly servers: HaproxyServers) {
    this.eweight = Int32Array.from(servers.weight, (w) => 16 * w);
    this.npos = new Float64Array(servers.count);
    this.remainder = new Int32Array(servers.count);
    let total = 0;
    for (let i = 0; i < servers.count; i++) {
      if (servers.backup[i] === 1 || servers.running[i] === 0) continue;
      total += this.eweight[i] as number;
      this.init.push(i, EWEIGHT_MAX - (this.eweight[i] as number));
    }
    this.currWeight = this.nextWeight = this.position = total;
  }

  /**
   * `fwrr_get_next_server`: the next server, passing over `avoid` (a server index, or -1) once
   * when another one comes; `avoid` itself when no other is left. -1 when no server runs.
   */
  nextServer(avoid: number): number {
    const group = this.servers.group;
    if (group.length === 0) return -1;
    if (this.servers.backup[group[0] as number] === 1) return group[0] as number;
    // The window opened while no active server ran: it takes the running servers' weight.
    if (this.currWeight === 0) this.position = this.currWeight = this.nextWeight;
    let switched = false;
    let avoided = -1;
    let server: number;
    for (;;) {
      server = this.fromGroup();
      if (server < 0) {
        if (switched) {
          if (avoided < 0) return -1;
          server = avoided;
          avoided = -1;
          break;
        }
        switched = true;
        this.switchWindows();
        continue;
      }
      this.advance(server);
      if (server !== avoid || avoided >= 0) break;
      avoided = server;
    }
    this.requeue(server);
    // The avoided server was taken out of its queue; it goes back as if consumed, or by weight
    // into "init" once the queues have swapped (its place was lost).
    if (avoided >= 0 && avoided !== server) {
      if (switched) this.init.push(avoided, EWEIGHT_MAX - (this.eweight[avoided] as number));
      else this.requeue(avoided);
    }
    return server;
  }

  /**
   * Server `i` stopped or started running (`fwrr_set_server_status_down` / `_up`). A stopped
   * server leaves whichever queue holds it; a started one is placed past the position by the
   * windows' weight ahead, divided by its own. Its remainder is kept.
   */
  statusChanged(i: number): void {
    if (this.servers.backup[i] === 1) return;
    const e = this.eweight[i] as number;
    if (this.servers.running[i] === 0) {
      this.nextWeight -= e;
      if (!this.current.remove(i) && !this.init.remove(i)) this.next.remove(i);
      return;
    }
    this.nextWeight += e;
    // Unsigned in HAProxy: a position past both windows wraps to a large number (into "next").
    const ahead = (this.nextWeight + this.currWeight - this.position) >>> 0;
    this.npos[i] = this.position + Math.floor(ahead / e);
    this.requeue(i);
  }

  /** `fwrr_switch_trees`: "next" becomes "init", and the new window opens at its weight. */
  private switchWindows(): void {
    const drained = this.init;
    this.init = this.next;
    this.next = drained;
    this.currWeight = this.nextWeight;
    this.position = this.currWeight;
  }

  /** `fwrr_get_server_from_group`: the current queue's head if its turn has come, else the head of "init". */
  private fromGroup(): number {
    const head = this.current.first;
    if (head >= 0 && (this.npos[head] as number) <= this.position) {
      this.current.shift();
      return head;
    }
    const fresh = this.init.first;
    if (fresh >= 0) {
      this.init.shift();
      this.npos[fresh] = 0;
      this.remainder[fresh] = 0;
      return fresh;
    }
    if (head >= 0) this.current.shift();
    return head;
  }

  /** `fwrr_update_position`, then the window moves one position. */
  private advance(i: number): void {
    const e = this.eweight[i] as number;
    const w = this.nextWeight;
    if (this.npos[i] === 0) this.npos[i] = this.position;
    this.npos[i] = (this.npos[i] as number) + Math.floor(w / e);
    this.remainder[i] = (this.remainder[i] as number) + (w % e);
    if ((this.remainder[i] as number) >= e) {
      this.remainder[i] = (this.remainder[i] as number) - e;
      this.npos[i] = (this.npos[i] as number) + 1;
    }
    this.position++;
  }

  /** `fwrr_queue_srv`: back into "current" by next position, or into "next" past either window. */
  private requeue(i: number): void {
    const e = this.eweight[i] as number;
    const npos = this.npos[i] as number;
    const window = this.currWeight;
    if (npos >= 2 * window || npos >= window + this.nextWeight) {
      this.npos[i] = npos - window;
      this.next.push(i, EWEIGHT_MAX - e);
    } else {
      this.current.push(i, POSITION_STRIDE * npos + Math.floor((EWEIGHT_MAX + (this.remainder[i] as number) - e) / 16));
    }
  }
}
