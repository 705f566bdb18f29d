/**
 * Paths and option values lbsim cannot use are refused up front: exit 2, a message that says what
 * the path really is or which option lacks what, and nothing written. Each case is one issue 19
 * found ending in exit 1, a run with an empty value, a write into the current folder, or minutes
 * of mkdir.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const SCENARIO = 'test/scenarios/tiny.yaml';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lbsim-paths-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** lbsim with the real file system, output captured. */
async function lbsimOnDisk(argv: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { ...nodeIo(), stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** lbsim with a fake file system: what it would have written is in `written`. */
async function lbsim(argv: readonly string[], files: Record<string, string> = {}) {
  const { io, stdout, stderr, written } = fakeIo({ files });
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr(), written: [...written.keys()] };
}

describe('an --out that cannot be the output', () => {
  it('run --out naming an existing file', async () => {
    const file = join(dir, 'afile');
    writeFileSync(file, '');
    expect(await lbsimOnDisk(['run', SCENARIO, '--out', file])).toEqual({ code: 2, stdout: '', stderr: `${file}: this is a file, not a folder\n` });
    expect(readdirSync(dir)).toEqual(['afile']);
  });

  it('report --out FILE/x.html, under a file', async () => {
    const file = join(dir, 'afile');
    writeFileSync(file, '');
    const summary = join(dir, 'run');
    expect((await lbsimOnDisk(['run', SCENARIO, '--out', summary])).code).toBe(0);
    expect(await lbsimOnDisk(['report', join(summary, 'summary.json'), '--out', join(file, 'x.html')])).toEqual({ code: 2, stdout: '', stderr: `${file}: this is a file, not a folder\n` });
  });

  it('report --out a device is not replaced', async () => {
    const summary = join(dir, 'run');
    expect((await lbsimOnDisk(['run', SCENARIO, '--out', summary])).code).toBe(0);
    expect(await lbsimOnDisk(['report', join(summary, 'summary.json'), '--out', '/dev/null'])).toEqual({ code: 2, stdout: '', stderr: '/dev/null: this is a device, which lbsim does not replace\n' });
  });

  it('init --out /dev/null says it is a device, not that the file exists', async () => {
    expect(await lbsimOnDisk(['init', '--out', '/dev/null'])).toEqual({ code: 2, stdout: '', stderr: '/dev/null: this is a device, not a folder\n' });
  });

  it.skipIf(!existsSync('/proc/self'))('--out /proc/nope is refused at once (Node\'s recursive mkdir retried it without end)', async () => {
    const started = Date.now();
    expect(await lbsimOnDisk(['run', SCENARIO, '--out', '/proc/nope'])).toEqual({ code: 2, stdout: '', stderr: '/proc/nope: cannot create this folder: the file system there does not allow new folders\n' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a folder where an output file goes', async () => {
    const out = join(dir, 'out');
    expect((await lbsimOnDisk(['init', '--out', join(out, 'report.html')])).code).toBe(0);
    expect(await lbsimOnDisk(['run', SCENARIO, '--out', out])).toEqual({ code: 2, stdout: '', stderr: `${join(out, 'report.html')}: a folder of that name is in the way\n` });
    expect(readdirSync(out)).toEqual(['report.html']);
  });

  it.each([
    ['--out with no value', ['run', SCENARIO, '--out'], '--out'],
    ["--out ''", ['run', SCENARIO, '--out', ''], '--out'],
    ['--out followed by another option', ['run', SCENARIO, '--out', '--json'], '--out'],
    ['--out=', ['run', SCENARIO, '--out='], '--out'],
    ['sweep --out with no value', ['sweep', SCENARIO, '--set', 'sessions=2,3', '--out'], '--out'],
    ['report --out with no value', ['report', 's.json', '--out'], '--out'],
    ['--seed with no value', ['run', SCENARIO, '--seed'], '--seed'],
    ["--seed ''", ['run', SCENARIO, '--seed', ''], '--seed'],
  ])('%s: exit 2, nothing written', async (_name, argv, option) => {
    const result = await lbsim(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`lbsim: ${option} needs a value, and was given none\\n(Usage: .*\\n.*\\n)?$`));
    expect(result.written).toEqual([]);
  });
});

describe('messages that say what is wrong', () => {
  it('--sessions abc is not a number, quoted', async () => {
    const result = await lbsim(['run', SCENARIO, '--sessions', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lbsim: --sessions: "abc" is not a number\nUsage: lbsim run \[scenario\] \[options\]\n/);
  });

  it('--sessions with no value', async () => {
    const result = await lbsim(['run', SCENARIO, '--sessions']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lbsim: --sessions needs a number, and was given none\nUsage: lbsim run \[scenario\] \[options\]\n/);
    expect(result.written).toEqual([]);
  });

  it('--seed 1 --seed 2 blames the option, not the file', async () => {
    const result = await lbsim(['run', SCENARIO, '--seed', '1', '--seed', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lbsim: --seed is given more than once; give it once\nUsage: lbsim run \[scenario\] \[options\]\n/);
    expect(result.stderr).not.toContain(SCENARIO);
  });

  it('a JSON list is a list, not an empty file', async () => {
    expect(await lbsim(['validate', 'list.json'], { 'list.json': '[]' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'list.json: expected a scenario (an object with "name", "arrivals", "backends" and "strategies", …), got an empty list\n',
      written: [],
    });
  });

  it('a UTF-8 byte order mark before a YAML scenario is accepted', async () => {
    const plain = await lbsim(['validate', SCENARIO]);
    const marked = await lbsim(['validate', 'bom.yaml'], { 'bom.yaml': `\uFEFF${readFileSync(SCENARIO, 'utf8')}` });
    expect(marked).toEqual({ ...plain, stdout: plain.stdout.replace(SCENARIO, 'bom.yaml') });
    expect(marked.code).toBe(0);
  });

  it('a UTF-8 byte order mark before JSON is not a syntax error: the scenario is read', async () => {
    const result = await lbsim(['validate', 'bom.json'], { 'bom.json': '\uFEFF{"name": "x"}' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bom\.json: missing required field "arrivals"\n/);
  });
});
