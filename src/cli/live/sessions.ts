/**
 * The sessions a live run replays: exactly those `lbsim run` simulates, as `lbsim sessions --jsonl`
 * exports them (issue 21), in the shape the load driver sends.
 */
import type { Scenario } from '../../scenario/index.js';
import { exportSessions } from '../../sim/index.js';

export interface LiveRequest {
  /** Service demand at speed 1, ms (already divided by the time scale). */
  readonly serviceMs: number;
  readonly writes: boolean;
}

export interface LiveStep {
  readonly name: string;
  readonly method: string;
  readonly needsSession: boolean;
  /** The client address the step is sent from (X-Forwarded-For). */
  readonly address: string;
  readonly requests: readonly LiveRequest[];
  /** Think time after the step, ms. */
  readonly thinkMs: number;
}

export interface LiveSession {
  /** 0-based, in arrival order. */
  readonly index: number;
  /** The id the client sends (X-Session-Id). */
  readonly id: string;
  readonly arrivalMs: number;
  readonly refusesCookies: boolean;
  /** The step after which the user leaves. */
  readonly lastStep: number;
  /** What the order pays if the session completes. */
  readonly orderValue: number;
  readonly steps: readonly LiveStep[];
}

export function liveSessions(scenario: Scenario): LiveSession[] {
  return Array.from(exportSessions(scenario), (session): LiveSession => ({
    index: session.index,
    id: session.id,
    arrivalMs: session.atMs,
    refusesCookies: session.refusesCookies,
    lastStep: session.abandonsAfterStep ?? session.steps.length - 1,
    orderValue: session.orderValue,
    steps: session.steps.map((step): LiveStep => ({
      name: step.name,
      method: step.method,
      needsSession: step.needsSession,
      address: step.client,
      requests: step.serviceMs.map((serviceMs, r) => ({ serviceMs, writes: r < step.writingRequests })),
      thinkMs: step.thinkMsAfter ?? 0,
    })),
  }));
}
