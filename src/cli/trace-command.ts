/**
 * `lbsim trace <scenario> --session N | --client IP`: one user's story under each strategy.
 */
import { renderTrace } from '../report/index.js';
import { COMMAND_LINE, formatScenarioErrors } from '../scenario/index.js';
import { findSessionByClient, traceSession } from '../sim/index.js';
import type { Io } from './io.js';
import { loadScenario } from './run-command.js';

export interface TraceArgs {
  readonly scenario: string;
  readonly session: number | undefined;
  readonly client: string | undefined;
  readonly strategy: string | undefined;
  readonly seed: string | undefined;
  readonly sessions?: number | undefined;
  /** `--set PATH=VALUE` options, one value each. */
  readonly set?: readonly string[] | undefined;
  readonly json: boolean;
}

export async function traceCommand(args: TraceArgs, io: Io): Promise<number> {
  if ((args.session === undefined) === (args.client === undefined)) {
    io.stderr.write(`${COMMAND_LINE}: give one of --session N (1-based, in arrival order) or --client IP\n`);
    return 2;
  }
  if (args.session !== undefined && !(Number.isInteger(args.session) && args.session >= 1)) {
    io.stderr.write(`${COMMAND_LINE}: --session: expected a session number, 1 or more, got ${args.session}\n`);
    return 2;
  }
  const loaded = await loadScenario(args.scenario, io, { seed: args.seed, strategy: args.strategy, sessions: args.sessions, set: args.set });
  if (!loaded.ok) {
    io.stderr.write(formatScenarioErrors(loaded.errors));
    return 2;
  }
  const scenario = loaded.scenario;
  const index = args.session !== undefined ? args.session - 1 : findSessionByClient(scenario, args.client!);
  const trace = index === undefined ? undefined : traceSession(scenario, index);
  if (!trace) {
    io.stderr.write(`${COMMAND_LINE}: ${args.session !== undefined ? `there is no session ${args.session} in this scenario` : `no session comes from ${args.client}`}\n`);
    return 2;
  }
  io.stdout.write(args.json ? `${JSON.stringify(trace, null, 2)}\n` : renderTrace(trace));
  return 0;
}
