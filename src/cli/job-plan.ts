/**
 * A sweep or a replicated run cut into jobs, one per (point, replication): the plan (`jobs.json`)
 * and each job's spec (`jobs/job-NNNNNN.json`). A job is rebuilt from the scenario text (checked
 * by its sha256), the overrides, the point's `--set` values and the replication's index, so it
 * can run on any machine with the same lbsim. The one-machine `lbsim sweep` and `lbsim run` plan
 * the same jobs and run them all in one process.
 */
import { createHash } from 'node:crypto';
import { combinations, pointLabel, type SweepParameter } from '../report/index.js';
import { formatScenarioErrors, parseScenarioText, type Scenario, type SetValue } from '../scenario/index.js';
import { replications as replicate } from '../sim/index.js';
import { LBSIM_VERSION } from '../version.js';
import { readAuxiliaryFile } from './io.js';

export const JOB_SCHEMA_VERSION = 1;

/** What a plan (and each of its jobs) does: a sweep's grid, or a run's replications. */
export type JobCommand = 'sweep' | 'run';

/** The scenario overrides given on the command line. */
export interface JobOverrides {
  readonly seed?: string | undefined;
  readonly sessions?: number | undefined;
  readonly strategy?: string | undefined;
}

/** The scenario file: as named on the command line, where a job reads it (relative to the jobs folder), and its text's sha256. */
export interface ScenarioRef {
  readonly file: string;
  readonly path: string;
  readonly sha256: string;
}

/** `jobs.json`: everything `--merge` needs besides the results. */
export interface JobPlan {
  readonly kind: 'lbsim-jobs';
  readonly schemaVersion: number;
  readonly lbsimVersion: string;
  readonly command: JobCommand;
  readonly scenario: ScenarioRef;
  readonly overrides: JobOverrides;
  /** The swept fields (a run's `--set` values, one each). */
  readonly parameters: readonly SweepParameter[];
  readonly replications: number;
  /** The scenario's seed, overrides applied: replication i runs `<seed>/rep/<i>`. */
  readonly seed: string;
  /** `--metric` and `--log` of a sweep: how its outputs read. */
  readonly display: { readonly metrics?: readonly string[] | undefined; readonly log?: boolean | undefined };
  readonly jobs: number;
}

/** `jobs/job-NNNNNN.json`: one run, with what rebuilds it. */
export interface JobSpec {
  readonly kind: 'lbsim-job';
  readonly schemaVersion: number;
  readonly lbsimVersion: string;
  readonly command: JobCommand;
  /** `point × replications + replication`: the order of the one-machine run. */
  readonly index: number;
  readonly jobs: number;
  readonly scenario: ScenarioRef;
  readonly overrides: JobOverrides;
  readonly set: readonly SetValue[];
  readonly point: number;
  readonly replication: number;
  readonly replications: number;
  /** The seed this job runs (for people reading the spec; the job derives it again). */
  readonly seed: string;
}

/** A planned job and the scenario it runs. */
export interface PlannedJob {
  readonly spec: JobSpec;
  readonly scenario: Scenario;
}

/** How many invalid points are printed; the rest are counted. */
const MAX_REPORTED_POINTS = 10;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The file name of job `index` (zero-padded, so a listing sorts in job order). */
export function jobName(index: number): string {
  return `job-${String(index).padStart(6, '0')}`;
}

/** The point's `--set` values. */
export function pointSet(parameters: readonly SweepParameter[], values: readonly string[]): SetValue[] {
  return parameters.map((p, i) => ({ path: p.path, value: values[i]! }));
}

/** Rebuilds a job's scenario from the scenario text: the point's scenario, then its replication. */
export function jobScenario(text: string, readPath: string, spec: Pick<JobSpec, 'overrides' | 'set' | 'replication' | 'replications'>): { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly message: string } {
  const loaded = parseScenarioText(text, readPath, { ...spec.overrides, set: spec.set }, readAuxiliaryFile);
  if (!loaded.ok) return { ok: false, message: formatScenarioErrors(loaded.errors) };
  return { ok: true, scenario: replicate(loaded.scenario, spec.replications)[spec.replication]! };
}

export interface PlanRequest {
  readonly command: JobCommand;
  /** The scenario file as read (a bundled scenario's name resolved to its file). */
  readonly file: string;
  readonly text: string;
  readonly overrides: JobOverrides;
  readonly parameters: readonly SweepParameter[];
  readonly replications: number;
  readonly display: JobPlan['display'];
}

/**
 * Every job of a sweep or replicated run, each point validated before anything runs: the plan and
 * its jobs in one-machine order, or every invalid point's errors.
 */
export function planJobs(request: PlanRequest): { readonly ok: true; readonly plan: JobPlan; readonly jobs: readonly PlannedJob[] } | { readonly ok: false; readonly message: string } {
  const { parameters, replications, text, file } = request;
  const grid = combinations(parameters.map((p) => p.values));
  // Jobs emitted to a folder get a path relative to it (emitJobs); on one machine they read the file itself.
  const scenarioRef: ScenarioRef = { file, path: file, sha256: sha256(text) };
  const points: Scenario[] = [];
  const invalid: string[] = [];
  for (const values of grid) {
    const loaded = parseScenarioText(text, file, { ...request.overrides, set: pointSet(parameters, values) }, readAuxiliaryFile);
    if (loaded.ok) points.push(loaded.scenario);
    else invalid.push(request.command === 'run' ? formatScenarioErrors(loaded.errors) : formatScenarioErrors(loaded.errors).replace(/^(?=.)/gm, `at ${pointLabel(parameters, values)}: `));
  }
  if (invalid.length > 0) {
    const more = invalid.length - MAX_REPORTED_POINTS;
    return { ok: false, message: `${invalid.slice(0, MAX_REPORTED_POINTS).join('')}${more > 0 ? `… and ${more} more invalid point${more === 1 ? '' : 's'}\n` : ''}` };
  }
  const seed = points[0]!.seed;
  const common = { schemaVersion: JOB_SCHEMA_VERSION, lbsimVersion: LBSIM_VERSION, command: request.command, scenario: scenarioRef, overrides: request.overrides };
  const total = grid.length * replications;
  const jobs = points.flatMap((point, p) =>
    replicate(point, replications).map((scenario, r): PlannedJob => ({
      scenario,
      spec: { kind: 'lbsim-job', ...common, index: p * replications + r, jobs: total, set: pointSet(parameters, grid[p]!), point: p, replication: r, replications, seed: scenario.seed },
    })),
  );
  const plan: JobPlan = { kind: 'lbsim-jobs', ...common, parameters, replications, seed, display: request.display, jobs: total };
  return { ok: true, plan, jobs };
}
