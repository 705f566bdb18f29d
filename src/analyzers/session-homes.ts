/**
 * Where each live session "lives": the backend that served its latest request, and how many live
 * sessions each backend holds. Kept per session slot in typed arrays. Only sessions seen starting
 * are followed, so sessions that began before measurement (a warm-up) are never counted.
 */
import { grown } from '../engine/index.js';

const UNTRACKED = -2;
const NOWHERE = -1;

export class SessionHomes {
  /** Live sessions per backend. */
  readonly live: Int32Array;
  private home = new Int32Array(1024).fill(UNTRACKED);

  constructor(backends: number) {
    this.live = new Int32Array(backends);
  }

  /** A session starts in `slot`, not yet served by any backend. */
  start(slot: number): void {
    if (slot >= this.home.length) {
      const old = this.home.length;
      this.home = grown(this.home, Math.max(slot + 1, old * 2));
      this.home.fill(UNTRACKED, old);
    }
    this.home[slot] = NOWHERE;
  }

  /** `backend` served the session in `slot`; true when that moved it (the backend gained a session). */
  servedBy(slot: number, backend: number): boolean {
    const previous = this.homeOf(slot);
    if (previous === UNTRACKED || previous === backend) return false;
    if (previous >= 0) this.live[previous]!--;
    this.home[slot] = backend;
    this.live[backend]!++;
    return true;
  }

  /** The session in `slot` ended. */
  end(slot: number): void {
    const previous = this.homeOf(slot);
    if (previous >= 0) this.live[previous]!--;
    if (slot < this.home.length) this.home[slot] = UNTRACKED;
  }

  /** A slot beyond the array belongs to a session never seen starting. */
  private homeOf(slot: number): number {
    return slot < this.home.length ? this.home[slot]! : UNTRACKED;
  }
}
