/**
 * A simulated backend: `workers` requests in service at once, a FIFO queue of at most
 * `queueLimit` more (a request beyond it is rejected), a speed factor dividing service demand,
 * and a mode: `up`, or one of the failure modes recorded from real nginx failovers (`refused`,
 * `blackhole`, `crash`, `reset`, `hang`). When it leaves `up`, everything queued or in service is
 * lost and its local memory (in-process sessions) is gone.
 *
 * The backend knows nothing of sessions or HTTP: its host (the simulation) says how long each
 * request takes when its service starts and learns when it ends or is lost.
 */
import { grown, type EventTarget, type Scheduler, type SimTime, type TargetId } from '../engine/index.js';
import type { BackendName } from './request.js';

/** A backend's modes: serving, or one of the failures recorded from real nginx failovers. */
export const BACKEND_MODES = ['up', 'refused', 'blackhole', 'crash', 'reset', 'hang'] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

export interface BackendHost {
  /** Service of `ref` starts now (the scheduler's clock); returns how long it takes (ms). */
  serviceStarted(ref: number, backend: Backend): SimTime;
  serviceEnded(ref: number, backend: Backend): void;
  /** `ref` was queued or in service when the backend left `up`. */
  requestLost(ref: number, backend: Backend): void;
}

export interface BackendConfig {
  readonly name: BackendName;
  readonly workers: number;
  readonly queueLimit: number;
  readonly speed: number;
  /** A restarted backend starts cold: demand × `factor` on coming up, falling linearly to 1 over `durationMs`. */
  readonly coldStart?: { readonly factor: number; readonly durationMs: number } | undefined;
}

export class Backend implements EventTarget {
  readonly name: BackendName;
  readonly workers: number;
  readonly queueLimit: number;
  speed: number;
  /** While true the backend answers every request at once with an error (HTTP 500). */
  answersErrors = false;
  /** When the backend last came back `up` after being down (-Infinity: never down). */
  upSince = -Infinity;
  /** Until when the backend is cold (-Infinity: warm); see `demandFactor`. */
  coldUntil = -Infinity;
  private readonly coldStart: BackendConfig['coldStart'];
  private currentMode: BackendMode = 'up';
  /** Bumped whenever in-flight work is lost, so completions scheduled before are ignored. */
  private epoch = 0;
  private busy = 0;
  /** Refs in service, unordered; `position[ref]` is each one's index there (swap-remove, no hashing). */
  private inService = new Int32Array(16);
  private position = new Int32Array(64);
  private queue = new Int32Array(64);
  private queueHead = 0;
  private queueLength = 0;
  private busyIntegral = 0;
  private lastChange = 0;
  /** This backend's number in the scheduler. */
  private readonly targetId: TargetId;

  constructor(
    readonly index: number,
    config: BackendConfig,
    private readonly scheduler: Scheduler,
    private readonly host: BackendHost,
  ) {
    this.name = config.name;
    this.workers = config.workers;
    this.queueLimit = config.queueLimit;
    this.speed = config.speed;
    this.coldStart = config.coldStart;
    this.targetId = scheduler.register(this);
  }

  get mode(): BackendMode {
    return this.currentMode;
  }

  /** Bumped each time the backend leaves `up`: its process (and in-memory state) is a new one. */
  get incarnation(): number {
    return this.epoch;
  }

  /**
   * What service demand is multiplied by for a request starting service at `now`: `factor` the
   * moment the backend came back up, falling linearly to 1 at `coldUntil`; 1 when warm.
   */
  demandFactor(now: SimTime): number {
    if (now >= this.coldUntil) return 1;
    const { factor, durationMs } = this.coldStart!;
    return 1 + ((factor - 1) * (this.coldUntil - now)) / durationMs;
  }

  /** Requests in service plus queued. */
  get load(): number {
    return this.busy + this.queueLength;
  }

  /** Worker-milliseconds spent serving, up to `now`. */
  busyTimeMs(now: SimTime): number {
    return this.busyIntegral + this.busy * (now - this.lastChange);
  }

  /** Accepts `ref` into service or the queue; false when the queue is full (the request is rejected). */
  admit(ref: number): boolean {
    if (this.busy < this.workers) {
      this.start(ref);
      return true;
    }
    if (this.queueLength >= this.queueLimit) return false;
    this.enqueue(ref);
    return true;
  }

  /** Changes mode; leaving `up` loses queued and in-service requests. */
  setMode(mode: BackendMode): void {
    const now = this.scheduler.now;
    const wasUp = this.currentMode === 'up';
    this.currentMode = mode;
    if (!wasUp && mode === 'up') {
      this.upSince = now;
      if (this.coldStart !== undefined) this.coldUntil = now + this.coldStart.durationMs;
    }
    if (!wasUp || mode === 'up') return;
    this.epoch++;
    const lost = Array.from(this.inService.subarray(0, this.busy));
    while (this.queueLength > 0) lost.push(this.dequeue());
    this.setBusy(0);
    for (const ref of lost) this.host.requestLost(ref, this);
  }

  /** Scheduler callback: `kind` carries the epoch the service started in. */
  fire(kind: number, ref: number): void {
    if (kind !== this.epoch) return;
    // Swap-remove ref from the in-service list.
    const last = this.inService[this.busy - 1]!;
    const at = this.position[ref]!;
    this.inService[at] = last;
    this.position[last] = at;
    this.setBusy(this.busy - 1);
    // The freed worker takes the head of the queue before anything the completion triggers can
    // arrive (work-conserving FIFO).
    if (this.queueLength > 0) this.start(this.dequeue());
    this.host.serviceEnded(ref, this);
  }

  private start(ref: number): void {
    if (this.busy === this.inService.length) this.inService = grown(this.inService, this.busy * 2);
    if (ref >= this.position.length) this.position = grown(this.position, Math.max(ref + 1, this.position.length * 2));
    this.inService[this.busy] = ref;
    this.position[ref] = this.busy;
    this.setBusy(this.busy + 1);
    const duration = this.host.serviceStarted(ref, this);
    this.scheduler.schedule(this.scheduler.now + duration, this.targetId, this.epoch, ref);
  }

  private setBusy(busy: number): void {
    const now = this.scheduler.now;
    this.busyIntegral += this.busy * (now - this.lastChange);
    this.lastChange = now;
    this.busy = busy;
  }

  private enqueue(ref: number): void {
    if (this.queueLength === this.queue.length) {
      const unwrapped = new Int32Array(this.queue.length * 2);
      for (let i = 0; i < this.queueLength; i++) unwrapped[i] = this.queue[(this.queueHead + i) % this.queue.length]!;
      this.queue = unwrapped;
      this.queueHead = 0;
    }
    this.queue[(this.queueHead + this.queueLength) % this.queue.length] = ref;
    this.queueLength++;
  }

  private dequeue(): number {
    const ref = this.queue[this.queueHead]!;
    this.queueHead = (this.queueHead + 1) % this.queue.length;
    this.queueLength--;
    return ref;
  }
}
