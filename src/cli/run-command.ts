/**
 * `lbsim run` and `lbsim validate`: read a scenario, validate it, run it, print the comparison
 * table (or the summary JSON with --json) and write summary.json, summary.csv, timeseries.csv and
 * report.html as one output set, replaced whole (output-set.ts).
 */
import { join } from 'node:path';
import { buildSummary, combineReplications, renderCsv, renderTimeseriesCsv, renderHtml, renderJson, renderTerminal } from '../report/index.js';
import { COMMAND_LINE, formatCount, formatScenarioErrors, LIMITS, listNames, parseScenarioText, parseSetOptions, type Loaded, type Scenario, type ScenarioError, type ScenarioOverrides, type SetValue } from '../scenario/index.js';
import { replications as replicate, sampleSessionIndex, traceSession } from '../sim/index.js';
import { LBSIM_VERSION } from '../version.js';
import { readAuxiliaryFile, type Io } from './io.js';
import type { OutputSet } from './output-set.js';
import { defaultThreads, runScenariosThreaded } from './parallel.js';
import { progressPrinter } from './progress.js';
import { readHtmlAssets, REPORT_FILE } from './report-command.js';
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

export async function runCommand(args: RunArgs, io: Io): Promise<number> {
  const result = await loadScenario(args.scenario, io, { seed: args.seed, sessions: args.sessions, strategy: args.strategy, set: args.set });
  if (!result.ok) {
    io.stderr.write(formatScenarioErrors(result.errors));
    return 2;
  }
  const loaded = result.scenario;
  const optionError = checkRunOptions(args.threads, args.replications);
  if (optionError !== undefined) {
    io.stderr.write(optionError);
    return 2;
  }
  // The folder is checked and locked before the run: a path that cannot be written is refused at once.
  const outDir = args.out ?? join('reports', slug(loaded.name));
  const output = await io.reserveOutputSet(outDir, 'run', RUN_FILES);
  try {
    return await runAndWrite(loaded, args, io, outDir, output);
  } finally {
    await output.release();
  }
}

/** The files of a run's output set, in the order they are written. */
const RUN_FILES = ['summary.json', 'summary.csv', 'timeseries.csv', REPORT_FILE] as const;

async function runAndWrite(loaded: Scenario, args: RunArgs, io: Io, outDir: string, output: OutputSet): Promise<number> {
  const progress = io.isTTY && !args.json;
  const started = io.now();
  if (progress) io.stderr.write(`lbsim: running ${loaded.strategies.length} strategies of ${loaded.name}…\n`);
  const replications = args.replications ?? 1;
  // All replications' strategies share one worker pool.
  const runs = replicate(loaded, replications);
  if (progress && replications > 1) io.stderr.write(`lbsim: ${replications} replications (seeds ${loaded.seed}/rep/0 … /rep/${replications - 1})\n`);
  const results = await runScenariosThreaded(runs, args.threads ?? defaultThreads(loaded, replications), progress ? progressPrinter(io, started) : undefined);
  const runTimeMs = io.now().getTime() - started.getTime();
  const meta = { lbsimVersion: LBSIM_VERSION, generatedAt: started.toISOString(), runTimeMs };
  // The report tells one user's story: the first session a strategy broke (of the first replication).
  const sampleIndex = sampleSessionIndex(results[0]!);
  const sample = sampleIndex === undefined ? null : (traceSession(runs[0]!, sampleIndex) ?? null);
  const summaries = results.map((r, i) => buildSummary(r, meta, i === 0 ? sample : null));
  const summary = replications === 1 ? summaries[0]! : combineReplications(summaries, loaded.seed);
  const json = renderJson(summary);
  const html = renderHtml([summary], await readHtmlAssets(io));
  const texts = [json, renderCsv(summary), renderTimeseriesCsv(summary), html];
  await output.publish(RUN_FILES.map((name, i) => ({ name, data: texts[i]! })));
  if (args.json) io.stdout.write(json);
  else {
    io.stdout.write(renderTerminal(summary));
    io.stdout.write(`\nwrote ${join(outDir, 'summary.json')}, summary.csv, timeseries.csv and ${REPORT_FILE} (${(runTimeMs / 1000).toFixed(2)} s)\n`);
    const coarsened = summary.strategies.find((s) => s.timeline?.coarsenedFromMs !== undefined)?.timeline;
    if (coarsened !== undefined) io.stdout.write(`the per-window series use windows of ${coarsened.windowMs / 1000} s, not ${coarsened.coarsenedFromMs! / 1000} s: the run was long enough to need more than ${formatCount(LIMITS.seriesWindows)} (timeline.coarsenedFromMs in summary.json)\n`);
  }
  return 0;
}
