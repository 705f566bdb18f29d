/**
 * `lbsim sweep <scenario> --set PATH=V1,V2,… [--set …] [--replications N] [--metric ID …] [--log]`:
 * the scenario run at every point of the grid of the given values (the first `--set` varies
 * slowest), each point with N replications, every (point, replication, strategy) one task of one
 * worker pool. Every point and every `--metric` name is checked before anything runs;
 * `sweep.csv`, `sweep.html` and `sweep.json` are written only once everything has succeeded, as
 * one output set replaced whole (output-set.ts).
 */
import { join } from 'node:path';
import { buildSummary, buildSweep, combinations, pointLabel, renderJson, renderSweepCsv, renderSweepHtml, renderSweepTerminal, SWEEP_METRICS, type Summary, type SweepParameter } from '../report/index.js';
import { closestMatch, COMMAND_LINE, formatScenarioErrors, LIMITS, listNames, parseScenarioText, parseSetOptions, type Scenario } from '../scenario/index.js';
import { replications as replicate } from '../sim/index.js';
import { LBSIM_VERSION } from '../version.js';
import { readAuxiliaryFile, type Io } from './io.js';
import { defaultThreads, runScenariosThreaded } from './parallel.js';
import { progressPrinter } from './progress.js';
import type { OutputSet } from './output-set.js';
import { readHtmlAssets } from './report-command.js';
import { checkRunOptions, slug, type ScenarioRunArgs } from './run-command.js';
import { readScenarioText } from './scenario-source.js';

export interface SweepArgs extends ScenarioRunArgs {
  /** `PATH=V1,V2,…` per swept field. */
  readonly set: readonly string[];
  /** Figures for the terminal, by their id in sweep.csv; by default those that change across the grid. */
  readonly metric?: readonly string[] | undefined;
  /** Chart the first swept field on a log axis. */
  readonly log?: boolean | undefined;
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
/** Invalid points whose errors are printed; the rest are counted. */
const MAX_REPORTED_POINTS = 10;

export async function sweepCommand(args: SweepArgs, io: Io): Promise<number> {
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
  // Every point is validated before anything runs.
  const scenarios: Scenario[] = [];
  const invalid: string[] = [];
  for (const values of grid) {
    const set = parameters.map((p, i) => ({ path: p.path, value: values[i]! }));
    const loaded = parseScenarioText(text, file, { seed: args.seed, sessions: args.sessions, strategy: args.strategy, set }, readAuxiliaryFile);
    if (loaded.ok) scenarios.push(loaded.scenario);
    else invalid.push(formatScenarioErrors(loaded.errors).replace(/^(?=.)/gm, `at ${pointLabel(parameters, values)}: `));
  }
  if (invalid.length > 0) {
    const more = invalid.length - MAX_REPORTED_POINTS;
    return fail(`${invalid.slice(0, MAX_REPORTED_POINTS).join('')}${more > 0 ? `… and ${more} more invalid point${more === 1 ? '' : 's'}\n` : ''}`);
  }

  const first = scenarios[0]!;
  const outDir = args.out ?? join('reports', `${slug(first.name)}-sweep`);
  const output = await io.reserveOutputSet(outDir, 'sweep', SWEEP_FILES);
  try {
    return await sweepAndWrite({ args, file, scenarios, parameters, grid, metrics, outDir, output }, io);
  } finally {
    await output.release();
  }
}

/** The files of a sweep's output set, in the order they are written. */
const SWEEP_FILES = ['sweep.json', 'sweep.csv', 'sweep.html'] as const;

interface SweepPlan {
  readonly args: SweepArgs;
  /** The scenario file as the user named it (or the bundled file a name stands for). */
  readonly file: string;
  readonly scenarios: readonly Scenario[];
  readonly parameters: readonly SweepParameter[];
  readonly grid: readonly (readonly string[])[];
  readonly metrics: readonly string[] | undefined;
  readonly outDir: string;
  readonly output: OutputSet;
}

async function sweepAndWrite({ args, file, scenarios, parameters, grid, metrics, outDir, output }: SweepPlan, io: Io): Promise<number> {
  const replications = args.replications ?? 1;
  const first = scenarios[0]!;
  const progress = io.isTTY && !args.json;
  const started = io.now();
  const runs = scenarios.flatMap((s) => replicate(s, replications));
  const total = runs.reduce((n, s) => n + s.strategies.length, 0);
  if (progress) io.stderr.write(`lbsim: sweeping ${first.name}: ${grid.length} points × ${replications} replication${replications === 1 ? '' : 's'}, ${total} strategy runs…\n`);
  const threads = args.threads ?? Math.max(...scenarios.map((s) => defaultThreads(s, runs.length)));
  const results = await runScenariosThreaded(runs, threads, progress ? progressPrinter(io, started) : undefined);
  const runTimeMs = io.now().getTime() - started.getTime();
  const meta = { lbsimVersion: LBSIM_VERSION, generatedAt: started.toISOString(), runTimeMs };
  const summaries: Summary[] = results.map((r) => buildSummary(r, meta));
  const sweep = buildSweep(
    {
      file,
      parameters,
      replications,
      options: { seed: args.seed, sessions: args.sessions, strategy: args.strategy, metrics, log: args.log === true ? true : undefined },
      points: grid.map((values, i) => ({ values, summaries: summaries.slice(i * replications, (i + 1) * replications) })),
    },
    meta,
  );

  const json = renderJson(sweep);
  const csv = renderSweepCsv(sweep);
  const html = renderSweepHtml(sweep, await readHtmlAssets(io));
  await output.publish([{ name: 'sweep.json', data: json }, { name: 'sweep.csv', data: csv }, { name: 'sweep.html', data: html }]);
  if (args.json) io.stdout.write(json);
  else io.stdout.write(`${renderSweepTerminal(sweep, metrics)}\nwrote ${join(outDir, 'sweep.csv')}, sweep.html and sweep.json (${(runTimeMs / 1000).toFixed(2)} s)\n`);
  return 0;
}
