/**
 * A job's result, `results/job-NNNNNN.json`: the run's summary with the job it answers (index and
 * scenario hash), or `results/job-NNNNNN.failed.json` when the job could not run. The one-machine
 * sweep and run pass every summary through the same text, so a merge of results read from files
 * and a run in one process hand identical documents to the same writers.
 */
import { join } from 'node:path';
import { buildSummary, type Summary, type SummaryMeta } from '../report/index.js';
import { sampleSessionIndex, traceSession, type ScenarioResult } from '../sim/index.js';
import { FILE_LIMITS, type Io } from './io.js';
import { JOB_SCHEMA_VERSION, jobName, type JobPlan, type JobSpec } from './job-plan.js';

export const RESULTS_FOLDER = 'results';

interface JobResultFile {
  readonly kind: 'lbsim-job-result';
  readonly schemaVersion: number;
  readonly index: number;
  readonly sha256: string;
  readonly summary: Summary;
}

interface JobFailureFile {
  readonly kind: 'lbsim-job-failure';
  readonly schemaVersion: number;
  readonly index: number;
  readonly sha256: string;
  readonly message: string;
}

export const resultPath = (dir: string, index: number) => join(dir, RESULTS_FOLDER, `${jobName(index)}.json`);
export const failurePath = (dir: string, index: number) => join(dir, RESULTS_FOLDER, `${jobName(index)}.failed.json`);

/**
 * The summary of one job's run. The first replication of `lbsim run` also tells one user's story
 * (the first session a strategy broke), as the report shows it.
 */
export function summarizeJob(spec: Pick<JobSpec, 'command' | 'replication'>, result: ScenarioResult, meta: SummaryMeta): Summary {
  if (spec.command !== 'run' || spec.replication !== 0) return buildSummary(result, meta);
  const sampleIndex = sampleSessionIndex(result);
  const sample = sampleIndex === undefined ? null : (traceSession(result.scenario, sampleIndex) ?? null);
  return buildSummary(result, meta, sample);
}

export function resultText(spec: Pick<JobSpec, 'index' | 'scenario'>, summary: Summary): string {
  const file: JobResultFile = { kind: 'lbsim-job-result', schemaVersion: JOB_SCHEMA_VERSION, index: spec.index, sha256: spec.scenario.sha256, summary };
  return `${JSON.stringify(file)}\n`;
}

export function failureText(spec: Pick<JobSpec, 'index' | 'scenario'>, message: string): string {
  const file: JobFailureFile = { kind: 'lbsim-job-failure', schemaVersion: JOB_SCHEMA_VERSION, index: spec.index, sha256: spec.scenario.sha256, message };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A result's summary as the merge reads it: through its text, whether the job ran here or elsewhere. */
export function summaryThroughText(spec: Pick<JobSpec, 'index' | 'scenario'>, summary: Summary): Summary {
  return (JSON.parse(resultText(spec, summary)) as JobResultFile).summary;
}

/** A job the merge lacks: no result at all, or a failure (with why). */
export interface JobGap {
  readonly index: number;
  readonly status: 'missing' | 'failed';
  readonly reason: string;
}

/** What the results folder holds: a summary per job index (undefined where there is none), and the gaps. */
export interface ResultsRead {
  readonly summaries: readonly (Summary | undefined)[];
  readonly gaps: readonly JobGap[];
}

async function readJson(io: Io, path: string): Promise<{ readonly value: unknown } | { readonly absent: true } | { readonly unreadable: string }> {
  let text: string;
  try {
    text = await io.readFile(path, FILE_LIMITS.summary);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { absent: true };
    return { unreadable: (error as Error).message };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { unreadable: `not valid JSON: ${(error as Error).message}` };
  }
}

/** Whether `value` is a result or failure of job `index` of `plan` (the same index and scenario hash); else why not. */
function foreignness(value: unknown, kind: string, index: number, plan: JobPlan): string | undefined {
  const file = value as Partial<JobResultFile> | null;
  if (typeof file !== 'object' || file === null || file.kind !== kind) return `it is not an lbsim job ${kind === 'lbsim-job-result' ? 'result' : 'failure'}`;
  if (file.index !== index) return `it answers job ${String(file.index)}, not ${index}`;
  if (file.sha256 !== plan.scenario.sha256) return `it ran another scenario text (sha256 ${String(file.sha256).slice(0, 12)}…, the plan's is ${plan.scenario.sha256.slice(0, 12)}…): emitted again since?`;
  return undefined;
}

/** Reads every job's result of `plan` in `dir`. A result that belongs to other jobs counts as failed. */
export async function readResults(io: Io, dir: string, plan: JobPlan): Promise<ResultsRead> {
  const summaries: (Summary | undefined)[] = [];
  const gaps: JobGap[] = [];
  for (let index = 0; index < plan.jobs; index++) {
    const read = await readJson(io, resultPath(dir, index));
    if ('value' in read) {
      const foreign = foreignness(read.value, 'lbsim-job-result', index, plan);
      if (foreign === undefined) {
        summaries.push((read.value as JobResultFile).summary);
        continue;
      }
      gaps.push({ index, status: 'failed', reason: `${resultPath(dir, index)}: ${foreign}` });
    } else if ('unreadable' in read) gaps.push({ index, status: 'failed', reason: `${resultPath(dir, index)}: ${read.unreadable}` });
    else {
      const failure = await readJson(io, failurePath(dir, index));
      const failed = 'value' in failure && foreignness(failure.value, 'lbsim-job-failure', index, plan) === undefined;
      if (failed) gaps.push({ index, status: 'failed', reason: (failure.value as JobFailureFile).message.trim() });
      else gaps.push({ index, status: 'missing', reason: 'no result' });
    }
    summaries.push(undefined);
  }
  return { summaries, gaps };
}

/**
 * The wall-clock fields of a merged output: the earliest job's start, and the span from it to the
 * last job's end (the sweep's wall time, as the one-machine run reports its own).
 */
export function mergedClock(summaries: readonly (Summary | undefined)[]): Pick<SummaryMeta, 'generatedAt' | 'runTimeMs'> {
  const present = summaries.filter((s): s is Summary => s !== undefined);
  const start = Math.min(...present.map((s) => Date.parse(s.generatedAt)));
  const end = Math.max(...present.map((s) => Date.parse(s.generatedAt) + s.runTimeMs));
  return { generatedAt: new Date(start).toISOString(), runTimeMs: end - start };
}
