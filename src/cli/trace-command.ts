/**
 * `lbsim trace <scenario> --session N | --client IP | --broken [--cause C]`: one user's story
 * under each strategy. `--broken` follows the first session any strategy broke (with cause C);
 * when none broke so, that is an answer, not bad input: a message on stdout (`null` with --json)
 * and exit 0.
 */
import { BREAK_CAUSES, type BreakCause } from '../model/index.js';
import { renderTrace } from '../report/index.js';
import { closestMatch, COMMAND_LINE, formatScenarioErrors } from '../scenario/index.js';
import { findBrokenSession, findSessionByClient, traceSession } from '../sim/index.js';
import type { Io } from './io.js';
import { loadScenario } from './run-command.js';

export interface TraceArgs {
  readonly scenario: string;
  readonly session: number | undefined;
  readonly client: string | undefined;
  /** Follow the first broken session (implied by `cause`). */
  readonly broken?: boolean | undefined;
  /** With `broken`: the first session broken by this cause. */
  readonly cause?: string | undefined;
  readonly strategy: string | undefined;
  readonly seed: string | undefined;
  readonly sessions?: number | undefined;
  /** `--set PATH=VALUE` options, one value each. */
  readonly set?: readonly string[] | undefined;
  readonly json: boolean;
}

const isCause = (name: string): name is BreakCause => (BREAK_CAUSES as readonly string[]).includes(name);

/** Why the options cannot say which session to follow, or undefined. */
function choiceProblem(args: TraceArgs, broken: boolean): string | undefined {
  const given = [args.session !== undefined, args.client !== undefined, broken].filter(Boolean).length;
  if (given !== 1) return 'give one of --session N (1-based, in arrival order), --client IP or --broken [--cause C]';
  if (args.session !== undefined && !(Number.isInteger(args.session) && args.session >= 1)) return `--session: expected a session number, 1 or more, got ${args.session}`;
  if (args.cause !== undefined && !isCause(args.cause)) {
    const guess = closestMatch(args.cause, BREAK_CAUSES);
    return `--cause: no break cause is named ${JSON.stringify(args.cause)}${guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`}; the causes are ${BREAK_CAUSES.join(', ')}`;
  }
  return undefined;
}

export async function traceCommand(args: TraceArgs, io: Io): Promise<number> {
  const broken = args.broken === true || args.cause !== undefined;
  const problem = choiceProblem(args, broken);
  if (problem !== undefined) {
    io.stderr.write(`${COMMAND_LINE}: ${problem}\n`);
    return 2;
  }
  const loaded = await loadScenario(args.scenario, io, { seed: args.seed, strategy: args.strategy, sessions: args.sessions, set: args.set });
  if (!loaded.ok) {
    io.stderr.write(formatScenarioErrors(loaded.errors));
    return 2;
  }
  const scenario = loaded.scenario;
  if (broken) {
    const cause = args.cause as BreakCause | undefined;
    const search = findBrokenSession(scenario, cause);
    if (search.index === undefined) {
      io.stdout.write(args.json ? 'null\n' : noneBroke(scenario.name, cause, search.brokenByCause));
      return 0;
    }
    io.stdout.write(render(traceSession(scenario, search.index)!, args.json));
    return 0;
  }
  const index = args.session !== undefined ? args.session - 1 : findSessionByClient(scenario, args.client!);
  const trace = index === undefined ? undefined : traceSession(scenario, index);
  if (!trace) {
    io.stderr.write(`${COMMAND_LINE}: ${args.session !== undefined ? `there is no session ${args.session} in this scenario` : `no session comes from ${args.client}`}\n`);
    return 2;
  }
  io.stdout.write(render(trace, args.json));
  return 0;
}

const render = (trace: NonNullable<ReturnType<typeof traceSession>>, json: boolean) => (json ? `${JSON.stringify(trace, null, 2)}\n` : renderTrace(trace));

/** The answer when no session broke (with `cause`): and which causes did break sessions. */
function noneBroke(name: string, cause: BreakCause | undefined, byCause: Readonly<Partial<Record<BreakCause, number>>>): string {
  const seen = BREAK_CAUSES.filter((c) => (byCause[c] ?? 0) > 0).map((c) => `${c} (${byCause[c]})`);
  if (cause === undefined) return `no session broke under any strategy of ${name}: nothing to trace\n`;
  return `no session broke with cause ${cause} under any strategy of ${name}; ${seen.length === 0 ? 'no session broke at all' : `sessions broke with ${seen.join(', ')}`}\n`;
}
