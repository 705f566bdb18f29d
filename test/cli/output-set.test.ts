/**
 * Output sets are replaced whole (docs/outputs.md): whatever happens while `lbsim run --out DIR`
 * writes — SIGINT or SIGTERM between two files, a failed write, a second writer — DIR holds the
 * whole previous set or the whole new one, and no temporary file. The writer is paused between
 * files by its test hook (LBSIM_TEST_PAUSE_BETWEEN_FILES), not by a delay, so the signal always
 * lands in the middle of the write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const BIN = 'dist/lbsim.js';
const SCENARIO = 'test/scenarios/tiny.yaml';
const RUN_FILES = ['summary.json', 'summary.csv', 'timeseries.csv', 'report.html'];
/** Every wait is bounded: a writer that never pauses or never ends fails the test, it does not hang it. */
const WAIT_MS = 20_000;

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lbsim-outputs-'));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  /** Resolves when stderr has shown `text`. */
  readonly saw: (text: string) => Promise<void>;
  readonly ended: Promise<{ code: number | null; stderr: string }>;
}

function start(args: readonly string[], env: Record<string, string> = {}): Started {
  const child = spawn('node', [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters) if (stderr.includes(w.text)) w.resolve();
  });
  const ended = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lbsim ${args.join(' ')} did not end within ${WAIT_MS} ms; stderr: ${stderr}`)), WAIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
  const saw = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stderr.includes(text)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no "${text}" on stderr within ${WAIT_MS} ms; stderr: ${stderr}`)), WAIT_MS);
      waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      void ended.then(() => reject(new Error(`lbsim ended before "${text}"; stderr: ${stderr}`)), () => undefined);
    });
  return { child, saw, ended };
}

/** The text of each file of the set, as a reader of the folder sees it. */
const setIn = (folder: string, names = RUN_FILES) => Object.fromEntries(names.map((name) => [name, readFileSync(join(folder, name), 'utf8')]));

/** Every entry under `folder`, relative, sorted. */
function entries(folder: string): string[] {
  // Node's recursive listing walks into the linked folder .lbsim/run too: its files are the generation's.
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((p) => relative(folder, join(folder, p))).filter((p) => !p.startsWith('.lbsim/run/')).sort();
}

/** What a whole run's folder holds: the four links, the pointer, one generation, and the user's file. */
function expectOnlyOneWholeSet(folder: string): void {
  const all = entries(folder);
  const generations = all.filter((p) => /^\.lbsim\/run-[^/]+$/.test(p));
  expect(generations).toHaveLength(1);
  expect(all).toEqual([...RUN_FILES, '.lbsim', '.lbsim/run', generations[0]!, ...RUN_FILES.map((f) => `${generations[0]}/${f}`), 'notes.txt'].sort());
}

/** A set is one run's: the summary's timestamp is in the report, and the CSVs are that run's. */
function expectOneRun(set: Record<string, string>, sessions: number): void {
  const summary = JSON.parse(set['summary.json']!) as { generatedAt: string; strategies: { sessions: { total: number } }[] };
  expect(set['report.html']).toContain(summary.generatedAt);
  expect(summary.strategies[0]!.sessions.total).toBe(sessions);
  expect(set['summary.csv']!.split('\n')[1]).toContain(`,${sessions},`);
}

const OLD_SESSIONS = 3;
const NEW_SESSIONS = 5;

/** DIR holding an earlier run and a file of the user's. */
async function folderWithEarlierRun(): Promise<{ out: string; old: Record<string, string> }> {
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine\n');
  const earlier = start(['run', SCENARIO, '--sessions', String(OLD_SESSIONS), '--out', out]);
  expect((await earlier.ended).code).toBe(0);
  const old = setIn(out);
  expectOneRun(old, OLD_SESSIONS);
  return { out, old };
}

describe('a run interrupted while it writes its files', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s between two files leaves the whole earlier set, no temporary file, and exits %i', async (signal, exitCode) => {
    const { out, old } = await folderWithEarlierRun();
    const run = start(['run', SCENARIO, '--sessions', String(NEW_SESSIONS), '--out', out], { LBSIM_TEST_PAUSE_BETWEEN_FILES: join(dir, 'resume') });
    await run.saw('lbsim-test: paused after summary.json');
    run.child.kill(signal);
    const { code, stderr } = await run.ended;
    expect(code).toBe(exitCode);
    expect(stderr).toContain(`lbsim: stopped by ${signal}; the outputs are as they were before this run`);
    expect(setIn(out)).toEqual(old);
    expectOnlyOneWholeSet(out);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('resumed instead, it replaces the earlier set whole, and removes the earlier generation', async () => {
    const { out } = await folderWithEarlierRun();
    const run = start(['run', SCENARIO, '--sessions', String(NEW_SESSIONS), '--out', out], { LBSIM_TEST_PAUSE_BETWEEN_FILES: join(dir, 'resume') });
    await run.saw('lbsim-test: paused after summary.json');
    writeFileSync(join(dir, 'resume'), '');
    expect((await run.ended).code).toBe(0);
    expectOneRun(setIn(out), NEW_SESSIONS);
    expectOnlyOneWholeSet(out);
  });
});

describe('a write that fails midway', () => {
  it('leaves the earlier set whole, exit 2 naming the file', async () => {
    const { out, old } = await folderWithEarlierRun();
    const run = start(['run', SCENARIO, '--sessions', String(NEW_SESSIONS), '--out', out], { LBSIM_TEST_FAIL_WRITE: '2' });
    const { code, stderr } = await run.ended;
    expect(code).toBe(2);
    expect(stderr).toBe(`lbsim: cannot write ${join(out, 'summary.csv')}: no space left on the device\n`);
    expect(setIn(out)).toEqual(old);
    expectOnlyOneWholeSet(out);
  });

  it('of a sweep leaves its earlier sweep whole, and a folder that held nothing is not left behind', async () => {
    const out = join(dir, 'sweep');
    const sweep = (extra: Record<string, string>, value: string) => start(['sweep', SCENARIO, '--set', `sessions=${value}`, '--out', out], extra);
    expect((await sweep({ LBSIM_TEST_FAIL_WRITE: '1' }, '3,4').ended).code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect((await sweep({}, '3,4').ended).code).toBe(0);
    const names = ['sweep.json', 'sweep.csv', 'sweep.html'];
    const old = setIn(out, names);
    const { code, stderr } = await sweep({ LBSIM_TEST_FAIL_WRITE: '3' }, '5,6').ended;
    expect(code).toBe(2);
    expect(stderr).toBe(`lbsim: cannot write ${join(out, 'sweep.html')}: no space left on the device\n`);
    expect(setIn(out, names)).toEqual(old);
    expect(entries(out).filter((p) => /tmp|stale|lock/.test(p))).toEqual([]);
  });
});

describe('two writers into one folder', () => {
  it('the second is refused (exit 2, naming the first one\'s PID) and the first one\'s set is whole', async () => {
    const { out } = await folderWithEarlierRun();
    const first = start(['run', SCENARIO, '--sessions', String(NEW_SESSIONS), '--out', out], { LBSIM_TEST_PAUSE_BETWEEN_FILES: join(dir, 'resume') });
    await first.saw('lbsim-test: paused after summary.json');
    const second = start(['run', SCENARIO, '--sessions', '4', '--out', out]);
    const refused = await second.ended;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`${out}: another lbsim (PID ${first.child.pid}) is writing to this folder; wait for it to end, or choose another --out\n`);
    writeFileSync(join(dir, 'resume'), '');
    expect((await first.ended).code).toBe(0);
    expectOneRun(setIn(out), NEW_SESSIONS);
    expectOnlyOneWholeSet(out);
  });

  it('a lock left by a process that has ended is taken over', async () => {
    const { out } = await folderWithEarlierRun();
    const gone = start(['--version']);
    await gone.ended;
    writeFileSync(join(out, '.lbsim', 'lock'), `${gone.child.pid}\n`);
    const run = start(['run', SCENARIO, '--sessions', String(NEW_SESSIONS), '--out', out]);
    expect((await run.ended).code).toBe(0);
    expectOneRun(setIn(out), NEW_SESSIONS);
    expectOnlyOneWholeSet(out);
  });

  it('so is a lock holding the writer\'s own PID (a container restarted numbers its processes alike)', async () => {
    const { out } = await folderWithEarlierRun();
    writeFileSync(join(out, '.lbsim', 'lock'), `${process.pid}\n`);
    const io = { ...nodeIo(), stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false };
    expect(await main(['run', SCENARIO, '--sessions', String(NEW_SESSIONS), '--out', out], io)).toBe(0);
    expectOneRun(setIn(out), NEW_SESSIONS);
    expectOnlyOneWholeSet(out);
  });
});
