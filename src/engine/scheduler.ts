/**
 * The simulation kernel: a clock and a binary-heap event queue ordered by (time, priority, seq),
 * as in SimPy's `Environment` — among events due at the same instant, lower priority runs first
 * and equal priorities run in the order they were scheduled. Never a random tie-break.
 *
 * The hot path schedules `(target, kind, ref)` triples into preallocated typed arrays, so an event
 * costs no allocation: a target is a long-lived object (a backend, the session driver) and
 * `kind`/`ref` say what happened to which of its records. Rare events (timeline changes) may use
 * the closure form `at` / `after`, which returns a cancellable handle.
 */
import type { Clock, SimTime } from './time.js';

/** Among events due at the same instant, lower runs first; equal priorities run in insertion order. */
export const Priority = { Urgent: 0, Normal: 1 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

/** Receives hot-path events: `kind` and `ref` are the target's own codes (e.g. a request slot). */
export interface EventTarget {
  fire(kind: number, ref: number, now: SimTime): void;
}

export type Action = () => void;

export interface TimerHandle {
  readonly at: SimTime;
  readonly cancelled: boolean;
  cancel(): void;
}

export interface RunStats {
  readonly endTime: SimTime;
  readonly eventsProcessed: number;
  readonly stoppedBy: 'empty' | 'until' | 'stop';
}

// seq lives below 2^51 so that priority * 2^51 + seq stays an exact double.
const PRIORITY_STRIDE = 2 ** 51;

class ActionTimer implements TimerHandle, EventTarget {
  cancelled = false;
  constructor(
    readonly at: SimTime,
    private readonly action: Action,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
  fire(): void {
    if (!this.cancelled) this.action();
  }
}

export class Scheduler implements Clock {
  private currentTime: SimTime = 0;
  private seq = 0;
  private processed = 0;
  private stopRequested = false;
  // Slot storage; `heap` holds slot indices ordered by (time, key).
  private times = new Float64Array(1024);
  private keys = new Float64Array(1024);
  private kinds = new Int32Array(1024);
  private refs = new Float64Array(1024);
  private targets: (EventTarget | undefined)[] = new Array<EventTarget | undefined>(1024);
  private heap = new Int32Array(1024);
  private size = 0;
  private freeSlots: number[] = [];
  private nextSlot = 0;

  get now(): SimTime {
    return this.currentTime;
  }

  /** Events waiting in the queue. */
  get pending(): number {
    return this.size;
  }

  /** Events run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Schedules `target.fire(kind, ref)` at `time` (not before now). */
  schedule(time: SimTime, target: EventTarget, kind: number, ref: number, priority: Priority = Priority.Normal): void {
    if (!(time >= this.currentTime)) throw new RangeError(`cannot schedule at ${time}, before now (${this.currentTime})`);
    const slot = this.allocateSlot();
    this.times[slot] = time;
    this.keys[slot] = priority * PRIORITY_STRIDE + this.seq++;
    this.kinds[slot] = kind;
    this.refs[slot] = ref;
    this.targets[slot] = target;
    this.siftUp(this.size++, slot);
  }

  /** Runs `action` at `time`; the handle can cancel it. */
  at(time: SimTime, action: Action, priority: Priority = Priority.Normal): TimerHandle {
    const timer = new ActionTimer(time, action);
    this.schedule(time, timer, 0, 0, priority);
    return timer;
  }

  /** Runs `action` after `delay` ms. */
  after(delay: SimTime, action: Action, priority: Priority = Priority.Normal): TimerHandle {
    return this.at(this.currentTime + delay, action, priority);
  }

  /** Runs the next event; false when nothing is left. */
  step(): boolean {
    if (this.size === 0) return false;
    const heap = this.heap;
    const slot = heap[0]!;
    const last = heap[--this.size]!;
    if (this.size > 0) this.siftDown(0, last);
    this.currentTime = this.times[slot]!;
    const target = this.targets[slot]!;
    const kind = this.kinds[slot]!;
    const ref = this.refs[slot]!;
    this.targets[slot] = undefined;
    this.freeSlots.push(slot);
    this.processed++;
    target.fire(kind, ref, this.currentTime);
    return true;
  }

  /** Runs until the queue is empty, `until` is reached (events at `until` still run), or `stop()`. */
  run(options: { readonly until?: SimTime } = {}): RunStats {
    const until = options.until ?? Infinity;
    this.stopRequested = false;
    const start = this.processed;
    let stoppedBy: RunStats['stoppedBy'] = 'empty';
    while (this.size > 0) {
      if (this.stopRequested) {
        stoppedBy = 'stop';
        break;
      }
      if (this.times[this.heap[0]!]! > until) {
        this.currentTime = until;
        stoppedBy = 'until';
        break;
      }
      this.step();
    }
    return { endTime: this.currentTime, eventsProcessed: this.processed - start, stoppedBy };
  }

  /** Makes `run` return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  private allocateSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.nextSlot === this.times.length) this.grow();
    return this.nextSlot++;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const grown = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.times = grown(this.times, (n) => new Float64Array(n));
    this.keys = grown(this.keys, (n) => new Float64Array(n));
    this.kinds = grown(this.kinds, (n) => new Int32Array(n));
    this.refs = grown(this.refs, (n) => new Float64Array(n));
    this.heap = grown(this.heap, (n) => new Int32Array(n));
    this.targets.length = capacity;
  }

  private before(a: number, b: number): boolean {
    const ta = this.times[a]!;
    const tb = this.times[b]!;
    return ta < tb || (ta === tb && this.keys[a]! < this.keys[b]!);
  }

  private siftUp(position: number, slot: number): void {
    const heap = this.heap;
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      const parent = heap[parentPosition]!;
      if (!this.before(slot, parent)) break;
      heap[position] = parent;
      position = parentPosition;
    }
    heap[position] = slot;
  }

  private siftDown(position: number, slot: number): void {
    const heap = this.heap;
    const size = this.size;
    for (;;) {
      let child = 2 * position + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.before(heap[right]!, heap[child]!)) child = right;
      if (!this.before(heap[child]!, slot)) break;
      heap[position] = heap[child]!;
      position = child;
    }
    heap[position] = slot;
  }
}
