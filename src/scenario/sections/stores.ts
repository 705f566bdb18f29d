/**
 * `stores`: the two session stores. `local` is each backend's own memory; `shared` is one cache
 * every backend reads and writes, with a round trip per access, a time-to-live, an optional
 * capacity (LRU) and a share of framework state that does not survive serialization.
 */
import { z } from 'zod';
import { count, durationMs, probability, strictObject } from '../../fields/index.js';
import { defaultsOf, LIMITS } from './limits.js';

export const STORE_KINDS = ['local', 'shared'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** How long an idle session lives in either store: a typical framework's default. */
const SESSION_TTL_MS = 30 * 60_000;

const localFields = strictObject({ ttl: durationMs().default(SESSION_TTL_MS) });
const sharedFields = strictObject({
  roundTrip: durationMs().default(1),
  ttl: durationMs().default(SESSION_TTL_MS),
  capacity: count(LIMITS.sessions, 'sessions').min(1).optional(),
  notSerializable: probability().default(0),
  /** While the cache is down: `fail` every request (the app cannot load sessions), or `serve-without-state` (only steps that need the session break). */
  onOutage: z.enum(['fail', 'serve-without-state']).default('fail'),
});
const storesFields = strictObject({
  local: localFields.default(defaultsOf(localFields)),
  shared: sharedFields.default(defaultsOf(sharedFields)),
});

export const storesSchema = storesFields.describe('Settings of the two session stores, local and shared').default(defaultsOf(storesFields));
export type Stores = z.output<typeof storesSchema>;
