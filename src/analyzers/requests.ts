/**
 * Client requests and upstream attempts: every client request ends completed (an answer),
 * failed (502/504 from the balancer) or rejected (503: the backend's queue was full), so
 * completed + failed + rejected = total. Attempts count every try of every request, and
 * `sentToDeadBackend` those that went to a backend that was not up. Concurrent requests of one
 * session add lost updates (shared cache without locking) and lock waits (with locking).
 */
import { IGNORED, type EventHandling } from '../model/index.js';
import type { Analyzer } from './analyzer.js';

export interface RequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly rejected: number;
  readonly attempts: number;
  readonly sentToDeadBackend: number;
  /** Updates overwritten by concurrent requests of the same session (shared cache without locking). */
  readonly lostUpdates: number;
  /** Lost updates per journey step. */
  readonly lostUpdatesByStep: readonly number[];
  /** Requests that waited for the session lock, their total wait (ms), and those that gave up. */
  readonly lockWaits: number;
  readonly lockWaitMs: number;
  readonly lockTimeouts: number;
}

export class RequestsAnalyzer implements Analyzer<RequestCounts> {
  readonly name = 'requests';
  private total = 0;
  private completed = 0;
  private failed = 0;
  private rejected = 0;
  private attempts = 0;
  private sentToDeadBackend = 0;
  private lostUpdates = 0;
  private readonly lostByStep: number[];
  private lockWaits = 0;
  private lockWaitMs = 0;
  private lockTimeouts = 0;

  constructor(steps: number) {
    this.lostByStep = new Array<number>(steps).fill(0);
  }

  readonly on: EventHandling = {
    'session-start': IGNORED,
    'request-start': () => {
      this.total++;
    },
    'attempt-end': (event) => {
      this.attempts++;
      if (event.backendDown) this.sentToDeadBackend++;
    },
    'request-end': (event) => {
      if (event.lostUpdates > 0) {
        this.lostUpdates += event.lostUpdates;
        this.lostByStep[event.step]! += event.lostUpdates;
      }
      if (event.lockWaitMs > 0) {
        this.lockWaits++;
        this.lockWaitMs += event.lockWaitMs;
      }
      if (event.lockTimedOut) this.lockTimeouts++;
      if (event.outcome === 'completed') this.completed++;
      else if (event.outcome === 'failed') this.failed++;
      else this.rejected++;
    },
    'session-end': IGNORED,
    'backend-state': IGNORED,
    'scenario-event': IGNORED,
  };

  finish(): RequestCounts {
    return {
      total: this.total,
      completed: this.completed,
      failed: this.failed,
      rejected: this.rejected,
      attempts: this.attempts,
      sentToDeadBackend: this.sentToDeadBackend,
      lostUpdates: this.lostUpdates,
      lostUpdatesByStep: [...this.lostByStep],
      lockWaits: this.lockWaits,
      lockWaitMs: this.lockWaitMs,
      lockTimeouts: this.lockTimeouts,
    };
  }
}
