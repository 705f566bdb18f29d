/**
 * The command line: yargs turns arguments into one library call per command and an exit code —
 * 0 success, 2 bad input (a clear message, no stack trace, nothing written), 1 a bug in lbsim.
 * The only code, with io.ts, that touches the process, files or the wall clock.
 */
import yargs, { type Argv } from 'yargs';
import { LBSIM_VERSION } from '../version.js';
import { InputError } from './errors.js';
import { missingValueProblem, numberOption } from './option-values.js';
import type { Io } from './io.js';
import { initCommand } from './init-command.js';
import { listCommand } from './list-command.js';
import { replayCommand } from './replay.js';
import { traceCommand } from './trace-command.js';
import { reportCommand } from './report-command.js';
import { routeCommand } from './route-command.js';
import { runCommand } from './run-command.js';
import { sweepCommand } from './sweep-command.js';
import { usageError, UsageProblem, type CommandUsage } from './usage-errors.js';
import { validateCommand } from './validate-command.js';
import { sessionsCommand } from './sessions-command.js';
import { liveCommand } from './live/live-command.js';
import { jobCommand } from './job-command.js';

export const EXIT_OK = 0;
export const EXIT_BUG = 1;
export const EXIT_BAD_INPUT = 2;

type Command = (io: Io) => Promise<number>;

/** yargs' `getOptions()`, which @types/yargs leaves out: the options declared so far, by kind. */
interface DeclaredOptions {
  getOptions(): { readonly array: readonly string[]; readonly key: Readonly<Record<string, unknown>> };
  /** yargs' internal command table, read for the usage line of a refused command. */
  getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Readonly<Record<string, { readonly original: string }>> } };
}

/** The command that prints the shell completion script; yargs answers it (and `--get-yargs-completions`) itself. */
const COMPLETION_COMMAND = 'completion';
const COMPLETION_REQUEST = '--get-yargs-completions';

/** The scenario file and the overrides `run` and `sweep` share (the file is optional where `--merge DIR` can stand for it). */
function scenarioOptions<T, Required extends boolean = true>(y: Argv<T>, required: Required = true as Required) {
  return y
    .positional('scenario', { type: 'string', demandOption: required, describe: `scenario file (YAML or JSON), or the name of a bundled scenario (lbsim list): shop-basic${required ? '' : '; none with --merge'}` })
    .option('seed', { type: 'string', describe: 'override the scenario seed' })
    .option('sessions', { type: 'string', coerce: numberOption('sessions'), describe: 'override the number of sessions' })
    .option('strategy', { type: 'string', describe: 'run only the strategy with this name' });
}

/** The options of `run` and `sweep` that cut the work into jobs for other machines (job-command.ts), and merge their results. */
function jobOptions<T>(y: Argv<T>) {
  return y
    .option('emit-jobs', { type: 'string', describe: 'write one job per (point, replication) to DIR, with Slurm, Kubernetes and GitHub Actions templates, instead of running (lbsim job DIR INDEX runs one)' })
    .option('image', { type: 'string', describe: 'with --emit-jobs: the Kubernetes Job\'s container image, with lbsim on its PATH (default lbsim:latest)' })
    .option('volume', { type: 'string', describe: 'with --emit-jobs: the PersistentVolumeClaim holding the scenario and DIR (default lbsim-work)' })
    .option('parallelism', { type: 'number', describe: 'with --emit-jobs: Kubernetes pods at once (default 10)' })
    .option('merge', { type: 'string', describe: 'merge the results of the jobs in DIR into the files the command writes on one machine (no scenario)' })
    .option('partial', { type: 'boolean', default: false, describe: 'with --merge: merge even when jobs are missing or failed, the gaps marked' });
}

/** `--image`, `--volume` and `--parallelism`, when any is given. */
function clusterArgs(args: { image?: string | undefined; volume?: string | undefined; parallelism?: number | undefined }) {
  return { image: args.image, volume: args.volume, parallelism: args.parallelism };
}

/** Options that only mean something beside another: each with the option it needs. */
const NEEDS: readonly (readonly [string, string])[] = [['image', 'emitJobs'], ['volume', 'emitJobs'], ['parallelism', 'emitJobs'], ['partial', 'merge']];
/** Options of run and sweep that a merge cannot take: the jobs' plan fixed them. */
const NOT_WITH_MERGE = ['emitJobs', 'set', 'replications', 'seed', 'sessions', 'strategy', 'metric', 'log', 'threads'] as const;
const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const given = (value: unknown) => value !== undefined && value !== false;

/** The merge's arguments when `--merge DIR` is given (with no scenario: the plan names it); refuses options that do not fit together. */
function mergeArgs(args: Record<string, unknown> & { merge?: string | undefined; partial: boolean; out?: string | undefined; json: boolean; scenario?: string | undefined }) {
  const loose = NEEDS.find(([key, needed]) => given(args[key]) && !given(args[needed]));
  if (loose !== undefined) throw new UsageProblem(`${flag(loose[0])} goes with ${flag(loose[1])}`);
  if (args.merge === undefined) {
    if (args.scenario === undefined) throw new UsageProblem('name a scenario file (or --merge DIR, to merge the results of jobs)');
    return undefined;
  }
  const extra = NOT_WITH_MERGE.find((key) => given(args[key]));
  if (args.scenario !== undefined || extra !== undefined) throw new UsageProblem(`--merge ${args.merge} takes ${extra === undefined ? 'no scenario' : `no ${flag(extra)}`}: the jobs' plan in ${args.merge} fixes what to merge`);
  return { merge: args.merge, partial: args.partial, out: args.out, json: args.json };
}

function parser(setCommand: (command: Command) => void) {
  const cli = yargs();
  return cli
    // lbsim's own messages are English; yargs' must not switch language with the machine's.
    .locale('en')
    .scriptName('lbsim')
    .usage('$0 <command> [options]\n\nSimulate load balancing of multi-step user sessions: sticky sessions vs a shared session cache.')
    .command(
      'run [scenario]',
      'run every strategy of a scenario on the same seeded workload and compare them',
      (y) =>
        jobOptions(scenarioOptions(y, false))
          .option('out', { type: 'string', describe: 'directory for summary.json, summary.csv and report.html (default reports/<scenario name>)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the summary JSON on stdout and nothing else there' })
          .option('threads', { type: 'string', coerce: numberOption('threads'), describe: 'worker threads for the strategies (default: the number of cores for large runs, 1 for small ones; 1: sequential)' })
          .option('replications', { type: 'string', coerce: numberOption('replications'), describe: 'run N independent seeds (<seed>/rep/<i>) and report each figure as a mean with a 95% confidence interval' })
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=VALUE: replace a field of the scenario file, by its path (clients.nat.share=0.2, arrivals.rate=50/s); repeatable' }),
      (args) => setCommand((io) => runCommand(mergeArgs(args) ?? { scenario: args.scenario!, emitJobs: args.emitJobs, cluster: clusterArgs(args), seed: args.seed, sessions: args.sessions, strategy: args.strategy, out: args.out, json: args.json, threads: args.threads, replications: args.replications, set: args.set }, io)),
    )
    .command(
      'sweep [scenario]',
      'run a scenario over a grid of values of its fields and chart every figure against them, with confidence bands',
      (y) =>
        jobOptions(scenarioOptions(y, false))
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=V1,V2,…: the values of a field to sweep, by its path in the file (clients.nat.share=0,0.1,0.2; arrivals.rate=20/s,50/s); repeat for a grid' })
          .option('replications', { type: 'string', coerce: numberOption('replications'), describe: 'runs per point, with independent seeds (<seed>/rep/<i>), for 95% confidence bands (default 1)' })
          .option('out', { type: 'string', describe: 'directory for sweep.csv, sweep.html and sweep.json (default reports/<scenario name>-sweep)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the sweep JSON on stdout and nothing else there' })
          .option('threads', { type: 'string', coerce: numberOption('threads'), describe: 'worker threads, shared by every point (default: the number of cores for large sweeps, 1 for small ones)' })
          .option('metric', { type: 'string', array: true, nargs: 1, describe: 'a figure to print, by its id in sweep.csv (skew.requestsCv, latencyMs.p95); repeatable (default: the figures that change across the grid)' })
          .option('log', { type: 'boolean', default: false, describe: 'chart the first swept field on a log axis' }),
      (args) => setCommand((io) => sweepCommand(mergeArgs(args) ?? { scenario: args.scenario!, emitJobs: args.emitJobs, cluster: clusterArgs(args), set: args.set ?? [], replications: args.replications, seed: args.seed, sessions: args.sessions, strategy: args.strategy, out: args.out, json: args.json, threads: args.threads, metric: args.metric, log: args.log }, io)),
    )
    .command(
      'trace <scenario>',
      'one user\'s story: the life of one session under each strategy, step by step',
      (y) =>
        scenarioOptions(y)
          .option('session', { type: 'string', coerce: numberOption('session'), describe: 'the session to follow (1-based, in arrival order)' })
          .option('client', { type: 'string', describe: 'follow the first session from this address instead' })
          .option('broken', { type: 'boolean', describe: 'follow the first session (in arrival order) that any strategy broke' })
          .option('cause', { type: 'string', describe: 'with --broken: the first session broken by this cause (as the summary names them: expired, remapped, …)' })
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=VALUE: replace a field of the scenario file, as lbsim run --set does; repeatable' })
          .option('json', { type: 'boolean', default: false, describe: 'print the trace as JSON' }),
      (args) => setCommand((io) => traceCommand({ scenario: args.scenario, session: args.session, client: args.client, broken: args.broken, cause: args.cause, strategy: args.strategy, seed: args.seed, sessions: args.sessions, set: args.set, json: args.json }, io)),
    )
    .command(
      'validate <scenarios..>',
      'check scenario files (or bundled scenarios by name) without running them, one verdict per file',
      (y) =>
        y
          .positional('scenarios', { type: 'string', array: true, demandOption: true, describe: 'scenario files, or names of bundled scenarios' })
          .option('json', { type: 'boolean', default: false, describe: 'print {ok, files: [{file, ok, scenario | errors}]} as JSON, errors with file:line:column' }),
      (args) => setCommand((io) => validateCommand({ scenarios: args.scenarios, json: args.json }, io)),
    )
    .command(
      'init [name]',
      'write a commented starter scenario, NAME.yaml (default my-scenario.yaml), to edit and run',
      (y) =>
        y
          .positional('name', { type: 'string', describe: 'the file to write (.yaml added unless it ends in .yaml, .yml or .json)' })
          .option('out', { type: 'string', describe: 'the folder to write into (default: the current one)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace an existing file' }),
      (args) => setCommand((io) => initCommand({ name: args.name, out: args.out, force: args.force }, io)),
    )
    .command(
      'list',
      'list balancing methods, session stores, timeline events and bundled scenarios, one line each',
      (y) => y.option('json', { type: 'boolean', default: false, describe: 'print the lists as JSON' }),
      (args) => setCommand((io) => listCommand({ json: args.json }, io)),
    )
    .command(
      'report <summaries..>',
      'rebuild the HTML report from saved summary.json files; several compare in one page',
      (y) =>
        y
          .positional('summaries', { type: 'string', array: true, demandOption: true, describe: 'summary.json files (runs of any scenarios or seeds)' })
          .option('out', { type: 'string', describe: 'the HTML file to write (default: report.html beside the summary; reports/comparison/report.html for several)' }),
      (args) => setCommand((io) => reportCommand({ summaries: args.summaries, out: args.out }, io)),
    )
    .command(
      'replay [requests]',
      'replay requests through nginx balancing while backends fail: what happens to my traffic when app2 dies',
      (y) =>
        y
          .positional('requests', { type: 'string', describe: 'JSON Lines of {"t", "client", "method"} (default: standard input)' })
          .option('nginx', { type: 'string', demandOption: true, describe: 'nginx config with an upstream block (and proxy_* directives)' })
          .option('timeline', { type: 'string', demandOption: true, describe: 'JSON array of {"t", "server", "mode"} backend events' }),
      (args) => setCommand((io) => replayCommand(args.requests === undefined ? { nginx: args.nginx, timeline: args.timeline } : { nginx: args.nginx, timeline: args.timeline, requests: args.requests }, io)),
    )
    .command(
      'route [inputs..]',
      'where does this client go? the backend each key lands on, per strategy of a scenario or for an nginx upstream / HAProxy backend',
      (y) =>
        y
          .positional('inputs', { type: 'string', array: true, describe: 'a scenario file then keys, or (with --nginx / --haproxy) keys; default: keys from stdin, one per line' })
          .option('nginx', { type: 'string', describe: 'nginx config with an upstream block' })
          .option('upstream', { type: 'string', describe: 'the upstream block to read (default: the first)' })
          .option('haproxy', { type: 'string', describe: 'HAProxy config with a backend section' })
          .option('backend', { type: 'string', describe: 'the backend section to read (default: the first)' })
          .option('strategy', { type: 'string', describe: 'only this strategy of the scenario' })
          .option('client', { type: 'string', array: true, describe: 'route a request from this address (repeatable) instead of keys' })
          .option('session-id', { type: 'string', describe: 'the session id those requests send' })
          .option('cookie', { type: 'string', array: true, describe: 'a cookie NAME=VALUE those requests send (repeatable)' })
          .option('at', { type: 'string', describe: 'seconds into the scenario: backends the timeline has down then fail (default: the first failure)' })
          .option('seed', { type: 'string', describe: 'seed of the random methods' })
          .option('json', { type: 'boolean', default: false, describe: 'print a JSON array of {key, server}' }),
      (args) => setCommand((io) => routeCommand({ inputs: args.inputs ?? [], nginx: args.nginx, upstream: args.upstream, haproxy: args.haproxy, backend: args.backend, strategy: args.strategy, clients: args.client, sessionId: args.sessionId, cookies: args.cookie, at: args.at, seed: args.seed, json: args.json }, io)),
    )
    .command(
      'sessions <scenario>',
      'print the sessions a run simulates (the same for every strategy), for a load tool to replay; see docs/sessions.md',
      (y) =>
        scenarioOptions(y)
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=VALUE: replace a field of the scenario file, as lbsim run --set does; repeatable' })
          .option('jsonl', { type: 'boolean', default: false, describe: 'one JSON object per line (the format of docs/sessions.md) instead of words' }),
      (args) => setCommand((io) => sessionsCommand({ scenario: args.scenario, seed: args.seed, sessions: args.sessions, strategy: args.strategy, set: args.set, jsonl: args.jsonl }, io)),
    )
    .command(
      'live <scenario>',
      'run the scenario through a real nginx, HAProxy and Redis on loopback and compare with the prediction, session by session',
      (y) =>
        scenarioOptions(y)
          .option('time-scale', { type: 'number', describe: 'divide think times, service times and arrival gaps by K (default 1)' })
          .option('out', { type: 'string', describe: 'directory for live.json and live.md (default reports/<scenario name>-live)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the comparison JSON on stdout' })
          .option('print-config', { type: 'boolean', default: false, describe: 'print the generated nginx, HAProxy and Redis configurations and exit' }),
      (args) => setCommand((io) => liveCommand({ scenario: args.scenario, strategy: args.strategy, seed: args.seed, sessions: args.sessions, timeScale: args.timeScale, out: args.out, json: args.json, printConfig: args.printConfig }, io)),
    )
    .command(
      'job <dir> <index>',
      'run one job of a sweep or replicated run emitted with --emit-jobs DIR, writing DIR/results/job-NNNNNN.json',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'the folder --emit-jobs wrote' })
          .positional('index', { type: 'number', demandOption: true, describe: 'the job, from 0 (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)' })
          .option('threads', { type: 'number', describe: 'worker threads for the strategies (default: the number of cores for large runs)' }),
      (args) => setCommand((io) => jobCommand({ dir: args.dir, index: args.index, threads: args.threads }, io)),
    )
    .command(
      'playground',
      'write the playground: one offline HTML page that runs lbsim in a browser (reports/playground.html)',
      (y) => y.option('out', { type: 'string', describe: 'the HTML file to write (default: reports/playground.html)' }),
      (args) => setCommand(async (io) => (await import('./playground-command.js')).playgroundCommand({ out: args.out }, io)),
    )
    .check((argv) => {
      // yargs gathers an option given twice into a list, which the commands would read as one
      // value: only the options declared as lists may repeat.
      const lists = new Set((cli as unknown as DeclaredOptions).getOptions().array);
      const twice = Object.keys(argv).find((key) => key !== '_' && !lists.has(key) && Array.isArray(argv[key]));
      if (twice !== undefined) throw new Error(`--${twice} is given more than once; give it once`);
      return true;
    })
    .completion(COMPLETION_COMMAND, 'print the shell completion script (bash, zsh): lbsim completion >> ~/.bashrc')
    .demandCommand(1, 'name a command: run, sweep, validate, init, list, report, trace, sessions, replay, route, live, job, playground or completion')
    .recommendCommands()
    .strict()
    .version(LBSIM_VERSION)
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .wrap(100)
    .exitProcess(false);
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let command: Command | undefined;
  const cli = parser((c) => (command = c));
  const declared = cli as unknown as DeclaredOptions;
  if (argv[0] === COMPLETION_REQUEST) {
    // yargs answers through its parse callback, once more after a command's builder has run.
    const outputs: string[] = [];
    await cli.parse([...argv], {}, (_error: Error | undefined, _args: unknown, output: string) => void outputs.push(output));
    await new Promise((resolve) => setImmediate(resolve));
    io.stdout.write(outputs.filter(Boolean).map((output) => `${output}\n`).join(''));
    return EXIT_OK;
  }
  const commands: CommandUsage[] = Object.entries(declared.getInternalMethods().getCommandInstance().getCommandHandlers()).map(([name, handler]) => ({ name, declaration: handler.original }));
  const parsed = await new Promise<{ error: Error | undefined; output: string; options: string[] }>((resolve) => {
    void cli.parse([...argv], {}, (error: Error | undefined, args: Record<string, unknown>, output: string) => resolve({ error: error ?? missingValueProblem(argv, args), output, options: Object.keys(declared.getOptions().key) }));
  });
  // yargs prints the script, then (with exitProcess off) still refuses `completion` as an unknown word.
  if (argv.length === 1 && argv[0] === COMPLETION_COMMAND && parsed.output.includes('-completions-###')) {
    io.stdout.write(`${parsed.output}\n`);
    return EXIT_OK;
  }
  if (parsed.error) {
    // The error once, with a did-you-mean and the short usage line; not the whole help.
    io.stderr.write(usageError(parsed.error.message, { argv, commands, options: parsed.options }));
    return EXIT_BAD_INPUT;
  }
  if (!command) {
    if (parsed.output) io.stdout.write(`${parsed.output}\n`);
    return EXIT_OK;
  }
  try {
    return await command(io);
  } catch (error) {
    // Typed refusals only: an unexpected exception below stays a bug (exit 1), never "bad input".
    if (error instanceof UsageProblem) {
      io.stderr.write(usageError(error.message, { argv, commands, options: parsed.options }));
      return EXIT_BAD_INPUT;
    }
    if (error instanceof InputError) {
      io.stderr.write(`${error.file}: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    // A file the user named cannot be written (a folder in the way, no permission, a full disk): bad input, not a bug.
    const { code, path } = error as NodeJS.ErrnoException;
    const reason = code === undefined ? undefined : FILE_ERRORS[code];
    if (reason !== undefined) {
      io.stderr.write(`lbsim: cannot write ${path ?? 'an output file'}: ${reason}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr.write(`lbsim: internal error: ${error instanceof Error ? error.message : String(error)}\nThis is a bug in lbsim; please report it with the command and scenario.\n`);
    return EXIT_BUG;
  }
}

/** System errors of writing outputs that the user can fix, in words. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder of that name is in the way',
  ENOTDIR: 'part of the path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
};
