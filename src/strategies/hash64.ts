/**
 * xxHash64 (seed 0 unless given), the hash Envoy applies to request keys (`HashUtil::xxHash64`)
 * and to host addresses when building its ring-hash and Maglev tables.
 *
 * Reference: the xxHash specification (Yann Collet, `doc/xxhash_spec.md`, "XXH64 Algorithm
 * Description"); Envoy `source/common/common/hash.h` calls `XXH64(input, size, seed)`.
 * npm offers `xxhash-wasm` (asynchronous set-up, which a synchronous `createStrategy` cannot
 * await) and `xxhashjs` (unmaintained since 2018), so lbsim computes it here.
 *
 * JS numbers cannot hold 64-bit integers and BigInt allocates, so a 64-bit value is a pair of
 * unsigned 32-bit halves and the arithmetic works on module-level registers: hashing a key
 * allocates nothing. The result is left in `XXH64.hi` / `XXH64.lo`.
 */

/** The last result: high and low unsigned 32-bit halves. */
export const XXH64 = { hi: 0, lo: 0 };

// Primes of the specification, as [high, low] halves.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

// The register every helper writes: rh:rl.
let rh = 0;
let rl = 0;

function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rl = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  rh = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl;
  rl = low >>> 0;
  rh = (ah + bh + (low > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotates rh:rl left by `r` (1..31). */
function rotl(r: number): void {
  const h = rh;
  rh = ((h << r) | (rl >>> (32 - r))) >>> 0;
  rl = ((rl << r) | (h >>> (32 - r))) >>> 0;
}

/** round(acc, input) = rotl(acc + input × P2, 31) × P1. */
function round(acch: number, accl: number, inh: number, inl: number): void {
  mul(inh, inl, P2H, P2L);
  add(acch, accl, rh, rl);
  rotl(31);
  mul(rh, rl, P1H, P1L);
}

const read32 = (b: Uint8Array, i: number) => ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;

/** The four lane accumulators of inputs of 32 bytes or more. */
const lanes = new Uint32Array(8);

/** xxHash64 of `bytes[0..length-1]` with a 32-bit `seed`; the result lands in `XXH64`. */
export function xxHash64(bytes: Uint8Array, length: number, seed = 0): void {
  let i = 0;
  let hh: number;
  let hl: number;
  if (length >= 32) {
    add(0, seed, P1H, P1L); add(rh, rl, P2H, P2L); lanes[0] = rh; lanes[1] = rl;
    add(0, seed, P2H, P2L); lanes[2] = rh; lanes[3] = rl;
    lanes[4] = 0; lanes[5] = seed;
    add(0, seed, ~P1H >>> 0, ~P1L >>> 0); add(rh, rl, 0, 1); lanes[6] = rh; lanes[7] = rl; // seed - P1
    for (; i + 32 <= length; i += 32) {
      for (let k = 0; k < 4; k++) {
        round(lanes[2 * k] as number, lanes[2 * k + 1] as number, read32(bytes, i + 8 * k + 4), read32(bytes, i + 8 * k));
        lanes[2 * k] = rh;
        lanes[2 * k + 1] = rl;
      }
    }
    const rotations = [1, 7, 12, 18];
    hh = 0; hl = 0;
    for (let k = 0; k < 4; k++) {
      rh = lanes[2 * k] as number; rl = lanes[2 * k + 1] as number;
      rotl(rotations[k] as number);
      add(hh, hl, rh, rl); hh = rh; hl = rl;
    }
    for (let k = 0; k < 4; k++) {
      // mergeRound: (h ^ round(0, lane)) × P1 + P4
      round(0, 0, lanes[2 * k] as number, lanes[2 * k + 1] as number);
      mul((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, P1H, P1L);
      add(rh, rl, P4H, P4L); hh = rh; hl = rl;
    }
  } else {
    add(0, seed, P5H, P5L); hh = rh; hl = rl;
  }
  add(hh, hl, 0, length); hh = rh; hl = rl;
  for (; i + 8 <= length; i += 8) {
    round(0, 0, read32(bytes, i + 4), read32(bytes, i));
    rh = (hh ^ rh) >>> 0; rl = (hl ^ rl) >>> 0;
    rotl(27);
    mul(rh, rl, P1H, P1L); add(rh, rl, P4H, P4L); hh = rh; hl = rl;
  }
  if (i + 4 <= length) {
    mul(0, read32(bytes, i), P1H, P1L);
    rh = (hh ^ rh) >>> 0; rl = (hl ^ rl) >>> 0;
    rotl(23);
    mul(rh, rl, P2H, P2L); add(rh, rl, P3H, P3L); hh = rh; hl = rl;
    i += 4;
  }
  for (; i < length; i++) {
    mul(0, bytes[i] as number, P5H, P5L);
    rh = (hh ^ rh) >>> 0; rl = (hl ^ rl) >>> 0;
    rotl(11);
    mul(rh, rl, P1H, P1L); hh = rh; hl = rl;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  hl = (hl ^ (hh >>> 1)) >>> 0;
  mul(hh, hl, P2H, P2L); hh = rh; hl = rl;
  hl = (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L); hh = rh; hl = rl;
  XXH64.hi = hh;
  XXH64.lo = (hl ^ hh) >>> 0;
}

/** The 64-bit value hi:lo modulo `m` (m below 2^26, so every product stays exact). */
export function mod64(hi: number, lo: number, m: number): number {
  return (((hi % m) * (2 ** 32 % m)) % m + (lo % m)) % m;
}
