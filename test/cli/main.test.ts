/** The command line as a user meets it: help, version, run, validate, and bad input (exit 2, a clear message, nothing written). */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { LBSIM_VERSION } from '../../src/version.js';
import { fakeIo } from '../helpers/fake-io.js';

describe('lbsim CLI', () => {
  it('prints help and version', async () => {
    const help = fakeIo();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.stdout()).toContain('lbsim run [scenario]');
    expect(help.stdout()).toContain('lbsim replay');
    const version = fakeIo();
    expect(await main(['--version'], version.io)).toBe(0);
    expect(version.stdout().trim()).toBe(LBSIM_VERSION);
  });

  it('asks for a command, and refuses unknown options with exit 2', async () => {
    const none = fakeIo();
    expect(await main([], none.io)).toBe(2);
    expect(none.stderr()).toContain('name a command');
    const unknown = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--sesions', '5'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toBe('lbsim: unknown option --sesions (did you mean --sessions?)\nUsage: lbsim run [scenario] [options]\nlbsim run --help for all options\n');
  });

  it('runs a scenario: table on stdout, summary.json, summary.csv and report.html under reports/<slug>/', async () => {
    const { io, stdout, written } = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '300'], io)).toBe(0);
    expect(stdout()).toMatch(/round-robin\s+shared-cache/);
    expect(stdout()).toContain('breakage rate');
    expect([...written.keys()].sort()).toEqual(['reports/intro/report.html', 'reports/intro/summary.csv', 'reports/intro/summary.json', 'reports/intro/timeseries.csv']);
    const summary = JSON.parse(written.get('reports/intro/summary.json')!);
    expect(summary).toMatchObject({ schemaVersion: 1, scenario: { name: 'intro' }, seed: '42', lbsimVersion: LBSIM_VERSION, generatedAt: '2026-11-28T12:00:00.000Z', runTimeMs: 0 });
    expect(summary.strategies.map((s: { name: string }) => s.name)).toEqual(['round-robin', 'shared-cache']);
    expect(written.get('reports/intro/summary.csv')!.split('\n')[0]).toMatch(/^name,method,store,sticky,sessions\.total/);
  });

  it('--json prints only the summary JSON on stdout; --out, --seed and --strategy are honoured', async () => {
    const { io, stdout, written } = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '200', '--json', '--out', 'elsewhere', '--seed', '9', '--strategy', 'shared-cache'], io)).toBe(0);
    const summary = JSON.parse(stdout());
    expect(summary.seed).toBe('9');
    expect(summary.strategies.map((s: { name: string }) => s.name)).toEqual(['shared-cache']);
    expect(summary.strategies[0].sessions.total).toBe(200);
    expect([...written.keys()].sort()).toEqual(['elsewhere/report.html', 'elsewhere/summary.csv', 'elsewhere/summary.json', 'elsewhere/timeseries.csv']);
  });

  it('shows progress on stderr only when it is a terminal, never with --json', async () => {
    const tty = fakeIo({ isTTY: true });
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '300', '--threads', '1'], tty.io)).toBe(0);
    // One line for the whole run, redrawn in place, ended when every strategy is done.
    expect(tty.stderr()).toContain('\r\u001b[K[........................]   0%  0/2 runs');
    expect(tty.stderr()).toMatch(/\r\u001b\[K\[#{24}\] 100%  2\/2 runs  0\.0 s, done\n$/);
    const quiet = fakeIo({ isTTY: true });
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '300', '--json'], quiet.io)).toBe(0);
    expect(quiet.stderr()).toBe('');
    const pipe = fakeIo({ isTTY: false });
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '300'], pipe.io)).toBe(0);
    expect(pipe.stderr()).toBe('');
  });

  it('validates without running', async () => {
    const { io, stdout } = fakeIo();
    expect(await main(['validate', 'scenarios/shop-basic.yaml'], io)).toBe(0);
    expect(stdout()).toContain('valid scenario "shop-basic": 4 strategies, 8 backends');
  });

  it('rejects a broken scenario with exit 2, file and field named, no stack trace, nothing written', async () => {
    const bad = 'name: x\nsessions: 10\narrivals: { rate: 5/s }\nbackends: [{ name: "a:80" }]\nstrategies:\n  - { name: s, balancer: { method: ip-hsh }, store: local }\n';
    const { io, stderr, written } = fakeIo({ files: { 'bad.yaml': bad } });
    expect(await main(['run', 'bad.yaml'], io)).toBe(2);
    expect(stderr()).toContain('bad.yaml');
    expect(stderr()).toContain('strategies[0].balancer.method');
    expect(stderr()).toContain('ip-hash');
    expect(stderr()).not.toMatch(/\n\s+at /);
    expect(written.size).toBe(0);
  });

  it('names a missing file', async () => {
    const { io, stderr } = fakeIo();
    expect(await main(['run', 'nope.yaml'], io)).toBe(2);
    expect(stderr()).toContain('nope.yaml');
    expect(stderr()).toContain('no such file');
  });
});

describe('outputs that cannot be written', () => {
  it('is bad input (exit 2) naming the file and why, not an internal error', async () => {
    const fake = fakeIo();
    const io = {
      ...fake.io,
      reserveOutputSet: async (folder: string) => ({
        publish: async () => {
          const path = `${folder}/summary.json`;
          throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: 'EISDIR', path });
        },
        release: async () => undefined,
      }),
    };
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '50', '--out', 'out'], io)).toBe(2);
    expect(fake.stderr()).toBe('lbsim: cannot write out/summary.json: a folder of that name is in the way\n');
  });

  it('still reports a real bug as one (exit 1)', async () => {
    const fake = fakeIo();
    const io = { ...fake.io, reserveOutputSet: async () => { throw new TypeError('undefined is not a function'); } };
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '50', '--out', 'out'], io)).toBe(1);
    expect(fake.stderr()).toContain('internal error: undefined is not a function');
  });
});
