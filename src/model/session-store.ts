/**
 * Where session state lives. `LocalSessionStore`: in the memory of the backend that wrote it
 * (in-process sessions), lost when that backend fails. `SharedSessionCache`: one cache every
 * request reads and writes (Redis, memcached), paying a round trip per access, with an idle TTL,
 * an optional capacity with LRU eviction, and a share of sessions whose framework state does not
 * survive serialization (readable only on the backend that wrote it).
 *
 * State is versioned: each write bumps the session's version, so a backend holding an older copy
 * is detected (`stale`) instead of silently serving yesterday's cart. Entries of ended sessions
 * are dropped (the user left), so memory follows the sessions in flight, not the run length.
 */
import type { SimTime } from '../engine/index.js';

export type ReadFailure = 'missing' | 'stale' | 'expired' | 'evicted' | 'not-serializable' | 'store-down';

export interface StoreStats {
  readonly reads: number;
  readonly writes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly expirations: number;
}

export interface SessionStore {
  readonly kind: 'local' | 'shared';
  /** Extra latency each access costs (0 for local memory), ms; a timeline may change it. */
  roundTripMs: SimTime;
  /** False while the store is unreachable (a cache outage): reads fail with `store-down`, writes are lost. */
  available: boolean;
  /** Drops every session (a cache flush); later reads say `evicted`. */
  flush(): void;
  /**
   * Reads session `session`'s state on `backend`, expecting version `version` (its last write).
   * `serializable` false: framework state that only the writing backend can use.
   * Returns undefined when the state is there and current.
   */
  read(session: number, version: number, backend: number, serializable: boolean, now: SimTime): ReadFailure | undefined;
  /** Writes version `version` of the state from `backend`. */
  write(session: number, version: number, backend: number, now: SimTime): void;
  /** The backend's process died: its in-memory state is gone. */
  backendLost(backend: number): void;
  /** The session ended: its state is no longer needed. */
  forget(session: number): void;
  stats(): StoreStats;
}

interface Entry {
  version: number;
  touchedAt: SimTime;
  writer: number;
}

class Counters {
  reads = 0;
  writes = 0;
  hits = 0;
  misses = 0;
  evictions = 0;
  expirations = 0;
  /** Counts one read and its outcome; returns the outcome. */
  read(failure: ReadFailure | undefined): ReadFailure | undefined {
    this.reads++;
    if (failure === undefined) this.hits++;
    else {
      this.misses++;
      if (failure === 'expired') this.expirations++;
    }
    return failure;
  }

  snapshot(): StoreStats {
    return { reads: this.reads, writes: this.writes, hits: this.hits, misses: this.misses, evictions: this.evictions, expirations: this.expirations };
  }
}

/** Checks one entry against the expected version and the TTL; shared by both stores. */
function checkEntry(entry: Entry, version: number, ttlMs: SimTime, now: SimTime): ReadFailure | undefined {
  if (now - entry.touchedAt > ttlMs) return 'expired';
  if (entry.version < version) return 'stale';
  return undefined;
}

export class LocalSessionStore implements SessionStore {
  readonly kind = 'local';
  roundTripMs = 0;
  /** In-process memory is reachable whenever its backend is. */
  available = true;
  private readonly memories: Map<number, Entry>[];
  private readonly counters = new Counters();

  constructor(
    backends: number,
    private readonly ttlMs: SimTime,
  ) {
    this.memories = Array.from({ length: backends }, () => new Map<number, Entry>());
  }

  read(session: number, version: number, backend: number, _serializable: boolean, now: SimTime): ReadFailure | undefined {
    const entry = this.memories[backend]!.get(session);
    const failure = entry ? checkEntry(entry, version, this.ttlMs, now) : 'missing';
    if (failure === undefined) entry!.touchedAt = now;
    return this.counters.read(failure);
  }

  write(session: number, version: number, backend: number, now: SimTime): void {
    this.counters.writes++;
    const memory = this.memories[backend]!;
    const entry = memory.get(session);
    if (entry) {
      entry.version = version;
      entry.touchedAt = now;
    } else memory.set(session, { version, touchedAt: now, writer: backend });
  }

  backendLost(backend: number): void {
    this.memories[backend]!.clear();
  }

  flush(): void {
    // A cache flush does not reach in-process memory.
  }

  forget(session: number): void {
    for (const memory of this.memories) memory.delete(session);
  }

  stats(): StoreStats {
    return this.counters.snapshot();
  }
}

export interface SharedCacheConfig {
  readonly roundTripMs: SimTime;
  readonly ttlMs: SimTime;
  /** Maximum sessions held; the least recently used is evicted beyond it. Undefined: unlimited. */
  readonly capacity?: number | undefined;
}

export class SharedSessionCache implements SessionStore {
  readonly kind = 'shared';
  roundTripMs: SimTime;
  available = true;
  private readonly ttlMs: SimTime;
  private readonly capacity: number;
  /** Map iteration order is insertion order: re-inserting on access keeps it LRU-ordered. */
  private readonly entries = new Map<number, Entry>();
  private readonly evicted = new Set<number>();
  private readonly counters = new Counters();

  constructor(config: SharedCacheConfig) {
    this.roundTripMs = config.roundTripMs;
    this.ttlMs = config.ttlMs;
    this.capacity = config.capacity ?? Infinity;
  }

  read(session: number, version: number, backend: number, serializable: boolean, now: SimTime): ReadFailure | undefined {
    if (!this.available) return this.counters.read('store-down');
    const entry = this.entries.get(session);
    let failure: ReadFailure | undefined;
    if (!entry) failure = this.evicted.has(session) ? 'evicted' : 'missing';
    else failure = checkEntry(entry, version, this.ttlMs, now) ?? (!serializable && entry.writer !== backend ? 'not-serializable' : undefined);
    if (failure === undefined) {
      entry!.touchedAt = now;
      // Re-inserting keeps the Map in LRU order; only a bounded cache needs that order.
      if (this.capacity !== Infinity) {
        this.entries.delete(session);
        this.entries.set(session, entry!);
      }
    }
    return this.counters.read(failure);
  }

  write(session: number, version: number, backend: number, now: SimTime): void {
    this.counters.writes++;
    if (!this.available) return; // lost: the next read finds the older version
    const entry = this.entries.get(session);
    if (entry && this.capacity === Infinity) {
      entry.version = version;
      entry.touchedAt = now;
      entry.writer = backend;
      return;
    }
    this.entries.delete(session);
    this.entries.set(session, { version, touchedAt: now, writer: backend });
    this.evicted.delete(session);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as number;
      this.entries.delete(oldest);
      this.evicted.add(oldest);
      this.counters.evictions++;
    }
  }

  flush(): void {
    for (const session of this.entries.keys()) this.evicted.add(session);
    this.entries.clear();
  }

  backendLost(_backend: number): void {
    // Shared state survives a backend failure: that is the point of sharing it.
  }

  forget(session: number): void {
    this.entries.delete(session);
    this.evicted.delete(session);
  }

  stats(): StoreStats {
    return this.counters.snapshot();
  }
}
