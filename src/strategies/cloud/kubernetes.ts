/**
 * Kubernetes Service `sessionAffinity: ClientIP`, as kube-proxy's iptables mode implements it: a
 * model of documented behaviour ("Virtual IPs and Service Proxies" and the Service API reference,
 * `sessionAffinityConfig.clientIP.timeoutSeconds`, Kubernetes v1.30 documentation).
 *
 * - Each new connection (lbsim: each request) from a client address that was seen within the
 *   timeout (default 10800 s, 3 hours, at most 86400 s) goes to the endpoint it went to last; the
 *   timeout runs from the last connection (the `recent` match's `--rcheck --seconds`, refreshed by
 *   `--set`): an idle-timeout table per client address.
 * - Otherwise, and when that endpoint is not ready, the endpoint is drawn uniformly among the
 *   ready ones (the chain of `statistic --mode random --probability 1/n, 1/(n-1), …` rules), and
 *   the table records it: the client stays there after the old endpoint returns.
 * - No retries (a refused connection reaches the client). An endpoint is not ready after
 *   `maxFails` failed requests in a row until `failTimeout` has passed (a stand-in for readiness
 *   probes); with no ready endpoint the connection fails.
 *
 * The client address is the one the Service sees: the NAT gateway's or proxy's for clients
 * behind one (`externalTrafficPolicy: Local` preserves it; lbsim's clients carry it already).
 */
import type { RandomStream, SimTime } from '../../engine/index.js';
import type { Request } from '../../model/index.js';
import { nginxAddressText } from '../hash-keys.js';
import { EnvoyStrategy, type EnvoyPicker } from '../envoy/balancer.js';
import type { HealthRules } from '../envoy/hosts.js';
import type { PeerSpec } from '../strategy.js';

/** Kubernetes' default `timeoutSeconds`: 10800 s. */
export const DEFAULT_AFFINITY_TIMEOUT_MS = 10_800_000;
/** The largest `timeoutSeconds` Kubernetes accepts: 86400 s. */
export const MAX_AFFINITY_TIMEOUT_MS = 86_400_000;

const READINESS: HealthRules = { panicPercent: -1, growingEjection: false, maxEjectionMs: Infinity, maxEjectionPercent: 100 };

/** One client's row of the affinity table. */
interface Affinity {
  endpoint: number;
  lastSeenMs: SimTime;
}

/** A Service with `sessionAffinity: ClientIP`. */
export class KubernetesClientIpStrategy extends EnvoyStrategy {
  readonly method = 'k8s-client-ip';
  private readonly table = new Map<number | string, Affinity>();

  constructor(specs: readonly PeerSpec[], rng: RandomStream, private readonly timeoutMs: SimTime) {
    super(specs, 0, rng, READINESS);
  }

  protected override prepare(picker: EnvoyPicker, request: Request, now: SimTime): void {
    const b = request.client.bytes;
    // IPv4 as a number (no string per request); IPv6 as its text.
    const key = b.length === 4 ? ((b[0] as number) * 2 ** 24 + (((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number))) : nginxAddressText(b);
    picker.client = key;
    const row = this.table.get(key);
    picker.affinity = row !== undefined && now - row.lastSeenMs <= this.timeoutMs ? row.endpoint : -1;
  }

  choose(picker: EnvoyPicker, now: SimTime): number {
    const bound = picker.affinity;
    const endpoint = bound >= 0 && this.hosts.member[bound] === 1 && !picker.hasTried(bound) ? bound : picker.randomUntried(this.rng);
    if (endpoint < 0) return -1;
    const row = this.table.get(picker.client);
    if (row === undefined) this.table.set(picker.client, { endpoint, lastSeenMs: now });
    else {
      row.endpoint = endpoint;
      row.lastSeenMs = now;
    }
    return endpoint;
  }
}
