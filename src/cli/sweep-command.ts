/**
 * `lbsim sweep <scenario> --set PATH=V1,V2,… [--set …] [--replications N] [--metric ID …] [--log]`:
 * the scenario run at every point of the grid of the given values (the first `--set` varies
 * slowest), each point with N replications, every (point, replication, strategy) one task of one
 * worker pool. Every point and every `--metric` name is checked before anything runs;
 * `sweep.csv`, `sweep.html` and `sweep.json` are written only once everything has succeeded.
 * The sweep is planned as jobs (job-plan.ts): run here, all in one pool, or written to a folder
 * with `--emit-jobs DIR` for a cluster, then merged with `--merge DIR` into the same files.
 */
import { combinations, SWEEP_METRICS, type SweepParameter } from '../report/index.js';
import { closestMatch, COMMAND_LINE, formatScenarioErrors, LIMITS, listNames, parseSetOptions } from '../scenario/index.js';
import type { Io } from './io.js';
import { emitJobs, mergeJobs, type ClusterOptions, type MergeArgs } from './job-command.js';
import { runJobsHere } from './job-outputs.js';
import { planJobs } from './job-plan.js';
import { defaultThreads } from './parallel.js';
import { checkRunOptions, type ScenarioRunArgs } from './run-command.js';
import { readScenarioText } from './scenario-source.js';

export interface SweepArgs extends ScenarioRunArgs {
  /** `PATH=V1,V2,…` per swept field. */
  readonly set: readonly string[];
  /** Figures for the terminal, by their id in sweep.csv; by default those that change across the grid. */
  readonly metric?: readonly string[] | undefined;
  /** Chart the first swept field on a log axis. */
  readonly log?: boolean | undefined;
  /** Write the jobs of the sweep to this folder instead of running it. */
  readonly emitJobs?: string | undefined;
  /** The Kubernetes Job's image, volume and parallelism (with `emitJobs`). */
  readonly cluster?: ClusterOptions | undefined;
}

/** Why a `--metric` name is refused (with the closest figure's id), or undefined when every one is a figure. */
function metricProblem(names: readonly string[]): string | undefined {
  const ids = SWEEP_METRICS.map((m) => m.id);
  const unknown = names.find((name) => !ids.includes(name));
  if (unknown === undefined) return undefined;
  const guess = closestMatch(unknown, ids);
  return `${COMMAND_LINE}: --metric: no figure is named ${JSON.stringify(unknown)}${guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`}; the figures are ${listNames(ids, ids.length, ' and ')}\n`;
}

/** Points × replications a sweep may run: beyond this, a typo in a value list would run for days. */
export const MAX_SWEEP_RUNS = LIMITS.sweepRuns;

export async function sweepCommand(args: SweepArgs | MergeArgs, io: Io): Promise<number> {
  if ('merge' in args) return mergeJobs('sweep', args, io);
  const fail = (text: string) => {
    io.stderr.write(text);
    return 2;
  };
  if (args.set.length === 0) return fail(`${COMMAND_LINE}: --set: name a field to sweep and its values, such as --set clients.nat.share=0,0.1,0.2\n`);
  const parsed = parseSetOptions(args.set);
  if (!parsed.ok) return fail(formatScenarioErrors(parsed.errors));
  const optionError = checkRunOptions(args.threads, args.replications) ?? metricProblem(args.metric ?? []);
  if (optionError !== undefined) return fail(optionError);
  const metrics = args.metric === undefined || args.metric.length === 0 ? undefined : [...new Set(args.metric)];
  const parameters: readonly SweepParameter[] = parsed.sets;
  const grid = combinations(parameters.map((p) => p.values));
  const replications = args.replications ?? 1;
  if (grid.length * replications > MAX_SWEEP_RUNS) {
    return fail(`${COMMAND_LINE}: --set: ${grid.length.toLocaleString('en-US')} points × ${replications} replications is more than ${MAX_SWEEP_RUNS.toLocaleString('en-US')} runs of the scenario; sweep fewer values\n`);
  }

  const source = await readScenarioText(args.scenario, io);
  if (!('text' in source)) return fail(formatScenarioErrors(source));
  const { text, file } = source;
  // Every point is validated before anything runs (or any job is emitted).
  const planned = planJobs({ command: 'sweep', file, text, overrides: { seed: args.seed, sessions: args.sessions, strategy: args.strategy }, parameters, replications, display: { metrics, log: args.log === true ? true : undefined } });
  if (!planned.ok) return fail(planned.message);
  if (args.emitJobs !== undefined) return emitJobs(planned, args, io);

  const runs = planned.jobs.map((job) => job.scenario);
  const total = runs.reduce((n, s) => n + s.strategies.length, 0);
  const announce = `lbsim: sweeping ${runs[0]!.name}: ${grid.length} points × ${replications} replication${replications === 1 ? '' : 's'}, ${total} strategy runs…`;
  const threads = args.threads ?? Math.max(...runs.map((s) => defaultThreads(s, runs.length)));
  await runJobsHere(planned, { out: args.out, json: args.json, threads, announce }, io);
  return 0;
}
