/**
 * `lbsim run` and `lbsim validate`: read a scenario, validate it, run it, print the comparison
 * table (or the summary JSON with --json) and write summary.json, summary.csv, timeseries.csv and
 * report.html as one output set, replaced whole (output-set.ts).
 */
import { COMMAND_LINE, formatScenarioErrors, LIMITS, listNames, parseScenarioText, parseSetOptions, type Loaded, type ScenarioError, type ScenarioOverrides, type SetValue } from '../scenario/index.js';
import { readAuxiliaryFile, type Io } from './io.js';
import { emitJobs, mergeJobs, type ClusterOptions, type MergeArgs } from './job-command.js';
import { runJobsHere } from './job-outputs.js';
import { planJobs } from './job-plan.js';
import { defaultThreads } from './parallel.js';
import { readScenarioText } from './scenario-source.js';

/** The options `lbsim run` and `lbsim sweep` share. */
export interface ScenarioRunArgs {
  readonly scenario: string;
  readonly seed: string | undefined;
  readonly sessions: number | undefined;
  readonly strategy: string | undefined;
  readonly out: string | undefined;
  readonly json: boolean;
  /** Worker threads; undefined: the number of cores for large runs. */
  readonly threads: number | undefined;
  /** Independent seeds to run (with 95% intervals); undefined: 1. */
  readonly replications?: number | undefined;
}

export interface RunArgs extends ScenarioRunArgs {
  /** `--set PATH=VALUE` options: fields of the scenario replaced. */
  readonly set?: readonly string[] | undefined;
  /** Write the replications as jobs to this folder instead of running them. */
  readonly emitJobs?: string | undefined;
  /** The Kubernetes Job's image, volume and parallelism (with `emitJobs`). */
  readonly cluster?: ClusterOptions | undefined;
}

/** A file-system-safe folder name for a scenario name. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

/** The options of a command that loads one scenario: overrides, and `--set PATH=VALUE` (one value each). */
export type LoadOptions = Omit<ScenarioOverrides, 'set'> & { readonly set?: readonly string[] | undefined };

/** Reads (a file, or a bundled scenario by name), overrides and validates a scenario (`run`, `validate`, `trace`): the scenario, or every error found. */
export async function loadScenario(file: string, io: Io, options: LoadOptions): Promise<Loaded> {
  const sets = runSets(options.set ?? []);
  if (!sets.ok) return sets;
  const source = await readScenarioText(file, io);
  if (!('text' in source)) return { ok: false, errors: source };
  return parseScenarioText(source.text, source.file, { ...options, set: sets.set }, readAuxiliaryFile);
}

/** `--threads` and `--replications` (of run and sweep) checked: the error line to print, or undefined. */
export function checkRunOptions(threads: number | undefined, replications: number | undefined): string | undefined {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) return `${COMMAND_LINE}: --threads: expected a whole number of threads, 1 or more, got ${threads}\n`;
  if (replications !== undefined && !(Number.isInteger(replications) && replications >= 1 && replications <= LIMITS.replications)) return `${COMMAND_LINE}: --replications: expected a whole number from 1 to ${LIMITS.replications}, got ${replications}\n`;
  return undefined;
}

/** `--set PATH=VALUE` options of `lbsim run` and `trace`: one value each. */
function runSets(options: readonly string[]): { readonly ok: true; readonly set: readonly SetValue[] } | { readonly ok: false; readonly errors: readonly ScenarioError[] } {
  const parsed = parseSetOptions(options);
  if (!parsed.ok) return parsed;
  const several = parsed.sets.filter((s) => s.values.length > 1);
  if (several.length > 0) {
    const errors = several.map((s) => ({ file: COMMAND_LINE, path: `--set ${s.path}`, message: `lbsim run takes one value per field, got ${s.values.length} (${listNames(s.values, 5, ' and ')}); lbsim sweep runs each of them` }));
    return { ok: false, errors };
  }
  return { ok: true, set: parsed.sets.map((s) => ({ path: s.path, value: s.values[0]! })) };
}

export async function runCommand(args: RunArgs | MergeArgs, io: Io): Promise<number> {
  if ('merge' in args) return mergeJobs('run', args, io);
  const fail = (text: string) => {
    io.stderr.write(text);
    return 2;
  };
  const sets = runSets(args.set ?? []);
  if (!sets.ok) return fail(formatScenarioErrors(sets.errors));
  const source = await readScenarioText(args.scenario, io);
  if (!('text' in source)) return fail(formatScenarioErrors(source));
  const { text, file } = source;
  const optionError = checkRunOptions(args.threads, args.replications);
  const replications = args.replications ?? 1;
  const parameters = sets.set.map((s) => ({ path: s.path, values: [s.value] }));
  const planned = planJobs({ command: 'run', file, text, overrides: { seed: args.seed, sessions: args.sessions, strategy: args.strategy }, parameters, replications: optionError === undefined ? replications : 1, display: {} });
  if (!planned.ok) return fail(planned.message);
  if (optionError !== undefined) return fail(optionError);
  if (args.emitJobs !== undefined) return emitJobs(planned, args, io);

  // Every replication is a job; all their strategies share one worker pool.
  const loaded = planned.jobs[0]!.scenario;
  const seeds = replications > 1 ? `, ${replications} replications (seeds ${planned.plan.seed}/rep/0 … /rep/${replications - 1})` : '';
  const announce = `lbsim: running ${loaded.strategies.length} strategies of ${loaded.name}${seeds}…`;
  await runJobsHere(planned, { out: args.out, json: args.json, threads: args.threads ?? defaultThreads(loaded, replications), announce }, io);
  return 0;
}
