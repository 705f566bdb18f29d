/** nginx's rule that an upstream has a primary server, for the methods that take `backup` ones. */
import type { MethodName, PeerSpec } from '../strategies/index.js';

/** The nginx methods that take `backup` servers. */
export const BACKUP_METHODS: ReadonlySet<MethodName> = new Set(['round-robin', 'least-conn']);

/**
 * Why nginx would refuse these servers for `method`: every one is `backup`, so the upstream has no
 * primary server ("no servers in upstream"). Undefined for other methods, which refuse backups
 * themselves or take them (HAProxy).
 */
export function primaryServerProblem(method: MethodName, peers: readonly PeerSpec[]): string | undefined {
  if (!BACKUP_METHODS.has(method) || peers.length === 0 || !peers.every((p) => p.backup)) return undefined;
  return 'every server is backup, and nginx refuses an upstream without a primary server ("no servers in upstream")';
}
