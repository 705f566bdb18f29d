/**
 * Active health checks, as NGINX Plus `health_check` and HAProxy `check inter … fall … rise …` do
 * them: every `interval` each backend in the pool gets a probe; a probe fails at once when the
 * backend refuses, crashes or resets the connection or answers errors, and after `timeout` when it
 * hangs or never accepts. After `fall` failures in a row the backend is marked unhealthy and the
 * balancer stops choosing it (it is marked `down`, keeping its hash slots); after `rise` passes in
 * a row it is healthy again. The delay between a backend failing and being marked is the price of
 * the check, recorded per failure.
 */
import type { EventTarget, Scheduler, SimTime, TargetId } from '../engine/index.js';
import type { Backend } from '../model/index.js';

export interface HealthCheckSettings {
  readonly interval: number;
  readonly timeout: number;
  readonly fall: number;
  readonly rise: number;
}

/** One failure seen by the checks: when the backend stopped working and when the checks marked it. */
export interface Detection {
  readonly backend: number;
  readonly failedAtMs: SimTime;
  readonly detectedAtMs: SimTime;
}

const PROBE = 0;
const RESULT_FAILED = 1;
const RESULT_PASSED = 2;

export class HealthChecker implements EventTarget {
  private readonly failures: Int32Array;
  private readonly passes: Int32Array;
  private readonly healthy: boolean[];
  /** When each backend last stopped working (left `up` or began answering errors), or NaN. */
  private readonly failedAt: Float64Array;
  readonly detections: Detection[] = [];
  private active: () => boolean = () => false;
  private readonly targetId: TargetId;

  constructor(
    private readonly settings: HealthCheckSettings,
    private readonly backends: readonly Backend[],
    private readonly scheduler: Scheduler,
    private readonly inPool: (backend: number) => boolean,
    /** Called when a backend's health changes; the balancer marks it down or up. */
    private readonly onChange: (backend: number, healthy: boolean) => void,
  ) {
    this.failures = new Int32Array(backends.length);
    this.passes = new Int32Array(backends.length);
    this.healthy = backends.map(() => true);
    this.failedAt = new Float64Array(backends.length).fill(NaN);
    this.targetId = scheduler.register(this);
  }

  /** Starts probing `interval` from now and every `interval` after, for as long as `active()` says. */
  start(active: () => boolean): void {
    this.active = active;
    this.scheduler.schedule(this.scheduler.now + this.settings.interval, this.targetId, PROBE, 0);
  }

  /** The simulation tells the checker when a backend stops working, to measure the detection delay. */
  backendFailed(backend: number, now: SimTime): void {
    if (Number.isNaN(this.failedAt[backend]!)) this.failedAt[backend] = now;
  }

  /** …and when it works again. */
  backendRecovered(backend: number): void {
    this.failedAt[backend] = NaN;
  }

  fire(kind: number, ref: number): void {
    const now = this.scheduler.now;
    if (kind === PROBE) {
      this.probeAll(now);
      if (this.active()) this.scheduler.schedule(now + this.settings.interval, this.targetId, PROBE, 0);
      return;
    }
    this.record(ref, kind === RESULT_PASSED, now);
  }

  private probeAll(now: SimTime): void {
    for (const backend of this.backends) {
      if (!this.inPool(backend.index)) continue;
      const mode = backend.mode;
      if (mode === 'up' && !backend.answersErrors) this.record(backend.index, true, now);
      else if (mode === 'hang' || mode === 'blackhole') this.scheduler.schedule(now + this.settings.timeout, this.targetId, RESULT_FAILED, backend.index);
      else this.record(backend.index, false, now);
    }
  }

  private record(backend: number, passed: boolean, now: SimTime): void {
    if (passed) {
      this.failures[backend] = 0;
      this.passes[backend]!++;
      if (!this.healthy[backend] && this.passes[backend]! >= this.settings.rise) this.mark(backend, true, now);
      return;
    }
    this.passes[backend] = 0;
    this.failures[backend]!++;
    if (this.healthy[backend] && this.failures[backend]! >= this.settings.fall) this.mark(backend, false, now);
  }

  private mark(backend: number, healthy: boolean, now: SimTime): void {
    this.healthy[backend] = healthy;
    if (!healthy) {
      const failedAt = this.failedAt[backend]!;
      this.detections.push({ backend, failedAtMs: Number.isNaN(failedAt) ? now : failedAt, detectedAtMs: now });
    }
    this.onChange(backend, healthy);
  }
}

