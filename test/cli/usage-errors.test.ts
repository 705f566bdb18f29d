/**
 * Refused arguments, as a user meets them: exit 2, the error once with a did-you-mean for a
 * mistyped command or option, then the command's short usage line and where its help is — never
 * the whole help. And `-v` is `--version`.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { errorLine, usageError } from '../../src/cli/usage-errors.js';
import { LBSIM_VERSION } from '../../src/version.js';
import { fakeIo } from '../helpers/fake-io.js';

async function lbsim(...argv: string[]) {
  const { io, stdout, stderr } = fakeIo();
  return { code: await main(argv, io), stdout: stdout(), stderr: stderr() };
}

const RUN_USAGE = 'Usage: lbsim run [scenario] [options]\nlbsim run --help for all options\n';
const TOP_USAGE = 'Usage: lbsim <command> [options]\nlbsim --help lists the commands\n';
const COMMANDS = 'the commands are run, sweep, trace, validate, init, list, report, replay, route, sessions, live, job, playground, completion';

describe('refused arguments: exit 2, the error once, a did-you-mean, the short usage', () => {
  it('a mistyped option: the closest option of that command', async () => {
    expect(await lbsim('run', 'scenarios/intro.yaml', '--sesions', '5')).toEqual({ code: 2, stdout: '', stderr: `lbsim: unknown option --sesions (did you mean --sessions?)\n${RUN_USAGE}` });
    // An option of another command is not offered: --metric belongs to sweep.
    expect((await lbsim('run', 'scenarios/intro.yaml', '--metrik', 'x')).stderr).toBe(`lbsim: unknown option --metrik\n${RUN_USAGE}`);
    expect((await lbsim('sweep', 'scenarios/intro.yaml', '--metrik', 'x')).stderr).toMatch(/^lbsim: unknown option --metrik \(did you mean --metric\?\)\nUsage: lbsim sweep \[scenario\] \[options\]\n/);
  });

  it('a kebab-case option is suggested as written, and --name=value is named without its value', async () => {
    expect((await lbsim('route', '--nginx', 'x.conf', '--sesion-id=abc')).stderr).toMatch(/^lbsim: unknown option --sesion-id \(did you mean --session-id\?\)\nUsage: lbsim route \[inputs\.\.\] \[options\]\n/);
  });

  it('several unknown options: each named, in one line', async () => {
    const result = await lbsim('run', 'scenarios/intro.yaml', '--sesions', '5', '--nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lbsim: unknown option --sesions (did you mean --sessions?); unknown option --nope\n${RUN_USAGE}`);
  });

  it('a mistyped command: the closest command, and the list', async () => {
    expect(await lbsim('valdate', 'x.yaml')).toEqual({ code: 2, stdout: '', stderr: `lbsim: unknown command "valdate" (did you mean validate?); ${COMMANDS}\n${TOP_USAGE}` });
    expect((await lbsim('frobnicate')).stderr).toBe(`lbsim: unknown command "frobnicate"; ${COMMANDS}\n${TOP_USAGE}`);
  });

  it('a word a command does not take, a missing scenario, no command', async () => {
    expect(await lbsim('list', 'extra')).toEqual({ code: 2, stdout: '', stderr: 'lbsim: unexpected argument "extra"\nUsage: lbsim list [options]\nlbsim list --help for all options\n' });
    expect(await lbsim('run')).toEqual({ code: 2, stdout: '', stderr: `lbsim: name a scenario file (or --merge DIR, to merge the results of jobs)\n${RUN_USAGE}` });
    const none = await lbsim();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^lbsim: name a command: run, sweep, validate, init, list, report, trace, sessions, replay, route, live, job, playground or completion\nUsage: lbsim <command> \[options\]\n/);
  });

  it('never prints the whole help with an error, and the error only once', async () => {
    for (const argv of [['run', 'scenarios/intro.yaml', '--sesions', '5'], ['valdate'], ['list', 'extra'], ['run']]) {
      const { stderr } = await lbsim(...argv);
      expect(stderr).not.toContain('Options:');
      expect(stderr).not.toContain('Commands:');
      expect(stderr.split('\n')).toHaveLength(4);
      expect(stderr.match(/^lbsim: /gm)).toHaveLength(1);
    }
  });

  it('--help still prints the whole help, on stdout, exit 0', async () => {
    const help = await lbsim('run', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Options:');
    expect(help.stdout).toContain('--replications');
  });
});

describe('the refusal text, from what yargs declared', () => {
  const commands = [
    { name: 'run', declaration: 'run <scenario>' },
    { name: 'route', declaration: 'route [inputs..]' },
  ];

  it('uses yargs\' own recommendation when it makes one', () => {
    expect(errorLine('Did you mean run?', { argv: ['rnu'], commands, options: [] })).toBe('unknown command "rnu" (did you mean run?); the commands are run, route');
  });

  it('ignores yargs\' camelCase copies and one-letter aliases when suggesting', () => {
    const options = ['help', 'h', 'session-id', 'sessionId', 'seed'];
    expect(errorLine('Unknown argument: sessionid', { argv: ['route', '--sessionid', 'x'], commands, options })).toBe('unknown option --sessionid (did you mean --session-id?)');
    expect(errorLine('Unknown argument: x', { argv: ['route', '-x'], commands, options })).toBe('unknown option -x');
  });

  it('passes any other message through, under the usage of the command named', () => {
    expect(usageError('--seed is given more than once; give it once', { argv: ['route', '--seed', '1', '--seed', '2'], commands, options: [] })).toBe(
      'lbsim: --seed is given more than once; give it once\nUsage: lbsim route [inputs..] [options]\nlbsim route --help for all options\n',
    );
  });
});

describe('-v', () => {
  it('is --version', async () => {
    expect(await lbsim('-v')).toEqual({ code: 0, stdout: `${LBSIM_VERSION}\n`, stderr: '' });
    expect(await lbsim('--version')).toEqual({ code: 0, stdout: `${LBSIM_VERSION}\n`, stderr: '' });
  });
});
