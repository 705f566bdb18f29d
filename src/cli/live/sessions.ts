/**
 * The sessions a live run replays, drawn by the simulator's own workload from the scenario's
 * seed: exactly those `lbsim run` simulates. (Issue 21's `lbsim sessions --jsonl` export is the
 * same data; this one function is the place to read it from instead.)
 */
import { PlanTable, Workload } from '../../model/index.js';
import type { Scenario } from '../../scenario/index.js';
import { runRng, workloadSpec } from '../../sim/index.js';

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
  readonly steps: readonly LiveStep[];
}

export function liveSessions(scenario: Scenario): LiveSession[] {
  const workload = new Workload(workloadSpec(scenario), runRng(scenario.seed).root);
  const journey = scenario.journey.steps;
  const table = new PlanTable(journey.length, workload.requestOffsets[workload.requestOffsets.length - 1]!);
  const sessions: LiveSession[] = [];
  while (workload.fill(table, 0)) {
    const plan = table.plan(0);
    const steps = journey.map((step, k): LiveStep => {
      const count = table.requestsAt[k]!;
      const first = workload.requestOffsets[k]!;
      return {
        name: step.name,
        method: step.method,
        needsSession: step.needsSession,
        address: plan.addressAt(k).text,
        requests: Array.from({ length: count }, (_, r) => ({ serviceMs: plan.serviceMs[first + r]!, writes: r < step.writers })),
        thinkMs: plan.thinkMs[k] ?? 0,
      };
    });
    sessions.push({ index: plan.index, id: plan.id, arrivalMs: plan.arrivalMs, refusesCookies: table.refusesCookies[0] === 1, lastStep: plan.lastStep, steps });
  }
  return sessions;
}
