/**
 * The balancer's pool during a run, and every change to it: backends failing and recovering,
 * drains, active health checks, and servers joining or leaving. Marks that real balancers keep in
 * place (a drain, a health-check verdict) go to the strategy in place, so what the method keeps
 * (nginx's fail counters and weights, HAProxy's round-robin position, Envoy's active requests)
 * survives them; adding or removing a server is a configuration reload, which builds the strategy
 * anew over the new server list (requests already open finish on the old one).
 * It is also the timeline's world: the timeline acts on the run through it.
 */
import type { Scheduler } from '../engine/index.js';
import { SharedSessionCache, type Backend, type BackendMode, type EventHandlers, type ScenarioChange, type SessionStore } from '../model/index.js';
import { createStrategy, emptyPoolStrategy, methodPeers, type Strategy } from '../strategies/index.js';
import { HealthChecker } from './health-check.js';
import type { RunConfig } from './run-config.js';
import type { TimelineWorld } from './timeline.js';

export class PoolController implements TimelineWorld {
  /** The strategy new requests open with. */
  strategy: Strategy;
  /** The backend of each server in the current method's list (a pick's `peer`, see `methodPeers`); a new array at each reload. */
  memberBackends = new Int32Array(0);
  /** Bumped at every reload (a server joined or left). */
  poolEpoch = 0;
  /** Which backends are in the balancer's pool (standby and removed ones are not). */
  readonly inPool: boolean[];
  /** The active health checks, once `start` made them (they probe the backends, made after this controller). */
  healthChecker: HealthChecker | undefined;
  private readonly backendIndex = new Map<string, number>();
  /** Backends being drained, by name; the sticky cookie reads this set as it changes. */
  private readonly draining = new Set<string>();
  /** Backends the active health checks marked unhealthy, by name (the balancer treats them as `down`). */
  private readonly unhealthy = new Set<string>();
  /** The shared cache the timeline acts on; with sessions in the backends' memory, a stand-in. */
  readonly store: SessionStore;

  constructor(
    private readonly config: RunConfig,
    private readonly backends: readonly Backend[],
    readonly scheduler: Scheduler,
    /** The run's session store: a backend that goes down loses what it held there. */
    private readonly sessions: SessionStore,
    private readonly sink: EventHandlers,
  ) {
    this.store = sessions.kind === 'shared' ? sessions : new SharedSessionCache({ roundTripMs: 0, ttlMs: Infinity });
    config.backends.forEach((b, i) => this.backendIndex.set(b.name, i));
    this.inPool = config.backends.map((b) => !b.standby);
    this.strategy = this.reload();
  }

  /** Makes the active health checks, once the backends they probe exist. */
  start(): void {
    const settings = this.config.healthCheck;
    if (settings) this.healthChecker = new HealthChecker(settings, this.backends, this.scheduler, (i) => this.inPool[i]!, (i, healthy) => this.setHealthy(i, healthy));
  }

  /** The backend a pick names, by its position in the list `members` (a request's own) or by name. */
  backendOf(peer: number, name: string, members: Int32Array): number {
    return peer >= 0 ? members[peer]! : this.backendIndex.get(name)!;
  }

  backend(name: string): Backend {
    return this.backends[this.backendIndex.get(name)!]!;
  }

  /** A configuration reload: the strategy over the servers now in the pool, with the run's marks. */
  private reload(): Strategy {
    const members = this.config.peers.filter((_, i) => this.inPool[i]);
    this.memberBackends = Int32Array.from(methodPeers(this.config.balancer, members), (peer) => this.backendIndex.get(peer.name)!);
    // The timeline may empty the pool (the scenario checked the starting one): every request gets a 502.
    if (!methodPeers(this.config.balancer, members).some((p) => !p.backup)) return emptyPoolStrategy(this.config.balancer.method);
    // The drain wrapper costs a call per request: only a timeline that drains gets it.
    const draining = this.config.timeline.some((e) => e.kind === 'drain') ? this.draining : undefined;
    return createStrategy(this.config.balancer, this.config.sticky, members, { rng: this.config.balancerRng, ...(draining === undefined ? {} : { draining }), markedDown: this.unhealthy });
  }

  report(backend: Backend | undefined, change: ScenarioChange): void {
    this.sink['scenario-event']({ type: 'scenario-event', t: this.scheduler.now, backend: backend ? backend.index : -1, change });
  }

  setDraining(backend: Backend, on: boolean): void {
    if (on) this.draining.add(backend.name);
    else this.draining.delete(backend.name);
    this.strategy.setTakenOut(backend.name, on || this.unhealthy.has(backend.name));
    this.report(backend, { kind: on ? 'draining' : 'drained' });
  }

  private setHealthy(index: number, healthy: boolean): void {
    const backend = this.backends[index]!;
    if (healthy) this.unhealthy.delete(backend.name);
    else this.unhealthy.add(backend.name);
    this.strategy.setTakenOut(backend.name, !healthy || this.draining.has(backend.name));
    this.report(backend, { kind: healthy ? 'health-checks-passed' : 'health-checks-failed' });
  }

  setInPool(backend: Backend, inPool: boolean): void {
    if (this.inPool[backend.index] === inPool) return;
    this.inPool[backend.index] = inPool;
    this.poolEpoch++;
    this.strategy = this.reload();
    // A removed backend's process is stopped: its work in flight and its memory are gone.
    this.setBackendMode(backend, inPool ? 'up' : 'refused');
    this.report(backend, { kind: inPool ? 'added-to-pool' : 'removed-from-pool' });
  }

  setAnswersErrors(backend: Backend, on: boolean): void {
    backend.answersErrors = on;
    if (on) this.healthChecker?.backendFailed(backend.index, this.scheduler.now);
    else if (backend.mode === 'up') this.healthChecker?.backendRecovered(backend.index);
  }

  setBackendMode(backend: Backend, mode: BackendMode): void {
    const now = this.scheduler.now;
    if (backend.mode === mode) return;
    const wasUp = backend.mode === 'up';
    backend.setMode(mode);
    if (wasUp) this.sessions.backendLost(backend.index);
    if (mode !== 'up') this.healthChecker?.backendFailed(backend.index, now);
    else if (!backend.answersErrors) this.healthChecker?.backendRecovered(backend.index);
    this.sink['backend-state']({ type: 'backend-state', t: now, backend: backend.index, mode });
  }
}
