/**
 * `lbsim sessions <scenario> --jsonl`: the scenario's sessions, one JSON line each (the format of
 * docs/sessions.md), for a load tool to replay exactly what `lbsim run` simulates. Without
 * `--jsonl`, one line of words per session. Sessions are printed as they are drawn, a chunk at a
 * time, so memory stays flat however many there are.
 */
import { formatScenarioErrors } from '../scenario/index.js';
import type { ExportedSession } from '../model/index.js';
import { exportSessions } from '../sim/index.js';
import type { Io, OutputStream } from './io.js';
import { loadScenario } from './run-command.js';

export interface SessionsArgs {
  readonly scenario: string;
  readonly seed: string | undefined;
  readonly sessions: number | undefined;
  /** Checked to name a strategy of the scenario; the sessions are the same for every strategy. */
  readonly strategy: string | undefined;
  /** `--set PATH=VALUE` options, one value each. */
  readonly set?: readonly string[] | undefined;
  readonly jsonl: boolean;
}

/** Lines written at once. */
const CHUNK_LINES = 512;

export async function sessionsCommand(args: SessionsArgs, io: Io): Promise<number> {
  const loaded = await loadScenario(args.scenario, io, { seed: args.seed, sessions: args.sessions, strategy: args.strategy, set: args.set });
  if (!loaded.ok) {
    io.stderr.write(formatScenarioErrors(loaded.errors));
    return 2;
  }
  const describe = args.jsonl ? (s: ExportedSession) => JSON.stringify(s) : inWords;
  let lines: string[] = [];
  for (const session of exportSessions(loaded.scenario)) {
    lines.push(describe(session));
    if (lines.length === CHUNK_LINES) {
      await write(io.stdout, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) await write(io.stdout, `${lines.join('\n')}\n`);
  return 0;
}

/** One session in words: `s3 at 1.204 s from 81.2.0.7: 6 steps, leaves after step 2 (search); refuses cookies`. */
function inWords(s: ExportedSession): string {
  const clients = [...new Set(s.steps.map((step) => step.client))];
  const leaves = s.abandonsAfterStep === null ? 'goes all the way' : `leaves after step ${s.abandonsAfterStep + 1} (${s.steps[s.abandonsAfterStep]!.name})`;
  const requests = s.steps.reduce((n, step) => n + step.requests, 0);
  const flags = [s.refusesCookies ? 'refuses cookies' : '', s.notSerializable ? 'state not serializable' : ''].filter(Boolean);
  return `${s.id} at ${(s.atMs / 1000).toFixed(3)} s from ${clients.join(' → ')}: ${s.steps.length} steps, ${requests} requests, ${leaves}${flags.length > 0 ? `; ${flags.join(', ')}` : ''}`;
}

/** Writes, waiting for a full pipe to drain. */
async function write(stream: OutputStream, text: string): Promise<void> {
  const drains = stream as OutputStream & { once?: (event: 'drain', listener: () => void) => unknown };
  if (stream.write(text) === false && typeof drains.once === 'function') await new Promise<void>((resolve) => drains.once!('drain', resolve));
}
