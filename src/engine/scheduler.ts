/**
 * The simulation kernel: a clock and a binary-heap event queue ordered by (time, priority, seq),
 * as in SimPy's `Environment` — among events due at the same instant, lower priority runs first
 * and equal priorities run in the order they were scheduled. Never a random tie-break.
 *
 * The hot path schedules `(target, kind, ref)` triples into preallocated typed arrays, so an event
 * costs no allocation: a target is a long-lived object (a backend, the session driver),
 * registered once and named by a number, and `kind`/`ref` say what happened to which of its
 * records. (Numbers rather than the objects themselves: a heap of typed arrays moves entries
 * without the garbage collector's write barrier.) Rare events (timeline changes) may use the
 * closure form `at` / `after`, which returns a cancellable handle.
 */
import type { Clock, SimTime } from './time.js';
import { grown } from './typed-arrays.js';

/** Among events due at the same instant, lower runs first; equal priorities run in insertion order. */
export const Priority = { Urgent: 0, Normal: 1 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

/**
 * Receives hot-path events: `kind` and `ref` are the target's own codes (e.g. a request slot).
 * The time is the scheduler's `now`, read by the target, as SimPy's processes read `env.now`:
 * a time passed as an argument to a call V8 does not inline is boxed into a fresh heap number,
 * and boxed times were the event loop's largest source of allocation.
 */
export interface EventTarget {
  fire(kind: number, ref: number): void;
}

declare const targetIdBrand: unique symbol;
/** A registered target's number (see `Scheduler.register`); branded, so that it cannot be passed where a kind or ref goes. */
export type TargetId = number & { readonly [targetIdBrand]: true };

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

class ActionTimer implements TimerHandle {
  cancelled = false;
  constructor(
    readonly at: SimTime,
    readonly action: Action,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** The closure timers pending, by slot, with a free list: the target that runs them. */
class Timers implements EventTarget {
  private readonly pending: (ActionTimer | undefined)[] = [];
  private readonly free: number[] = [];

  add(timer: ActionTimer): number {
    const slot = this.free.pop() ?? this.pending.length;
    this.pending[slot] = timer;
    return slot;
  }

  fire(_kind: number, slot: number): void {
    const timer = this.pending[slot]!;
    this.pending[slot] = undefined;
    this.free.push(slot);
    if (!timer.cancelled) timer.action();
  }
}

export class Scheduler implements Clock {
  private currentTime: SimTime = 0;
  private seq = 0;
  private processed = 0;
  private stopRequested = false;
  // The heap, as parallel arrays ordered by (time, key), key = priority · 2^51 + seq, each entry
  // naming an event slot. The slots hold target, kind and ref and never move: a heap move writes
  // three numbers, not five.
  private times = new Float64Array(1024);
  private keys = new Float64Array(1024);
  private events = new Int32Array(1024);
  private size = 0;
  private targets = new Int32Array(1024);
  private kinds = new Int32Array(1024);
  private refs = new Int32Array(1024);
  /** Free event slots, as a stack; slots from `freeCount` on are in use. */
  private freeSlots = Int32Array.from({ length: 1024 }, (_, i) => 1023 - i);
  private freeCount = 1024;
  /** Registered targets by number; 0 runs the closure timers. */
  private readonly registered: EventTarget[] = [];
  private readonly timers = new Timers();
  private readonly timersId: TargetId;
  /**
   * While an event runs it stays at the root; the first event it schedules replaces it and sifts
   * down (one heap operation instead of a pop and a push, the common case of "service done,
   * schedule the next step"). If it schedules nothing, the root is dropped afterwards.
   */
  private rootPending = false;

  /** `startTime`: the clock's first reading (negative for a warm-up before measurement begins at 0). */
  constructor(startTime: SimTime = 0) {
    this.currentTime = startTime;
    this.timersId = this.register(this.timers);
  }

  /** Registers a long-lived target; `schedule` names it by the number returned. */
  register(target: EventTarget): TargetId {
    this.registered.push(target);
    return (this.registered.length - 1) as TargetId;
  }

  get now(): SimTime {
    return this.currentTime;
  }

  /** Events waiting in the queue. */
  get pending(): number {
    return this.rootPending ? this.size - 1 : this.size;
  }

  /** Events run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Schedules `fire(kind, ref)` of a registered target at `time` (not before now); `kind` and `ref` are 32-bit integers. */
  schedule(time: SimTime, target: TargetId, kind: number, ref: number, priority: Priority = Priority.Normal): void {
    this.checkNotPast(time);
    const key = priority * PRIORITY_STRIDE + this.seq++;
    if (this.freeCount === 0) this.grow();
    const event = this.freeSlots[--this.freeCount]!;
    this.targets[event] = target;
    this.kinds[event] = kind;
    this.refs[event] = ref;
    if (this.rootPending) {
      this.rootPending = false;
      this.siftDown(time, key, event, this.size);
    } else this.siftUp(time, key, event);
  }

  /** Runs `action` at `time`; the handle can cancel it. */
  at(time: SimTime, action: Action, priority: Priority = Priority.Normal): TimerHandle {
    // Checked before the timer takes a slot, which a refused time would otherwise hold forever.
    this.checkNotPast(time);
    const timer = new ActionTimer(time, action);
    this.schedule(time, this.timersId, 0, this.timers.add(timer), priority);
    return timer;
  }

  private checkNotPast(time: SimTime): void {
    if (!(time >= this.currentTime)) throw new RangeError(`cannot schedule at ${time}, before now (${this.currentTime})`);
  }

  /** Runs `action` after `delay` ms. */
  after(delay: SimTime, action: Action, priority: Priority = Priority.Normal): TimerHandle {
    return this.at(this.currentTime + delay, action, priority);
  }

  /** Runs the next event; false when nothing is left. */
  step(): boolean {
    if (this.size === 0) return false;
    this.currentTime = this.times[0]!;
    const event = this.events[0]!;
    const target = this.registered[this.targets[event]!]!;
    const kind = this.kinds[event]!;
    const ref = this.refs[event]!;
    this.freeSlots[this.freeCount++] = event;
    this.rootPending = true;
    this.processed++;
    target.fire(kind, ref);
    if (this.rootPending) {
      this.rootPending = false;
      this.dropRoot();
    }
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
      if (this.times[0]! > until) {
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

  private dropRoot(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.times[last]!, this.keys[last]!, this.events[last]!, last);
  }

  /** Doubles the capacity: every slot is in use, and the heap is as large as the slot tables. */
  private grow(): void {
    const capacity = this.times.length * 2;
    this.times = grown(this.times, capacity);
    this.keys = grown(this.keys, capacity);
    this.events = grown(this.events, capacity);
    this.targets = grown(this.targets, capacity);
    this.kinds = grown(this.kinds, capacity);
    this.refs = grown(this.refs, capacity);
    this.freeSlots = grown(this.freeSlots, capacity);
    for (let slot = capacity - 1; slot >= capacity / 2; slot--) this.freeSlots[this.freeCount++] = slot;
  }

  /** Adds an entry at the end and moves it up to its place. */
  private siftUp(time: SimTime, key: number, event: number): void {
    const times = this.times;
    const keys = this.keys;
    const events = this.events;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && keys[parent]! < key)) break;
      times[i] = pt;
      keys[i] = keys[parent]!;
      events[i] = events[parent]!;
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
    events[i] = event;
  }

  /** Puts an entry at the root of a heap of `n` entries and moves it down to its place. */
  private siftDown(time: SimTime, key: number, event: number, n: number): void {
    const times = this.times;
    const keys = this.keys;
    const events = this.events;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = times[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = times[right]!;
        if (rt < ct || (rt === ct && keys[right]! < keys[child]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && key < keys[child]!)) break;
      times[i] = ct;
      keys[i] = keys[child]!;
      events[i] = events[child]!;
      i = child;
    }
    times[i] = time;
    keys[i] = key;
    events[i] = event;
  }
}
