/**
 * The 32-bit hash functions the real balancers apply to a key, all returning unsigned 32-bit
 * numbers (and Envoy's 64-bit xxHash64, `hash64.ts`): CRC-32 (nginx `hash`, `hash … consistent`, HAProxy `crc32`), and HAProxy's sdbm,
 * djb2, wt6 and its avalanche step `full_hash`.
 *
 * References: nginx 1.22.1 `src/core/ngx_crc32.h` (the zlib/IEEE CRC-32); HAProxy 2.6
 * `src/hash.c` (`hash_sdbm`, `hash_djb2`, `hash_wt6`, `hash_crc32`) and
 * `include/haproxy/intops.h` (`full_hash`, Bob Jenkins' integer avalanche). Described in
 * test/fixtures/nginx/ALGORITHMS.md and test/fixtures/haproxy/ALGORITHMS.md.
 *
 * Keys arrive as JS strings and are hashed as the UTF-8 bytes a client would send.
 */
import { xxHash64 } from './hash64.js';

/** A hash over `bytes[0..length-1]`, unsigned 32-bit. */
export type ByteHash = (bytes: Uint8Array, length: number) => number;

const ENCODER = new TextEncoder();
/** Reused for every key: hashing a key allocates nothing (the simulation hashes once per request). */
let scratch = new Uint8Array(256);

/**
 * Writes the UTF-8 bytes of `text` into the shared scratch buffer; returns their count. It may
 * replace the buffer with a larger one, so callers read `scratch` only after calling it.
 */
function encode(text: string): number {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return ENCODER.encodeInto(text, scratch).written;
    scratch[i] = c;
  }
  return text.length;
}

/** xxHash64 of the UTF-8 bytes of `text` (Envoy's `HashUtil::xxHash64`); the result lands in `XXH64`. */
export function xxHash64Text(text: string, seed = 0): void {
  const length = encode(text);
  xxHash64(scratch, length, seed);
}

/** Hashes the UTF-8 bytes of `text` with `hash`. */
export function hashText(hash: ByteHash, text: string): number {
  const length = encode(text);
  return hash(scratch, length);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/**
 * CRC-32 (zlib's: reflected, polynomial 0xEDB88320) of `bytes[0..length-1]`, continuing from the
 * CRC `previous` of the bytes before them (0 to start): nginx's `ngx_crc32_update` chain.
 */
export function crc32Continue(bytes: Uint8Array, length: number, previous: number): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of a byte string: nginx `ngx_crc32_long`, HAProxy `crc32`. */
export const crc32: ByteHash = (bytes, length) => crc32Continue(bytes, length, 0);

/** CRC-32 of the UTF-8 bytes of `text`, continuing from `previous` (0 to start). */
export function crc32Text(text: string, previous = 0): number {
  const length = encode(text);
  return crc32Continue(scratch, length, previous);
}

/** HAProxy `sdbm` (the default): per byte, h = h * 65599 + c, wrapping at 2^32. */
export const sdbm: ByteHash = (bytes, length) => {
  let h = 0;
  for (let i = 0; i < length; i++) h = ((bytes[i] as number) + (h << 6) + (h << 16) - h) >>> 0;
  return h;
};

/** HAProxy `djb2`: from 5381, per byte, h = h * 33 + c, wrapping at 2^32. */
export const djb2: ByteHash = (bytes, length) => {
  let h = 5381;
  for (let i = 0; i < length; i++) h = (Math.imul(h, 33) + (bytes[i] as number)) >>> 0;
  return h;
};

/** HAProxy `wt6`: two 32-bit states rotated by amounts that depend on the data. */
export const wt6: ByteHash = (bytes, length) => {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (let i = 0; i < length; i++) {
    const c = bytes[i] as number;
    h0 = ~(h0 ^ c) >>> 0;
    h1 = ~(h1 + c) >>> 0;
    // A rotation by 0 leaves the value as it is (x86 masks C's shift by 32 to 0; so does JS).
    const t = ((h1 << step0) | (h1 >>> (32 - step0))) >>> 0;
    h1 = ((h0 << step1) | (h0 >>> (32 - step1))) >>> 0;
    h0 = t;
    const x = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = x & 0x1f;
    step1 = x >>> 11;
  }
  return (h0 ^ h1) >>> 0;
};

/** HAProxy's `full_hash` (the `avalanche` modifier): spreads a 32-bit value over the whole range. */
export function fullHash(value: number): number {
  let a = value >>> 0;
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 3221225473) >>> 0;
}
