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
