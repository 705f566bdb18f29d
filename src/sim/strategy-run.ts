/**
 * One strategy over one scenario, put together from its parts: the session driver (arrivals,
 * steps, requests; `session-driver.ts`), nginx's attempt loop (`attempt-loop.ts`, over
 * `upstream.ts`), the backends and the service at them (`session-service.ts`, which applies the
 * session rules of `model/session-rules.ts`), and the pool controller (drains, health checks,
 * joins and leaves; `pool-controller.ts`), which is also what the timeline acts on. The same
 * workload (same seed, same streams) is replayed for every strategy, so differences between
 * strategies are the strategies'.
 *
 * A session breaks at the first step that cannot be served as the user expects, with one cause
 * (the first that applied, in this order): the client got an error (`request-failed`); a coupled
 * step moved (`coupled-moved`, or `backend-failed` when its backend died); the state was not
 * readable (`backend-failed` / `failback` when the holder's memory died, else what the store says).
 */
import { Priority, Scheduler, type SimTime } from '../engine/index.js';
import { Backend, PlanTable, type EventHandlers, type ExportedSession, type SessionStore, type StoreStats } from '../model/index.js';
import type { Scenario, StrategySpec } from '../scenario/index.js';
import { AttemptLoop } from './attempt-loop.js';
import type { Detection } from './health-check.js';
import { PoolController } from './pool-controller.js';
import { RecordPool, RequestRecord, SessionRecord } from './records.js';
import type { RunRng } from './rng.js';
import { runConfig } from './run-config.js';
import { SessionDriver, type ProgressSink } from './session-driver.js';
import { SessionService } from './session-service.js';
import { sessionSource } from './sessions.js';
import { scheduleTimeline } from './timeline.js';

export type { ProgressSink } from './session-driver.js';

/**
 * Receives every event of the run, in order, through the handler of its type. Event objects are
 * recycled: read them during the call, copy what you keep.
 */
export type EventSink = EventHandlers;

/** What one strategy's run leaves besides the analyzers' results. */
export interface RunFacts {
  readonly endTimeMs: SimTime;
  readonly eventsProcessed: number;
  /** Worker-ms busy per backend. */
  readonly busyTimeMs: readonly number[];
  readonly store: ReturnType<SessionStore['stats']> & { readonly kind: SessionStore['kind'] };
  /** Failures the active health checks detected, when the strategy has them. */
  readonly detections: readonly Detection[] | undefined;
}

export class StrategyRun {
  private readonly scheduler: Scheduler;
  private readonly backends: Backend[] = [];
  private readonly store: SessionStore;
  private readonly pool: PoolController;
  private readonly driver: SessionDriver;
  private readonly timeline: Scenario['timeline'];
  private readonly warmupMs: number;

  /** `recorded`: sessions to replay instead of the scenario's generator (`lbsim sessions` records, checked). */
  constructor(scenario: Scenario, spec: StrategySpec, rng: RunRng, sink: EventSink, progress?: ProgressSink, recorded?: readonly ExportedSession[]) {
    const config = runConfig(scenario, spec, rng);
    this.timeline = config.timeline;
    this.warmupMs = config.warmupMs;
    // With a warm-up the clock starts before 0; measurement begins at 0.
    this.scheduler = new Scheduler(-config.warmupMs);
    this.store = config.newStore();
    const workload = sessionSource(scenario, rng, recorded);
    const offsets = workload.requestOffsets;
    const plans = new PlanTable(config.steps.length, offsets[offsets.length - 1]!);
    const sessions = new RecordPool((slot) => new SessionRecord(slot));
    const requests = new RecordPool((slot) => new RequestRecord(slot));
    // The parts refer to one another: the backends serve through the service, the service
    // judges against the pool, and answers go back through the attempt loop to the driver.
    this.pool = new PoolController(config, this.backends, this.scheduler, this.store, sink);
    const service = new SessionService(config, this.store, plans, offsets, requests, this.backends, this.pool);
    this.backends.push(...config.backends.map((b, i) => new Backend(i, b, this.scheduler, service)));
    this.pool.start();
    const attempts = new AttemptLoop(this.scheduler, this.pool, this.backends, requests, config, sink);
    this.driver = new SessionDriver(this.scheduler, config, workload, plans, sessions, requests, this.pool, this.store, service, attempts, sink, progress);
    attempts.connect(this.driver);
    service.connect(attempts);
  }

  /** Ends the run after the event being handled (the facts then cover the run so far). */
  stop(): void {
    this.scheduler.stop();
  }

  /** Runs to the end (arrivals over, every session ended) and returns the run's facts. */
  run(): RunFacts {
    scheduleTimeline(this.timeline, this.pool);
    const driver = this.driver;
    this.pool.healthChecker?.start(() => driver.pendingArrival !== undefined || driver.liveSessions > 0);
    // Work and cache traffic of the warm-up do not count: take what they had at time 0 off the totals.
    let busyAtStart: readonly number[] = this.backends.map(() => 0);
    let storeAtStart: StoreStats | undefined;
    if (this.warmupMs > 0) {
      this.scheduler.at(0, () => {
        busyAtStart = this.backends.map((b) => b.busyTimeMs(0));
        storeAtStart = this.store.stats();
      }, Priority.Urgent);
    }
    driver.scheduleNextArrival();
    const stats = this.scheduler.run();
    const store = this.store.stats();
    return {
      endTimeMs: stats.endTime,
      eventsProcessed: stats.eventsProcessed,
      busyTimeMs: this.backends.map((b, i) => b.busyTimeMs(stats.endTime) - busyAtStart[i]!),
      store: { kind: this.store.kind, ...(storeAtStart ? storeStatsSince(store, storeAtStart) : store) },
      detections: this.pool.healthChecker ? this.pool.healthChecker.detections : undefined,
    };
  }
}

/** Store counters accumulated since `start`. */
function storeStatsSince(now: StoreStats, start: StoreStats): StoreStats {
  return {
    reads: now.reads - start.reads,
    writes: now.writes - start.writes,
    hits: now.hits - start.hits,
    misses: now.misses - start.misses,
    evictions: now.evictions - start.evictions,
    expirations: now.expirations - start.expirations,
  };
}
