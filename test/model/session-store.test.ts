/** Session stores by hand: versions, TTL, LRU eviction, serialization loss, backend failure. */
import { describe, expect, it } from 'vitest';
import { LocalSessionStore, SharedSessionCache } from '../../src/model/index.js';

describe('LocalSessionStore', () => {
  it('holds state only on the backend that wrote it, tells stale from missing, and loses it with the backend', () => {
    const store = new LocalSessionStore(3, 1000);
    store.write(7, 1, 0, 0); // session 7, version 1, on backend 0
    expect(store.read(7, 1, 0, true, 10)).toBeUndefined();
    expect(store.read(7, 1, 1, true, 10)).toBe('missing');
    store.write(7, 2, 1, 20); // the next write lands on backend 1: backend 0 keeps version 1
    expect(store.read(7, 2, 0, true, 30)).toBe('stale');
    expect(store.read(7, 2, 1, true, 30)).toBeUndefined();
    store.backendLost(1);
    expect(store.read(7, 2, 1, true, 40)).toBe('missing');
    expect(store.stats()).toEqual({ reads: 5, writes: 2, hits: 2, misses: 3, evictions: 0, expirations: 0 });
  });

  it('expires state idle longer than the TTL; a read refreshes it', () => {
    const store = new LocalSessionStore(1, 1000);
    store.write(1, 1, 0, 0);
    expect(store.read(1, 1, 0, true, 1000)).toBeUndefined(); // idle exactly the TTL: still there
    expect(store.read(1, 1, 0, true, 1999)).toBeUndefined(); // refreshed at 1000
    expect(store.read(1, 1, 0, true, 3000)).toBe('expired');
    expect(store.stats().expirations).toBe(1);
  });

  it('forgets ended sessions', () => {
    const store = new LocalSessionStore(2, 1000);
    store.write(1, 1, 0, 0);
    store.forget(1);
    expect(store.read(1, 1, 0, true, 1)).toBe('missing');
  });
});

describe('SharedSessionCache', () => {
  it('serves every backend, costs its round trip, and survives backend failures', () => {
    const cache = new SharedSessionCache({ roundTripMs: 2, ttlMs: 1000 });
    expect(cache.roundTripMs).toBe(2);
    cache.write(1, 1, 0, 0);
    cache.backendLost(0);
    expect(cache.read(1, 1, 3, true, 5)).toBeUndefined();
    expect(cache.read(1, 2, 3, true, 5)).toBe('stale');
  });

  it('evicts the least recently used session beyond its capacity, and says so', () => {
    const cache = new SharedSessionCache({ roundTripMs: 1, ttlMs: 10_000, capacity: 2 });
    cache.write(1, 1, 0, 0);
    cache.write(2, 1, 0, 1);
    expect(cache.read(1, 1, 0, true, 2)).toBeUndefined(); // 1 is now more recent than 2
    cache.write(3, 1, 0, 3); // evicts 2
    expect(cache.read(2, 1, 0, true, 4)).toBe('evicted');
    expect(cache.read(1, 1, 0, true, 4)).toBeUndefined();
    expect(cache.read(3, 1, 0, true, 4)).toBeUndefined();
    expect(cache.stats().evictions).toBe(1);
  });

  it('loses framework state that does not survive serialization when another backend reads it', () => {
    const cache = new SharedSessionCache({ roundTripMs: 1, ttlMs: 1000 });
    cache.write(1, 1, 4, 0);
    expect(cache.read(1, 1, 4, false, 1)).toBeUndefined();
    expect(cache.read(1, 1, 5, false, 1)).toBe('not-serializable');
    expect(cache.read(1, 1, 5, true, 1)).toBeUndefined();
  });
});
