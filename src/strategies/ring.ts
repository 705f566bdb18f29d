/**
 * A consistent-hashing ring: points (32-bit keys) sorted ascending, each owned by a server index.
 * Built once per pool; a lookup is a binary search and allocates nothing. The families differ in
 * how points are made and which point wins (nginx's ketama ring takes the next point clockwise,
 * HAProxy's ring the nearest one), not in the ring itself.
 *
 * References: nginx 1.22.1 `ngx_http_upstream_hash_module.c` (`ngx_http_upstream_init_chash`,
 * `ngx_http_upstream_find_chash_point`); HAProxy 2.6 `src/lb_chash.c` (an ebtree of points,
 * `eb32_lookup_ge`).
 */

/** A sorted ring of points. */
export class HashRing {
  /** Point keys, ascending. */
  readonly keys: Uint32Array;
  /** The owner (a server index) of each point. */
  readonly owners: Int32Array;
  readonly size: number;

  /**
   * Sorts the points `keys[j]` / `owners[j]` by key. Equal keys keep their insertion order (an
   * ebtree inserts a duplicate after the ones already there); with `dedupe`, only the first of
   * them is kept (nginx merges equal points after sorting).
   */
  constructor(keys: ArrayLike<number>, owners: ArrayLike<number>, dedupe: boolean) {
    const order = sortedOrder(keys);
    const sortedKeys: number[] = [];
    const sortedOwners: number[] = [];
    for (const j of order) {
      const key = keys[j] as number;
      if (dedupe && sortedKeys.length > 0 && sortedKeys[sortedKeys.length - 1] === key) continue;
      sortedKeys.push(key);
      sortedOwners.push(owners[j] as number);
    }
    this.keys = Uint32Array.from(sortedKeys);
    this.owners = Int32Array.from(sortedOwners);
    this.size = this.keys.length;
  }

  /** Index of the first point whose key is `>= hash`; `size` when `hash` is above every point. */
  lowerBound(hash: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Indices of `keys` in ascending key order, insertion order among equal keys. Packs key and index
 * into one float (exact below 2^53) so that a native numeric sort does the work.
 */
function sortedOrder(keys: ArrayLike<number>): Int32Array {
  const n = keys.length;
  if (n >= 2 ** 21) {
    return Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  }
  const packed = new Float64Array(n);
  for (let j = 0; j < n; j++) packed[j] = (keys[j] as number) * 2 ** 21 + j;
  packed.sort();
  return Int32Array.from(packed, (v) => v % 2 ** 21);
}

/**
 * A ring of 64-bit points (Envoy's ring hash), each a pair of unsigned 32-bit halves, sorted
 * ascending, each owned by a host index. Built once per host set; lookups allocate nothing.
 *
 * Reference: Envoy `source/extensions/load_balancing_policies/ring_hash/ring_hash_lb.cc`
 * (`Ring::chooseHost`, a port of ketama's `ketama_get_server`: the first point whose hash is
 * `>= h`, wrapping to the first point past the last).
 */
export class HashRing64 {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly owners: Int32Array;
  readonly size: number;

  /** Sorts the points `(hi[j], lo[j])` / `owners[j]`; equal points keep their insertion order. */
  constructor(hi: ArrayLike<number>, lo: ArrayLike<number>, owners: ArrayLike<number>) {
    const n = owners.length;
    const order = Int32Array.from({ length: n }, (_, j) => j).sort(
      (a, b) => (hi[a] as number) - (hi[b] as number) || (lo[a] as number) - (lo[b] as number) || a - b,
    );
    this.hi = Uint32Array.from(order, (j) => hi[j] as number);
    this.lo = Uint32Array.from(order, (j) => lo[j] as number);
    this.owners = Int32Array.from(order, (j) => owners[j] as number);
    this.size = n;
  }

  /** Index of the first point `>= hi:lo`, or 0 when every point is below it (the ring wraps). */
  lowerBound(hi: number, lo: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const h = this.hi[mid] as number;
      if (h < hi || (h === hi && (this.lo[mid] as number) < lo)) low = mid + 1;
      else high = mid;
    }
    return low === this.size ? 0 : low;
  }
}
