/**
 * Where each live session "lives": the backend that served its latest request, how many live
 * sessions each backend holds, and the most it held. Kept per session slot in typed arrays. Only
 * sessions seen starting are followed, so sessions that began before measurement (a warm-up) are
 * never counted. One instance serves the load-skew analyzer (peaks) and the time series (live
 * counts at each window's end).
 */
import { grown } from '../engine/index.js';
import { IGNORED, type EventHandling } from '../model/index.js';

const UNTRACKED = -2;
const NOWHERE = -1;

export class SessionHomes {
  /** Live sessions per backend. */
  readonly live: Int32Array;
  /** The most live sessions each backend held at once. */
  readonly peaks: Int32Array;
  private home = new Int32Array(1024).fill(UNTRACKED);

  constructor(backends: number) {
    this.live = new Int32Array(backends);
    this.peaks = new Int32Array(backends);
  }

  readonly on: EventHandling = {
    'session-start': (event) => this.start(event.slot),
    'request-start': IGNORED,
    'attempt-end': IGNORED,
    'request-end': (event) => {
      if (event.backend >= 0) this.servedBy(event.slot, event.backend);
    },
    'session-end': (event) => this.end(event.slot),
    'backend-state': IGNORED,
    'scenario-event': IGNORED,
  };

  /** A session starts in `slot`, not yet served by any backend. */
  private start(slot: number): void {
    if (slot >= this.home.length) {
      const old = this.home.length;
      this.home = grown(this.home, Math.max(slot + 1, old * 2));
      this.home.fill(UNTRACKED, old);
    }
    this.home[slot] = NOWHERE;
  }

  /** `backend` served the session in `slot`: it moves there if it lived elsewhere. */
  private servedBy(slot: number, backend: number): void {
    const previous = this.homeOf(slot);
    if (previous === UNTRACKED || previous === backend) return;
    if (previous >= 0) this.live[previous]!--;
    this.home[slot] = backend;
    const live = ++this.live[backend]!;
    if (live > this.peaks[backend]!) this.peaks[backend] = live;
  }

  /** The session in `slot` ended. */
  private end(slot: number): void {
    const previous = this.homeOf(slot);
    if (previous >= 0) this.live[previous]!--;
    if (slot < this.home.length) this.home[slot] = UNTRACKED;
  }

  /** A slot beyond the array belongs to a session never seen starting. */
  private homeOf(slot: number): number {
    return slot < this.home.length ? this.home[slot]! : UNTRACKED;
  }
}
