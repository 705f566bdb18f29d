/**
 * `lbsim completion` prints yargs' bash completion script, and it works: sourced in a real bash
 * with the built CLI on PATH (a shim `lbsim` that runs dist/lbsim.js), completing `lbsim ru`
 * offers `run`, and `lbsim run x --sess` offers `--sessions`. Without bash the test says so
 * loudly and skips; under CI=true it fails instead.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const BASH = ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path));
const BIN = resolve('dist/lbsim.js');
const ci = process.env['CI'] === 'true';
if (BASH === undefined) console.warn(`\n${'!'.repeat(78)}\n!! bash is missing: the completion test ${ci ? 'FAILS (CI=true)' : 'is SKIPPED'}.\n!! Install it with: apt-get install -y bash\n${'!'.repeat(78)}\n`);

async function completionScript(): Promise<string> {
  const { io, stdout, stderr } = fakeIo();
  expect(await main(['completion'], io)).toBe(0);
  expect(stderr()).toBe('');
  return stdout();
}

describe('lbsim completion', () => {
  it('prints a bash completion script for lbsim', async () => {
    const script = await completionScript();
    expect(script).toContain('_lbsim_yargs_completions()');
    expect(script).toContain('complete -o bashdefault -o default -F _lbsim_yargs_completions lbsim');
  });

  it('answers the script\'s question with the commands, and a command\'s options', async () => {
    const commands = fakeIo();
    expect(await main(['--get-yargs-completions', 'lbsim', 'ru'], commands.io)).toBe(0);
    expect(commands.stdout().split('\n')).toContain('run');
    const options = fakeIo();
    expect(await main(['--get-yargs-completions', 'lbsim', 'run', 'x', '--sess'], options.io)).toBe(0);
    expect(options.stdout().split('\n')).toContain('--sessions');
  });

  it('is installed when running under CI (bash)', () => {
    if (ci) expect(BASH, 'bash is missing').toBeDefined();
  });

  describe.runIf(BASH !== undefined)('sourced in bash, with the built CLI on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbsim-completion-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** What bash's completion offers for the words of `line` (the last one being completed). */
    async function complete(line: string): Promise<string[]> {
      expect(existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
      writeFileSync(join(dir, 'completion.bash'), await completionScript());
      writeFileSync(join(dir, 'lbsim'), `#!/bin/sh\nexec node ${JSON.stringify(BIN)} "$@"\n`);
      chmodSync(join(dir, 'lbsim'), 0o755);
      const words = line.split(' ');
      const program = [
        'source "$LBSIM_DIR/completion.bash"',
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        `COMP_LINE='${line}'`,
        `COMP_POINT=${line.length}`,
        '_lbsim_yargs_completions',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const out = execFileSync(BASH!, ['-c', program], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}`, LBSIM_DIR: dir }, timeout: 30_000 });
      return out.split('\n').filter(Boolean);
    }

    it('completes `lbsim ru` to run', async () => {
      expect(await complete('lbsim ru')).toEqual(['run']);
    }, 60_000);

    it('completes `lbsim run scenarios/intro.yaml --sess` to --sessions', async () => {
      expect(await complete('lbsim run scenarios/intro.yaml --sess')).toEqual(['--sessions']);
    }, 60_000);
  });
});
