/**
 * A scenario's sessions as plain records (`lbsim sessions`), and the session source of a run:
 * the generator, or recorded sessions replayed in its place. Sessions are drawn from the
 * workload's own streams, never a strategy's, so they are the same for every strategy.
 */
import { exportedSessionProblem, exportSession, PlanTable, RecordedSessions, Workload, type ExportedSession, type SessionSource } from '../model/index.js';
import type { Scenario } from '../scenario/index.js';
import { runRng, type RunRng } from './rng.js';
import { workloadSpec } from './run-config.js';

/** The scenario's sessions in arrival order (warm-up included), one record at a time. */
export function* exportSessions(scenario: Scenario): Generator<ExportedSession> {
  const workload = new Workload(workloadSpec(scenario), runRng(scenario.seed).root);
  const offsets = workload.requestOffsets;
  const steps = scenario.journey.steps;
  const table = new PlanTable(steps.length, offsets[offsets.length - 1]!);
  while (workload.fill(table, 0)) yield exportSession(table, 0, steps, offsets, scenario.stores.shared.notSerializable);
}

/**
 * The first problem with replaying `records` in `scenario` (a record that does not fit its
 * journey, or sessions out of arrival order), naming the record by its position; undefined when
 * they can be replayed.
 */
export function recordedSessionsProblem(records: readonly unknown[], scenario: Scenario): string | undefined {
  let previous = -Infinity;
  for (let i = 0; i < records.length; i++) {
    const problem = exportedSessionProblem(records[i], scenario.journey.steps);
    if (problem !== undefined) return `session ${i + 1}: ${problem}`;
    const atMs = (records[i] as ExportedSession).atMs;
    if (atMs < previous) return `session ${i + 1}: arrives at ${atMs} ms, before the session above it (${previous} ms): sessions must be in arrival order`;
    previous = atMs;
  }
  return undefined;
}

/** Where a run's sessions come from: the records when given (checked by `recordedSessionsProblem`), else the scenario's generator. */
export function sessionSource(scenario: Scenario, rng: RunRng, recorded: readonly ExportedSession[] | undefined): SessionSource {
  const workload = new Workload(workloadSpec(scenario), rng.root);
  return recorded === undefined ? workload : new RecordedSessions(recorded, workload.requestOffsets);
}
