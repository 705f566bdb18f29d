/**
 * The largest counts a scenario may ask for, each refused with its limit named: past them a run
 * would exhaust memory. One table, so docs/scenario.md ("Limits") and the sections agree.
 */
import { PUBLIC_NETWORKS } from '../../model/index.js';

export const LIMITS = { sessions: 100_000_000, backends: 10_000, workers: 100_000, queue: 10_000_000, steps: 100, strategies: 50, addresses: 1_000_000, networks: PUBLIC_NETWORKS, timelineEvents: 10_000, profilePieces: 1000 } as const;

/** A section's defaults: what its schema makes of an absent section, written nowhere else. */
export function defaultsOf<T>(schema: { parse(input: unknown): T }): T {
  return schema.parse({});
}
