/**
 * The text hashes hash the key's own bytes, however long it is and whatever came before it. The
 * module keeps one scratch buffer and grows it for a longer key; each test loads a fresh copy of
 * the module, so the keys below are the first long ones it sees, given in ascending length (each
 * one outgrows the buffer). References: the `crc-32` package for CRC-32, and each byte hash run
 * directly over the key's `TextEncoder` bytes for the others.
 */
import CRC32 from 'crc-32';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type HashModule = typeof import('../../src/strategies/hash-functions.js');
type Hash64Module = typeof import('../../src/strategies/hash64.js');

/** A key of `length` characters that differs from every other length in every position. */
const key = (length: number): string => Array.from({ length }, (_, i) => String.fromCharCode(97 + ((i * 7 + length) % 26))).join('');
/** The same, with multi-byte characters (UTF-8 takes up to 3 bytes per UTF-16 unit). */
const wideKey = (length: number): string => Array.from({ length }, (_, i) => (i % 3 === 0 ? 'é' : i % 3 === 1 ? '€' : 'x')).join('') + String(length);
const LENGTHS = [86, 300, 5000];
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

let hashes: HashModule;
let hash64: Hash64Module;
beforeEach(async () => {
  vi.resetModules();
  hashes = await import('../../src/strategies/hash-functions.js');
  hash64 = await import('../../src/strategies/hash64.js');
});

describe.each([
  ['ASCII keys', key],
  ['multi-byte keys', wideKey],
])('text hashes over %s of 86, 300 and 5,000 characters, in ascending order', (_, make) => {
  it('crc32Text equals the crc-32 package', () => {
    for (const length of LENGTHS) {
      const text = make(length);
      expect(hashes.crc32Text(text), `length ${length}`).toBe(CRC32.str(text) >>> 0);
    }
  });

  it.each(['sdbm', 'djb2', 'wt6', 'crc32'] as const)('hashText(%s) equals the hash over the TextEncoder bytes', (name) => {
    for (const length of LENGTHS) {
      const text = make(length);
      const bytes = bytesOf(text);
      expect(hashes.hashText(hashes[name], text), `length ${length}`).toBe(hashes[name](bytes, bytes.length));
    }
  });

  it('xxHash64Text equals xxHash64 over the TextEncoder bytes', () => {
    for (const length of LENGTHS) {
      const text = make(length);
      hashes.xxHash64Text(text, 3);
      const fromText = { ...hash64.XXH64 };
      const bytes = bytesOf(text);
      hash64.xxHash64(bytes, bytes.length, 3);
      expect(fromText, `length ${length}`).toEqual({ ...hash64.XXH64 });
    }
  });
});
