/**
 * What every Envoy method shares: the host list, the per-request picker, the retry rule and the
 * tables the thread-aware methods (ring hash, Maglev) build from the hosts balanced over. A
 * method adds only its choice (`choose`) and, for hashing, the request's 64-bit hash.
 *
 * References: Envoy `source/extensions/load_balancing_policies/common/thread_aware_lb_impl.cc`
 * (`LoadBalancerImpl::chooseHost`: a request without a hash gets `random.random()`; tables are
 * rebuilt when the host set or its health changes) and `source/common/router/router.cc` (retries
 * per the route's `retry_policy`; none unless configured).
 *
 * lbsim's retries follow `retry_on: connect-failure,reset` with `num_retries: retries` and the
 * `envoy.retry_host_predicates.previous_hosts` predicate, re-selecting until a host not yet tried
 * comes up (Envoy gives up after `host_selection_retry_max_attempts` and may repeat a host; lbsim
 * never repeats one, the contract every method keeps).
 */
import type { RandomStream, SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import { TriedPeers } from '../nginx/peers.js';
import type { FailureReason, PeerPicker, PeerSpec, Pick, ResponseHeaders, Strategy } from '../strategy.js';
import { ENVOY_HEALTH, HostList, type HealthRules } from './hosts.js';

/** Per-request state: the hash, the hosts tried, the attempt count and the host in flight. */
export class EnvoyPicker extends TriedPeers implements PeerPicker {
  /** The request's hash, high and low halves (unused by methods that do not hash). */
  hashHi = 0;
  hashLo = 0;
  /** Picks made so far in this request. */
  attempt = 0;
  /** A host the request is bound to before balancing (Kubernetes ClientIP affinity), or -1. */
  affinity = -1;
  /** The client's affinity key (Kubernetes ClientIP), when the method keeps one. */
  client: number | string = 0;
  private inFlight = -1;

  constructor(
    private readonly strategy: EnvoyStrategy,
    readonly tries: number,
  ) {
    super(strategy.hosts.count);
  }

  pick(now: SimTime): Pick | undefined {
    const hosts = this.strategy.hosts;
    hosts.update(now);
    const i = this.strategy.choose(this, now);
    if (i < 0) return undefined;
    this.attempt++;
    this.markTried(i);
    this.inFlight = i;
    hosts.active[i] = (hosts.active[i] as number) + 1;
    return this.strategy.picks[i] as Pick;
  }

  onSuccess(backend: BackendName, _now: SimTime, _response: ResponseHeaders): void {
    const i = this.release(backend);
    if (i >= 0) this.strategy.hosts.succeeded(i);
  }

  onFailure(backend: BackendName, _reason: FailureReason, now: SimTime): void {
    const i = this.release(backend);
    if (i < 0) return;
    this.markTried(i);
    this.strategy.hosts.failed(i, now);
  }

  /** The first host balanced over that this request has not tried, or -1. */
  firstUntried(): number {
    for (const i of this.strategy.hosts.members) if (!this.hasTried(i)) return i;
    return -1;
  }

  /** A host drawn uniformly from those balanced over that this request has not tried, or -1. */
  randomUntried(rng: RandomStream): number {
    const members = this.strategy.hosts.members;
    let untried = 0;
    for (const i of members) if (!this.hasTried(i)) untried++;
    if (untried === 0) return -1;
    let draw = Math.floor(rng.next() * untried);
    for (const i of members) if (!this.hasTried(i) && draw-- === 0) return i;
    return -1;
  }

  private release(backend: BackendName): number {
    const hosts = this.strategy.hosts;
    const i = hosts.indexOf(backend);
    if (i >= 0 && i === this.inFlight) {
      hosts.active[i] = (hosts.active[i] as number) - 1;
      this.inFlight = -1;
    }
    return i;
  }
}

/** Behaviour shared by the Envoy methods (and the cloud models, with their own health rules). */
export abstract class EnvoyStrategy implements Strategy {
  abstract readonly method: string;
  readonly hosts: HostList;
  readonly picks: readonly Pick[];

  /** `retries`: the route's `num_retries`. Throws RangeError on an empty host list. */
  constructor(
    specs: readonly PeerSpec[],
    private readonly retries: number,
    protected readonly rng: RandomStream,
    rules: HealthRules = ENVOY_HEALTH,
    via: Pick['via'] = 'balance',
  ) {
    this.hosts = new HostList(specs, rules);
    this.picks = this.hosts.pickTable(via);
  }

  open(request: Request, now: SimTime): PeerPicker {
    this.hosts.update(now);
    const picker = new EnvoyPicker(this, 1 + this.retries);
    this.prepare(picker, request, now);
    return picker;
  }

  usable(backend: BackendName, now: SimTime): boolean {
    return this.hosts.usable(backend, now);
  }

  setTakenOut(backend: BackendName, takenOut: boolean): void {
    this.hosts.setTakenOut(backend, takenOut);
  }

  /** An untried host among those balanced over, or -1 when none is left. */
  abstract choose(picker: EnvoyPicker, now: SimTime): number;

  /** Per-request set-up, e.g. the hash. */
  protected prepare(_picker: EnvoyPicker, _request: Request, _now: SimTime): void {}

  /** A uniform 64-bit random hash (Envoy's `random_.random()` for a request without a hash key). */
  protected randomHash(picker: EnvoyPicker): void {
    picker.hashHi = Math.floor(this.rng.next() * 2 ** 32);
    picker.hashLo = Math.floor(this.rng.next() * 2 ** 32);
  }
}

/**
 * A table built from the hosts balanced over, rebuilt when they change. Tables already built for
 * a host set are kept (a host that flaps does not rebuild a 65537-entry table each time).
 */
export class TableCache<T> {
  private readonly built = new Map<string, T>();
  private version = -1;
  private current: T | undefined;

  constructor(
    private readonly hosts: HostList,
    private readonly build: (members: Int32Array) => T,
  ) {}

  /** The table for the current members. */
  get(): T {
    if (this.version !== this.hosts.version || this.current === undefined) {
      const members = this.hosts.members;
      const key = members.join(',');
      let table = this.built.get(key);
      if (table === undefined) {
        if (this.built.size >= 32) this.built.clear();
        table = this.build(members);
        this.built.set(key, table);
      }
      this.current = table;
      this.version = this.hosts.version;
    }
    return this.current;
  }
}

/** Envoy's normalized weights of `members`: weight / total, and their minimum and maximum. */
export function normalizedWeights(hosts: HostList, members: Int32Array): { weights: Float64Array; min: number; max: number } {
  let total = 0;
  for (const i of members) total += hosts.weight[i] as number;
  const weights = Float64Array.from(members, (i) => (hosts.weight[i] as number) / total);
  let min = 1;
  let max = 0;
  for (const w of weights) {
    min = Math.min(min, w);
    max = Math.max(max, w);
  }
  return { weights, min, max };
}
