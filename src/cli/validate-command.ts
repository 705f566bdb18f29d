/**
 * `lbsim validate <scenario..> [--json]`: check scenario files (or bundled scenarios by name)
 * without running them, each file's verdict on its own line: valid ones on stdout, every error of
 * an invalid one on stderr (`file:line:column: field: message`). Exit 2 when any is invalid.
 * `--json` prints one document, `{ ok, files: [{ file, ok, scenario | errors }] }`, and nothing else.
 */
import { nginxWorkerNote } from '../report/index.js';
import { formatScenarioErrors, type ScenarioError } from '../scenario/index.js';
import type { Io } from './io.js';
import { loadScenario } from './run-command.js';

export interface ValidateArgs {
  readonly scenarios: readonly string[];
  readonly json: boolean;
}

/** One error as data, with its `file:line:column` (or the file alone when the spot is unknown). */
const errorJson = (e: ScenarioError) => ({
  at: e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`,
  file: e.file,
  line: e.line ?? null,
  column: e.line === undefined ? null : (e.column ?? 1),
  path: e.path,
  message: e.message,
  suggestion: e.suggestion ?? null,
});

export async function validateCommand(args: ValidateArgs, io: Io): Promise<number> {
  const verdicts = [];
  // What lbsim models of the balancers these files name, said once after the verdicts.
  const notes = new Set<string>();
  for (const file of args.scenarios) {
    const result = await loadScenario(file, io, {});
    if (result.ok) {
      const { name, strategies, backends, sessions } = result.scenario;
      const workers = nginxWorkerNote(strategies.map((s) => s.balancer.method));
      if (!args.json) io.stdout.write(`${file}: valid scenario "${name}": ${strategies.length} strategies, ${backends.length} backends, ${sessions ?? 'window-limited'} sessions\n`);
      if (workers !== undefined) notes.add(workers);
      verdicts.push({ file, ok: true as const, scenario: { name, strategies: strategies.length, backends: backends.length, sessions: sessions ?? null, ...(workers === undefined ? {} : { note: workers }) } });
    } else {
      if (!args.json) io.stderr.write(formatScenarioErrors(result.errors));
      verdicts.push({ file, ok: false as const, errors: result.errors.map(errorJson) });
    }
  }
  const invalid = verdicts.filter((v) => !v.ok).length;
  if (!args.json) for (const note of notes) io.stdout.write(`note: ${note}\n`);
  if (args.json) io.stdout.write(`${JSON.stringify({ ok: invalid === 0, files: verdicts }, null, 2)}\n`);
  else if (invalid > 0 && verdicts.length > 1) io.stderr.write(`lbsim validate: ${invalid} of ${verdicts.length} scenarios invalid\n`);
  return invalid === 0 ? 0 : 2;
}
