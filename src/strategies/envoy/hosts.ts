/**
 * Envoy's host list for one cluster (the family state every Envoy method shares): weights,
 * health, passive outlier detection, the panic threshold and the requests in flight per host.
 * The cloud models (`cloud/`) reuse it with their own health rules.
 *
 * References: Envoy `source/common/upstream/load_balancer_impl.cc` (`LoadBalancerBase`:
 * `healthy_panic_threshold`, 50% by default: below it every host is balanced over) and
 * `source/common/upstream/outlier_detection_impl.cc` (`consecutive_5xx`, `base_ejection_time`
 * multiplied by the times a host was ejected, `max_ejection_percent`, at least one host).
 *
 * lbsim maps a backend's settings onto them: `down` is a host failing its active health check
 * for the whole run (the run's own checks and drains take a host out and put it back in place,
 * `setTakenOut`, a host-set update), `maxFails` the consecutive failures that eject a host (0: never), and
 * `failTimeout` the base ejection time. A host returns when its ejection ends (Envoy checks at
 * its 10 s `interval`; lbsim at the exact time). The set of hosts balanced over is the one the
 * thread-aware methods build their tables from; it changes only when health changes.
 */
import { NamedPeers } from '../named-peers.js';
import type { SimTime } from '../../engine/index.js';
import type { BackendName } from '../../model/index.js';
import type { PeerSpec, Pick, PickVia } from '../strategy.js';

/** How a family judges health. */
export interface HealthRules {
  /** Balance over every host when fewer than this share (percent) are healthy, or none is; -1: never. */
  readonly panicPercent: number;
  /** Envoy multiplies the ejection time by the times the host was ejected (capped at `maxEjectionMs`). */
  readonly growingEjection: boolean;
  readonly maxEjectionMs: number;
  /** At most this percent of hosts ejected at once (at least one). */
  readonly maxEjectionPercent: number;
}

/** Envoy's defaults: panic below 50%, ejection base × count up to 300 s, at most 10% ejected. */
export const ENVOY_HEALTH: HealthRules = { panicPercent: 50, growingEjection: true, maxEjectionMs: 300_000, maxEjectionPercent: 10 };

/** One cluster's hosts and their shared, mutable state; hosts in configuration order. */
export class HostList {
  readonly names: readonly BackendName[];
  readonly count: number;
  readonly weight: Int32Array;
  /** Requests in flight per host (Envoy `rq_active`). */
  readonly active: Int32Array;
  /** 1 for a host failing its health checks: configured `down`, or taken out by the run. */
  private readonly down: Uint8Array;
  private readonly configuredDown: Uint8Array;
  private readonly takenOut: Uint8Array;
  private readonly maxFails: Int32Array;
  private readonly baseEjectionMs: Float64Array;
  private readonly failures: Int32Array;
  private readonly ejections: Int32Array;
  /** End of the current ejection per host; 0 when not ejected. */
  private readonly ejectedUntil: Float64Array;
  private ejectedCount = 0;
  /** 1 for the hosts balanced over now (healthy ones, or all in panic). */
  readonly member: Uint8Array;
  /** The hosts balanced over now, in configuration order. */
  members: Int32Array;
  /** Bumped whenever `members` changes; tables built from the members compare it. */
  version = 0;
  private readonly named: NamedPeers;

  constructor(
    specs: readonly PeerSpec[],
    private readonly rules: HealthRules,
  ) {
    if (specs.length === 0) throw new RangeError('a cluster needs at least one host');
    this.count = specs.length;
    this.names = specs.map((s) => s.name);
    this.weight = Int32Array.from(specs, (s) => s.weight);
    this.active = new Int32Array(this.count);
    this.configuredDown = Uint8Array.from(specs, (s) => (s.down ? 1 : 0));
    this.down = this.configuredDown.slice();
    this.takenOut = new Uint8Array(this.count);
    this.maxFails = Int32Array.from(specs, (s) => s.maxFails);
    this.baseEjectionMs = Float64Array.from(specs, (s) => s.failTimeoutMs);
    this.failures = new Int32Array(this.count);
    this.ejections = new Int32Array(this.count);
    this.ejectedUntil = new Float64Array(this.count);
    this.member = new Uint8Array(this.count);
    this.members = new Int32Array(0);
    this.named = new NamedPeers(specs.map((spec) => spec.name));
    this.refresh();
  }

  /** Index of the host with this name, or -1. */
  indexOf(name: BackendName): number {
    return this.named.indexOf(name);
  }

  /** Shared, immutable `Pick` per host for one `via`, so picks allocate nothing. */
  pickTable(via: PickVia): readonly Pick[] {
    return this.named.pickTable(via);
  }

  /**
   * Takes every host called `name` out (unhealthy), or puts it back (healthy unless configured
   * `down`): a host-set update. Requests in flight, failure counts and ejections stay.
   */
  setTakenOut(name: BackendName, takenOut: boolean): void {
    const mark = takenOut ? 1 : 0;
    let changed = false;
    for (let i = 0; i < this.count; i++) {
      if (this.names[i] !== name || this.takenOut[i] === mark) continue;
      this.takenOut[i] = mark;
      const down = (this.configuredDown[i] as number) | mark;
      changed ||= down !== this.down[i];
      this.down[i] = down;
    }
    if (changed) this.refresh();
  }

  /** Ends the ejections that are over at `now`; call before reading `members`. */
  update(now: SimTime): void {
    if (this.ejectedCount === 0) return;
    let changed = false;
    for (let i = 0; i < this.count; i++) {
      const until = this.ejectedUntil[i] as number;
      if (until !== 0 && until <= now) {
        this.ejectedUntil[i] = 0;
        this.ejectedCount--;
        changed = true;
      }
    }
    if (changed) this.refresh();
  }

  /** Whether host `i` passes its health checks and is not ejected. */
  healthy(i: number): boolean {
    return this.down[i] === 0 && this.ejectedUntil[i] === 0;
  }

  /** Whether a request could be sent to `name` now: it is among the hosts balanced over. */
  usable(name: BackendName, now: SimTime): boolean {
    this.update(now);
    const i = this.indexOf(name);
    return i >= 0 && this.member[i] === 1;
  }

  /** A successful request resets the host's consecutive failures. */
  succeeded(i: number): void {
    this.failures[i] = 0;
  }

  /** A failed request; enough in a row eject the host (within the ejection cap). */
  failed(i: number, now: SimTime): void {
    const maxFails = this.maxFails[i] as number;
    const failures = (this.failures[i] as number) + 1;
    this.failures[i] = failures;
    if (maxFails === 0 || failures < maxFails || this.ejectedUntil[i] !== 0 || this.down[i] === 1) return;
    const cap = Math.max(1, Math.floor((this.count * this.rules.maxEjectionPercent) / 100));
    if (this.ejectedCount >= cap) return;
    const times = this.rules.growingEjection ? (this.ejections[i] as number) + 1 : 1;
    this.ejections[i] = times;
    const base = this.baseEjectionMs[i] as number;
    this.ejectedUntil[i] = now + Math.max(1, Math.min(base * times, Math.max(base, this.rules.maxEjectionMs)));
    this.ejectedCount++;
    this.failures[i] = 0;
    this.refresh();
  }

  /** Recomputes the hosts balanced over: the healthy ones, or all of them in panic. */
  private refresh(): void {
    let healthy = 0;
    for (let i = 0; i < this.count; i++) if (this.healthy(i)) healthy++;
    const threshold = this.rules.panicPercent;
    const panic = threshold >= 0 && (healthy === 0 || healthy * 100 < threshold * this.count);
    const members: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const on = panic || this.healthy(i);
      this.member[i] = on ? 1 : 0;
      if (on) members.push(i);
    }
    this.members = Int32Array.from(members);
    this.version++;
  }
}
