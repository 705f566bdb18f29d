/**
 * The outputs of a sweep or replicated run from its jobs' summaries: `lbsim sweep` and `lbsim run`
 * on one machine and their `--merge DIR` all end here, so their files cannot differ.
 */
import { join } from 'node:path';
import { buildSweep, combineReplications, renderCsv, renderHtml, renderJson, renderSweepCsv, renderSweepHtml, renderSweepTerminal, renderTerminal, renderTimeseriesCsv, type Summary, type SummaryMeta, type SweepGap } from '../report/index.js';
import { formatCount, LIMITS } from '../scenario/index.js';
import { LBSIM_VERSION } from '../version.js';
import type { Io } from './io.js';
import type { JobPlan, PlannedJob } from './job-plan.js';
import type { OutputSet } from './output-set.js';
import { summarizeJob, summaryThroughText, type JobGap } from './job-results.js';
import { runScenariosThreaded } from './parallel.js';
import { progressPrinter } from './progress.js';
import { readHtmlAssets, REPORT_FILE } from './report-command.js';
import { slug } from './run-command.js';

export interface OutputRequest {
  readonly plan: JobPlan;
  /** One per job, in job order; undefined for a job a partial merge lacks. */
  readonly summaries: readonly (Summary | undefined)[];
  readonly gaps: readonly JobGap[];
  readonly meta: SummaryMeta;
  /** The folder, reserved (checked and locked) before the work began; the files are published into it whole. */
  readonly outDir: string;
  readonly output: OutputSet;
  readonly json: boolean;
}

/** The files of a run's and a sweep's output sets, in the order they are written. */
export const RUN_FILES = ['summary.json', 'summary.csv', 'timeseries.csv', REPORT_FILE] as const;
export const SWEEP_FILES = ['sweep.json', 'sweep.csv', 'sweep.html'] as const;

/** Where a run's (or with `-sweep`, a sweep's) files go when `--out` is not given. */
export const defaultOutDir = (scenarioName: string, sweep: boolean) => join('reports', `${slug(scenarioName)}${sweep ? '-sweep' : ''}`);

/** Reserves the output folder of a run or sweep: a path that cannot be written is refused before any work. */
export const reserveOutputs = (io: Io, outDir: string, command: 'run' | 'sweep') => io.reserveOutputSet(outDir, command, command === 'run' ? RUN_FILES : SWEEP_FILES);

/**
 * `lbsim run` and `lbsim sweep` on one machine: reserves the output folder (a path that cannot be
 * written is refused before any work), runs every job of the plan in one worker pool, passes each
 * summary through the text a job on another machine writes, and publishes the outputs as
 * `--merge` would. `announce` is the line a terminal sees first.
 */
export async function runJobsHere(planned: { readonly plan: JobPlan; readonly jobs: readonly PlannedJob[] }, options: { readonly out: string | undefined; readonly json: boolean; readonly threads: number; readonly announce: string }, io: Io): Promise<void> {
  const command = planned.plan.command;
  const outDir = options.out ?? defaultOutDir(planned.jobs[0]!.scenario.name, command === 'sweep');
  const output = await reserveOutputs(io, outDir, command);
  try {
    const progress = io.isTTY && !options.json;
    const started = io.now();
    if (progress) io.stderr.write(`${options.announce}\n`);
    const results = await runScenariosThreaded(planned.jobs.map((job) => job.scenario), options.threads, progress ? progressPrinter(io, started) : undefined);
    const meta = { lbsimVersion: LBSIM_VERSION, generatedAt: started.toISOString(), runTimeMs: io.now().getTime() - started.getTime() };
    const summaries = planned.jobs.map((job, i) => summaryThroughText(job.spec, summarizeJob(job.spec, results[i]!, meta)));
    const request = { plan: planned.plan, summaries, gaps: [], meta, outDir, output, json: options.json };
    await (command === 'sweep' ? writeSweepOutputs(request, io) : writeRunOutputs(request, io));
  } finally {
    await output.release();
  }
}

/** sweep.json, sweep.csv and sweep.html, and the terminal's tables (or the JSON with --json). */
export async function writeSweepOutputs(request: OutputRequest, io: Io): Promise<void> {
  const { plan, summaries, meta } = request;
  const r = plan.replications;
  const grid = summaries.length / r;
  const gaps: SweepGap[] = request.gaps.map((g) => ({ job: g.index, values: pointValues(plan, Math.floor(g.index / r)), replication: g.index % r, seed: jobSeed(plan, g.index), status: g.status }));
  const options = { seed: plan.overrides.seed, sessions: plan.overrides.sessions, strategy: plan.overrides.strategy, metrics: plan.display.metrics, log: plan.display.log };
  const sweep = buildSweep(
    {
      file: plan.scenario.file,
      parameters: plan.parameters,
      replications: r,
      options,
      points: Array.from({ length: grid }, (_, i) => ({ values: pointValues(plan, i), summaries: summaries.slice(i * r, (i + 1) * r).filter((s): s is Summary => s !== undefined) })),
      gaps,
    },
    meta,
  );
  const { outDir } = request;
  const json = renderJson(sweep);
  const texts = [json, renderSweepCsv(sweep), renderSweepHtml(sweep, await readHtmlAssets(io))];
  await request.output.publish(SWEEP_FILES.map((name, i) => ({ name, data: texts[i]! })));
  if (request.json) io.stdout.write(json);
  else io.stdout.write(`${renderSweepTerminal(sweep, plan.display.metrics)}\nwrote ${join(outDir, 'sweep.csv')}, sweep.html and sweep.json (${(meta.runTimeMs / 1000).toFixed(2)} s)\n`);
}

/** summary.json, summary.csv, timeseries.csv and report.html of a run (its replications combined), and the terminal's table. */
export async function writeRunOutputs(request: OutputRequest, io: Io): Promise<void> {
  const { plan, meta } = request;
  const present = request.summaries.filter((s): s is Summary => s !== undefined);
  const combined = plan.replications === 1 ? present[0]! : combineReplications(present, plan.seed);
  // A partial merge names the replications it lacks.
  const summary = request.gaps.length === 0 ? combined : { ...combined, missingSeeds: request.gaps.map((g) => jobSeed(plan, g.index)) };
  const { outDir } = request;
  const json = renderJson(summary);
  const texts = [json, renderCsv(summary), renderTimeseriesCsv(summary), renderHtml([summary], await readHtmlAssets(io))];
  await request.output.publish(RUN_FILES.map((name, i) => ({ name, data: texts[i]! })));
  if (request.json) {
    io.stdout.write(json);
    return;
  }
  io.stdout.write(renderTerminal(summary));
  io.stdout.write(`\nwrote ${join(outDir, 'summary.json')}, summary.csv, timeseries.csv and ${REPORT_FILE} (${(meta.runTimeMs / 1000).toFixed(2)} s)\n`);
  const coarsened = summary.strategies.find((s) => s.timeline?.coarsenedFromMs !== undefined)?.timeline;
  if (coarsened !== undefined) io.stdout.write(`the per-window series use windows of ${coarsened.windowMs / 1000} s, not ${coarsened.coarsenedFromMs! / 1000} s: the run was long enough to need more than ${formatCount(LIMITS.seriesWindows)} (timeline.coarsenedFromMs in summary.json)\n`);
}

/** The values of point `point` of the plan's grid (the first parameter varies slowest). */
function pointValues(plan: JobPlan, point: number): string[] {
  const values: string[] = [];
  let rest = point;
  for (let i = plan.parameters.length - 1; i >= 0; i--) {
    const list = plan.parameters[i]!.values;
    values.unshift(list[rest % list.length]!);
    rest = Math.floor(rest / list.length);
  }
  return values;
}

/** The seed job `index` runs: its point's seed (swept, or the plan's), with its replication. */
function jobSeed(plan: JobPlan, index: number): string {
  const values = pointValues(plan, Math.floor(index / plan.replications));
  const swept = plan.parameters.findIndex((p) => p.path === 'seed');
  const seed = swept < 0 ? plan.seed : values[swept]!;
  return plan.replications === 1 ? seed : `${seed}/rep/${index % plan.replications}`;
}
