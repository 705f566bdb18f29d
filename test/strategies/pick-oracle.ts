/**
 * What the server settings alone forbid a pick, family by family: written from the balancers'
 * documented rules and kept apart from the strategies' code, so the contract test can check
 * every pick against something the strategies did not compute.
 *
 * - nginx (test/fixtures/nginx-failover/RULES.md §3-§4): a server configured `down` or taken out
 *   is never picked; nor is one whose last `max_fails` outcomes were failures, the last of them
 *   within `fail_timeout` (whole seconds), unless `max_fails=0` or the upstream has one server.
 *   (`fails` grows by one per failure and only a success resets it, so `max_fails` failures in a
 *   row mean `fails >= max_fails`; `checked` is at least the last failure's second.)
 * - HAProxy: no passive checks; a `disabled` or taken-out server is never picked.
 * - Envoy, ALB, Kubernetes (src/strategies/envoy/hosts.ts, cloud/): a host configured down or
 *   taken out is picked only in panic, when too few hosts are healthy: Envoy below 50%, ALB when
 *   none is (it fails open), Kubernetes never. Passive ejections leave fewer healthy, so the
 *   oracle judges only when panic is impossible even if every host that could be ejected now is
 *   (an ejection needs `max_fails` failures in a row, lasts at most its longest time, and no more
 *   hosts than the cap are out at once).
 */
import type { BackendName } from '../../src/model/index.js';
import type { MethodName, PeerSpec } from '../../src/strategies/index.js';

interface HealthModel {
  /** Panic below this share of healthy hosts (percent); -1: never. */
  readonly panicPercent: number;
  /** The most hosts ejected at once: this percent of them, at least one. */
  readonly ejectionCapPercent: number;
  /** The longest an ejection lasts, from the failure that caused it. */
  longestEjectionMs(failTimeoutMs: number): number;
}

// Envoy: ejection time grows with each ejection, up to max(base, 300 s); at most 10% of hosts.
const ENVOY: HealthModel = { panicPercent: 50, ejectionCapPercent: 10, longestEjectionMs: (base) => Math.max(base, 300_000) };
const ALB: HealthModel = { panicPercent: 0, ejectionCapPercent: 100, longestEjectionMs: (base) => base };
const KUBERNETES: HealthModel = { panicPercent: -1, ejectionCapPercent: 100, longestEjectionMs: (base) => base };

function healthModel(method: MethodName): HealthModel | 'nginx' | 'haproxy' {
  if (method.startsWith('haproxy-')) return 'haproxy';
  if (method.startsWith('envoy-')) return ENVOY;
  if (method.startsWith('alb-')) return ALB;
  return method === 'k8s-client-ip' ? KUBERNETES : 'nginx';
}

export class PickOracle {
  private readonly model: HealthModel | 'nginx' | 'haproxy';
  /** Failures in a row per server (a success ends the run). */
  private readonly streak: number[];
  private readonly lastFailureMs: number[];
  /** The last failure that made a run of `max_fails` (an ejection may have started there). */
  private readonly lastEjectableMs: number[];

  constructor(
    method: MethodName,
    private readonly peers: readonly PeerSpec[],
    private readonly isTakenOut: (name: BackendName) => boolean,
  ) {
    this.model = healthModel(method);
    this.streak = peers.map(() => 0);
    this.lastFailureMs = peers.map(() => -Infinity);
    this.lastEjectableMs = peers.map(() => -Infinity);
  }

  failed(i: number, nowMs: number): void {
    this.streak[i]!++;
    this.lastFailureMs[i] = nowMs;
    const maxFails = this.peers[i]!.maxFails;
    if (maxFails > 0 && this.streak[i]! >= maxFails) this.lastEjectableMs[i] = nowMs;
  }

  succeeded(i: number): void {
    this.streak[i] = 0;
  }

  /** Why the family's rules forbid picking server `i` at `nowMs`, or undefined. */
  forbids(i: number, nowMs: number): string | undefined {
    const peer = this.peers[i]!;
    const out = peer.down || this.isTakenOut(peer.name);
    const model = this.model;
    if (model === 'haproxy') return out ? 'disabled or taken out' : undefined;
    if (model !== 'nginx') return out && !this.panicPossible(model, nowMs) ? 'unhealthy while the cluster cannot be in panic' : undefined;
    if (out) return 'down or taken out';
    if (this.peers.length === 1 || peer.maxFails === 0 || this.streak[i]! < peer.maxFails) return undefined;
    const sinceFailure = Math.floor(nowMs / 1000) - Math.floor(this.lastFailureMs[i]! / 1000);
    return sinceFailure <= Math.floor(peer.failTimeoutMs / 1000) ? `${this.streak[i]} failures in a row (max_fails ${peer.maxFails}), the last ${sinceFailure} s ago` : undefined;
  }

  private panicPossible(model: HealthModel, nowMs: number): boolean {
    if (model.panicPercent < 0) return false;
    const n = this.peers.length;
    let healthy = 0;
    let ejectable = 0;
    this.peers.forEach((peer, i) => {
      if (peer.down || this.isTakenOut(peer.name)) return;
      healthy++;
      if (nowMs < this.lastEjectableMs[i]! + model.longestEjectionMs(peer.failTimeoutMs)) ejectable++;
    });
    const fewest = healthy - Math.min(ejectable, Math.max(1, Math.floor((n * model.ejectionCapPercent) / 100)));
    return fewest === 0 || fewest * 100 < model.panicPercent * n;
  }
}
