/**
 * The command line: yargs turns arguments into one library call per command and an exit code —
 * 0 success, 2 bad input (a clear message, no stack trace, nothing written), 1 a bug in lbsim.
 * The only code, with io.ts, that touches the process, files or the wall clock.
 */
import yargs, { type Argv } from 'yargs';
import { LBSIM_VERSION } from '../version.js';
import { InputError } from './errors.js';
import type { Io } from './io.js';
import { initCommand } from './init-command.js';
import { listCommand } from './list-command.js';
import { replayCommand } from './replay.js';
import { traceCommand } from './trace-command.js';
import { reportCommand } from './report-command.js';
import { routeCommand } from './route-command.js';
import { runCommand, validateCommand } from './run-command.js';
import { sweepCommand } from './sweep-command.js';

export const EXIT_OK = 0;
export const EXIT_BUG = 1;
export const EXIT_BAD_INPUT = 2;

type Command = (io: Io) => Promise<number>;

/** yargs' `getOptions()`, which @types/yargs leaves out: the options declared so far, by kind. */
interface DeclaredOptions {
  getOptions(): { readonly array: readonly string[] };
}

/** The scenario file and the overrides `run` and `sweep` share. */
function scenarioOptions<T>(y: Argv<T>) {
  return y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
    .option('seed', { type: 'string', describe: 'override the scenario seed' })
    .option('sessions', { type: 'number', describe: 'override the number of sessions' })
    .option('strategy', { type: 'string', describe: 'run only the strategy with this name' });
}

function parser(setCommand: (command: Command) => void) {
  const cli = yargs();
  return cli
    // lbsim's own messages are English; yargs' must not switch language with the machine's.
    .locale('en')
    .scriptName('lbsim')
    .usage('$0 <command> [options]\n\nSimulate load balancing of multi-step user sessions: sticky sessions vs a shared session cache.')
    .command(
      'run <scenario>',
      'run every strategy of a scenario on the same seeded workload and compare them',
      (y) =>
        scenarioOptions(y)
          .option('out', { type: 'string', describe: 'directory for summary.json, summary.csv and report.html (default reports/<scenario name>)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the summary JSON on stdout and nothing else there' })
          .option('threads', { type: 'number', describe: 'worker threads for the strategies (default: the number of cores for large runs, 1 for small ones; 1: sequential)' })
          .option('replications', { type: 'number', describe: 'run N independent seeds (<seed>/rep/<i>) and report each figure as a mean with a 95% confidence interval' })
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=VALUE: replace a field of the scenario file, by its path (clients.nat.share=0.2, arrivals.rate=50/s); repeatable' }),
      (args) => setCommand((io) => runCommand({ scenario: args.scenario, seed: args.seed, sessions: args.sessions, strategy: args.strategy, out: args.out, json: args.json, threads: args.threads, replications: args.replications, set: args.set }, io)),
    )
    .command(
      'sweep <scenario>',
      'run a scenario over a grid of values of its fields and chart every figure against them, with confidence bands',
      (y) =>
        scenarioOptions(y)
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=V1,V2,…: the values of a field to sweep, by its path in the file (clients.nat.share=0,0.1,0.2; arrivals.rate=20/s,50/s); repeat for a grid' })
          .option('replications', { type: 'number', describe: 'runs per point, with independent seeds (<seed>/rep/<i>), for 95% confidence bands (default 1)' })
          .option('out', { type: 'string', describe: 'directory for sweep.csv, sweep.html and sweep.json (default reports/<scenario name>-sweep)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the sweep JSON on stdout and nothing else there' })
          .option('threads', { type: 'number', describe: 'worker threads, shared by every point (default: the number of cores for large sweeps, 1 for small ones)' })
          .option('metric', { type: 'string', array: true, nargs: 1, describe: 'a figure to print, by its id in sweep.csv (skew.requestsCv, latencyMs.p95); repeatable (default: the figures that change across the grid)' })
          .option('log', { type: 'boolean', default: false, describe: 'chart the first swept field on a log axis' }),
      (args) => setCommand((io) => sweepCommand({ scenario: args.scenario, set: args.set ?? [], replications: args.replications, seed: args.seed, sessions: args.sessions, strategy: args.strategy, out: args.out, json: args.json, threads: args.threads, metric: args.metric, log: args.log }, io)),
    )
    .command(
      'trace <scenario>',
      'one user\'s story: the life of one session under each strategy, step by step',
      (y) =>
        scenarioOptions(y)
          .option('session', { type: 'number', describe: 'the session to follow (1-based, in arrival order)' })
          .option('client', { type: 'string', describe: 'follow the first session from this address instead' })
          .option('set', { type: 'string', array: true, nargs: 1, describe: 'PATH=VALUE: replace a field of the scenario file, as lbsim run --set does; repeatable' })
          .option('json', { type: 'boolean', default: false, describe: 'print the trace as JSON' }),
      (args) => setCommand((io) => traceCommand({ scenario: args.scenario, session: args.session, client: args.client, strategy: args.strategy, seed: args.seed, sessions: args.sessions, set: args.set, json: args.json }, io)),
    )
    .command(
      'validate <scenario>',
      'check a scenario file without running it',
      (y) => y.positional('scenario', { type: 'string', demandOption: true }),
      (args) => setCommand((io) => validateCommand(args.scenario, io)),
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
    .demandCommand(1, 'name a command: run, sweep, validate, init, list, report, trace, replay or route')
    .strict()
    .version(LBSIM_VERSION)
    .help()
    .alias('h', 'help')
    .wrap(100)
    .exitProcess(false);
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let command: Command | undefined;
  const parsed = await new Promise<{ error: Error | undefined; output: string }>((resolve) => {
    void parser((c) => (command = c)).parse([...argv], {}, (error: Error | undefined, _args: unknown, output: string) => resolve({ error: error ?? undefined, output }));
  });
  if (parsed.error) {
    io.stderr.write(`${parsed.output ? `${parsed.output}\n\n` : ''}lbsim: ${parsed.error.message}\n`);
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
