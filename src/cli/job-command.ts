/**
 * Sweeps and replications past one machine: `--emit-jobs DIR` writes the plan, one spec per job
 * and the cluster templates; `lbsim job DIR INDEX` runs one job and writes its result whole (a
 * temporary name, then a rename); `--merge DIR` writes the files the one-machine command writes,
 * from the results, through the same writers (job-outputs.ts).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pointLabel } from '../report/index.js';
import { LIMITS } from '../scenario/index.js';
import { LBSIM_VERSION } from '../version.js';
import { FILE_LIMITS, type Io } from './io.js';
import { defaultOutDir, reserveOutputs, writeRunOutputs, writeSweepOutputs } from './job-outputs.js';
import { jobName, jobScenario, sha256, type JobCommand, type JobPlan, type JobSpec, type PlannedJob } from './job-plan.js';
import { failurePath, failureText, mergedClock, readResults, resultPath, resultText, summarizeJob, type JobGap } from './job-results.js';
import { GITHUB_FILE, githubWorkflow, KUBERNETES_FILE, kubernetesManifest, SLURM_FILE, slurmScript, type ClusterOptions } from './job-templates.js';
import { defaultThreads, runScenariosThreaded } from './parallel.js';
import { slug } from './run-command.js';

export type { ClusterOptions } from './job-templates.js';

export const PLAN_FILE = 'jobs.json';
export const SPECS_FOLDER = 'jobs';
/** Gaps named in a refusal; the rest are counted. */
const MAX_NAMED_GAPS = 20;

/** `--merge DIR` of `lbsim sweep` or `lbsim run`. */
export interface MergeArgs {
  readonly merge: string;
  /** Merge what there is, the gaps marked. */
  readonly partial: boolean;
  readonly out: string | undefined;
  readonly json: boolean;
}

export interface JobArgs {
  readonly dir: string;
  readonly index: number;
  readonly threads: number | undefined;
}

const specPath = (dir: string, index: number) => join(dir, SPECS_FOLDER, `${jobName(index)}.json`);

/** The jobs folder as the templates name it: relative to the folder lbsim runs in, when inside it. */
function templateDir(dir: string): string {
  const rel = relative(process.cwd(), resolve(dir));
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(dir) : rel;
}

/** Writes the plan, the specs and the templates of `planned` to `args.emitJobs`; runs nothing. */
export async function emitJobs(planned: { readonly plan: JobPlan; readonly jobs: readonly PlannedJob[] }, args: { readonly emitJobs?: string | undefined; readonly cluster?: ClusterOptions | undefined; readonly json: boolean }, io: Io): Promise<number> {
  const dir = args.emitJobs!;
  const parallelism = args.cluster?.parallelism;
  if (parallelism !== undefined && !(Number.isInteger(parallelism) && parallelism >= 1)) {
    io.stderr.write(`lbsim: --parallelism: expected a whole number of pods, 1 or more, got ${parallelism}\n`);
    return 2;
  }
  if (existsSync(join(dir, PLAN_FILE))) {
    io.stderr.write(`${dir}: it already holds jobs (${PLAN_FILE}); emit into a new folder, or delete this one first\n`);
    return 2;
  }
  // Jobs read the scenario relative to the jobs folder, so the pair can be mounted anywhere; the
  // file as read, which a bundled scenario's name is not.
  const scenario = { ...planned.plan.scenario, path: relative(resolve(dir), resolve(planned.plan.scenario.file)) };
  const plan: JobPlan = { ...planned.plan, scenario };
  for (const job of planned.jobs) await io.writeFileAtomic(specPath(dir, job.spec.index), `${JSON.stringify({ ...job.spec, scenario }, null, 2)}\n`);
  const name = `${slug(planned.jobs[0]!.scenario.name)}${plan.command === 'sweep' ? '-sweep' : ''}`;
  const input = { plan, dir: templateDir(dir), name, cluster: args.cluster ?? {} };
  await io.writeFileAtomic(join(dir, SLURM_FILE), slurmScript(input));
  await io.writeFileAtomic(join(dir, KUBERNETES_FILE), kubernetesManifest(input));
  await io.writeFileAtomic(join(dir, GITHUB_FILE), githubWorkflow(input));
  // The plan last: a folder with a plan holds every spec.
  const planText = `${JSON.stringify(plan, null, 2)}\n`;
  await io.writeFileAtomic(join(dir, PLAN_FILE), planText);
  if (args.json) io.stdout.write(planText);
  else {
    io.stdout.write(
      [
        `wrote ${plan.jobs} job${plan.jobs === 1 ? '' : 's'} of lbsim ${plan.command} to ${join(dir, SPECS_FOLDER)}/, with ${SLURM_FILE}, ${KUBERNETES_FILE} and ${GITHUB_FILE}`,
        `run each: lbsim job ${input.dir} INDEX (INDEX 0 to ${plan.jobs - 1}), or: sbatch ${input.dir}/${SLURM_FILE}`,
        `then: lbsim ${plan.command} --merge ${input.dir}`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}

/** Reads `DIR/jobs.json`: the plan, or why it cannot be merged or run. */
async function readPlan(io: Io, dir: string): Promise<JobPlan | string> {
  const path = join(dir, PLAN_FILE);
  let value: Partial<JobPlan>;
  try {
    value = JSON.parse(await io.readFile(path, FILE_LIMITS.summary)) as Partial<JobPlan>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `${path}: no such file: emit jobs first (lbsim sweep SCENARIO --set … --emit-jobs ${dir})`;
    return `${path}: ${error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || value.kind !== 'lbsim-jobs' || value.schemaVersion !== 1) return `${path}: not a plan of lbsim jobs`;
  if (!Number.isInteger(value.jobs) || value.jobs! < 1 || value.jobs! > LIMITS.sweepRuns) return `${path}: jobs: expected a whole number from 1 to ${LIMITS.sweepRuns}`;
  if (value.lbsimVersion !== LBSIM_VERSION) return `${path}: emitted by lbsim ${String(value.lbsimVersion)}, and this is lbsim ${LBSIM_VERSION}: results of one version merge only with that version`;
  return value as JobPlan;
}

function describeGap(plan: JobPlan, gap: JobGap): string {
  const point = Math.floor(gap.index / plan.replications);
  return `job ${gap.index} (${plan.command === 'sweep' ? `point ${point}, ` : ''}replication ${gap.index % plan.replications}): ${gap.status}${gap.status === 'failed' ? `: ${gap.reason.split('\n')[0]}` : ''}`;
}

/** `lbsim sweep --merge DIR` and `lbsim run --merge DIR`. */
export async function mergeJobs(command: JobCommand, args: MergeArgs, io: Io): Promise<number> {
  const plan = await readPlan(io, args.merge);
  if (typeof plan === 'string') {
    io.stderr.write(`${plan}\n`);
    return 2;
  }
  if (plan.command !== command) {
    io.stderr.write(`${join(args.merge, PLAN_FILE)}: these are jobs of lbsim ${plan.command}: merge them with lbsim ${plan.command} --merge ${args.merge}\n`);
    return 2;
  }
  const { summaries, gaps } = await readResults(io, args.merge, plan);
  if (gaps.length > 0) {
    const named = gaps.slice(0, MAX_NAMED_GAPS).map((gap) => `  ${describeGap(plan, gap)}\n`).join('');
    const more = gaps.length > MAX_NAMED_GAPS ? `  … and ${gaps.length - MAX_NAMED_GAPS} more\n` : '';
    const head = `${args.merge}: ${gaps.length} of ${plan.jobs} jobs have no result (rerun them with lbsim job ${args.merge} INDEX)`;
    if (!args.partial || gaps.length === plan.jobs) {
      io.stderr.write(`${head}:\n${named}${more}${gaps.length === plan.jobs ? 'nothing to merge\n' : '--partial merges the others, the gaps marked\n'}`);
      return 2;
    }
    io.stderr.write(`${head}; merging the others (--partial):\n${named}${more}`);
  }
  const meta = { lbsimVersion: LBSIM_VERSION, ...mergedClock(summaries) };
  const name = summaries.find((s) => s !== undefined)!.scenario.name;
  const outDir = args.out ?? defaultOutDir(name, command === 'sweep');
  const output = await reserveOutputs(io, outDir, command);
  try {
    const request = { plan, summaries, gaps, meta, outDir, output, json: args.json };
    await (command === 'sweep' ? writeSweepOutputs(request, io) : writeRunOutputs(request, io));
  } finally {
    await output.release();
  }
  return 0;
}

/** Reads job `index`'s spec: the spec, or why not. */
async function readSpec(io: Io, dir: string, index: number): Promise<JobSpec | string> {
  const plan = await readPlan(io, dir);
  if (typeof plan === 'string') return plan;
  if (!Number.isInteger(index) || index < 0 || index >= plan.jobs) return `lbsim job: INDEX: ${dir} holds jobs 0 to ${plan.jobs - 1}, not ${index}`;
  const path = specPath(dir, index);
  try {
    const spec = JSON.parse(await io.readFile(path, FILE_LIMITS.summary)) as Partial<JobSpec>;
    if (spec.kind !== 'lbsim-job' || spec.index !== index) return `${path}: not the spec of job ${index}`;
    if (spec.scenario?.sha256 !== plan.scenario.sha256) return `${path}: its scenario hash differs from ${join(dir, PLAN_FILE)}'s: the folder mixes two emissions`;
    return spec as JobSpec;
  } catch (error) {
    return `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
  }
}

/** `lbsim job DIR INDEX`: runs one job and writes `DIR/results/job-NNNNNN.json`, whole or not at all. */
export async function jobCommand(args: JobArgs, io: Io): Promise<number> {
  if (args.threads !== undefined && !(Number.isInteger(args.threads) && args.threads >= 1)) {
    io.stderr.write(`lbsim: --threads: expected a whole number of threads, 1 or more, got ${args.threads}\n`);
    return 2;
  }
  const spec = await readSpec(io, args.dir, args.index);
  if (typeof spec === 'string') {
    io.stderr.write(`${spec}\n`);
    return 2;
  }
  // From here a refusal is also recorded, so the merge can name why the job has no result.
  const refuse = async (message: string) => {
    io.stderr.write(message);
    await io.writeFileAtomic(failurePath(args.dir, spec.index), failureText(spec, message));
    return 2;
  };
  const readPath = join(args.dir, spec.scenario.path);
  let text: string;
  try {
    text = await io.readFile(readPath, FILE_LIMITS.scenario);
  } catch (error) {
    return refuse(`${readPath}: cannot read the scenario of job ${spec.index}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
  }
  const hash = sha256(text);
  if (hash !== spec.scenario.sha256) return refuse(`${readPath}: the scenario has changed since the jobs were emitted (its sha256 is ${hash}, job ${spec.index}'s spec says ${spec.scenario.sha256}); emit the jobs again\n`);
  if (spec.lbsimVersion !== LBSIM_VERSION) return refuse(`${specPath(args.dir, spec.index)}: emitted by lbsim ${spec.lbsimVersion}, and this is lbsim ${LBSIM_VERSION}: run the jobs with the version that emitted them\n`);
  const built = jobScenario(text, readPath, spec);
  if (!built.ok) return refuse(built.message);
  const scenario = built.scenario;
  const started = io.now();
  try {
    const [result] = await runScenariosThreaded([scenario], args.threads ?? defaultThreads(scenario));
    const runTimeMs = io.now().getTime() - started.getTime();
    const summary = summarizeJob(spec, result!, { lbsimVersion: LBSIM_VERSION, generatedAt: started.toISOString(), runTimeMs });
    await io.writeFileAtomic(resultPath(args.dir, spec.index), resultText(spec, summary));
    const where = spec.command === 'sweep' ? `${pointLabel(spec.set.map((s) => ({ path: s.path, values: [s.value] })), spec.set.map((s) => s.value))}, ` : '';
    io.stdout.write(`job ${spec.index} of ${spec.jobs} (${where}seed ${scenario.seed}): wrote ${resultPath(args.dir, spec.index)} (${(runTimeMs / 1000).toFixed(2)} s)\n`);
    return 0;
  } catch (error) {
    await io.writeFileAtomic(failurePath(args.dir, spec.index), failureText(spec, `internal error: ${error instanceof Error ? error.message : String(error)}`));
    throw error;
  }
}
