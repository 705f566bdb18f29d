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
    const seq = this.inserted++;
    let i = this.items.length;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!before(key, seq, this.keys[parent] as number, this.seqs[parent] as number)) break;
      this.set(i, this.keys[parent] as number, this.seqs[parent] as number, this.items[parent] as number);
      i = parent;
    }
    this.set(i, key, seq, item);
  }

  /** Removes the first server. */
  shift(): void {
    const n = this.items.length - 1;
    const key = this.keys[n] as number;
    const seq = this.seqs[n] as number;
    const item = this.items[n] as number;
    this.keys.length = this.seqs.length = this.items.length = n;
    if (n === 0) return;
    let i = 0;
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

/** The FWRR state of one backend's group of servers. */
export class Fwrr {
  /** W: the sum of effective weights (fixed: lbsim's HAProxy servers never change state). */
  private readonly window: number;
  private readonly eweight: Int32Array;
  private readonly npos: Float64Array;
  private readonly remainder: Int32Array;
  private position: number;
  private readonly current = new ServerQueue();
  private init = new ServerQueue();
  private next = new ServerQueue();

  constructor(servers: HaproxyServers) {
    this.eweight = new Int32Array(servers.count);
    this.npos = new Float64Array(servers.count);
    this.remainder = new Int32Array(servers.count);
    let total = 0;
    for (const i of servers.group) {
      this.eweight[i] = 16 * (servers.weight[i] as number);
      total += this.eweight[i] as number;
      this.init.push(i, EWEIGHT_MAX - (this.eweight[i] as number));
    }
    this.window = total;
    this.position = total;
  }

  /**
   * `fwrr_get_next_server`: the next server, passing over `avoid` (a server index, or -1) once
   * when another one comes; `avoid` itself when no other is left. -1 when no server runs.
   */
  nextServer(avoid: number): number {
    if (this.window === 0) return -1;
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
        const drained = this.init;
        this.init = this.next;
        this.next = drained;
        this.position = this.window;
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
    const w = this.window;
    if (this.npos[i] === 0) this.npos[i] = this.position;
    this.npos[i] = (this.npos[i] as number) + Math.floor(w / e);
    this.remainder[i] = (this.remainder[i] as number) + (w % e);
    if ((this.remainder[i] as number) >= e) {
      this.remainder[i] = (this.remainder[i] as number) - e;
      this.npos[i] = (this.npos[i] as number) + 1;
    }
    this.position++;
  }

  /** `fwrr_queue_srv`: back into "current" by next position, or into "next" past the window. */
  private requeue(i: number): void {
    const e = this.eweight[i] as number;
    const npos = this.npos[i] as number;
    if (npos >= 2 * this.window) {
      this.npos[i] = npos - this.window;
      this.next.push(i, EWEIGHT_MAX - e);
    } else {
      this.current.push(i, POSITION_STRIDE * npos + Math.floor((EWEIGHT_MAX + (this.remainder[i] as number) - e) / 16));
    }
  }
}
