/**
 * Bundled scenarios by name: `lbsim run shop-basic` (and validate, trace, sweep) reads
 * scenarios/shop-basic.yaml of the installation when no file of that name exists here; a file of
 * that name wins; an unknown name is refused (exit 2) with the bundled names and a did-you-mean.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const TOP_LEVEL = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

async function lbsim(argv: string[], files: Record<string, string> = {}) {
  const { io, stdout, stderr, written } = fakeIo({ files });
  return { code: await main(argv, io), stdout: stdout(), stderr: stderr(), written };
}

describe('a bundled scenario by name', () => {
  it('runs: lbsim run shop-basic', async () => {
    const result = await lbsim(['run', 'shop-basic', '--sessions', '200', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).scenario.name).toBe('shop-basic');
    expect([...result.written.keys()]).toContain('reports/shop-basic/summary.json');
  });

  it('validates, several at once, by name', async () => {
    const result = await lbsim(['validate', 'intro', 'shop-basic', 'shop-light']);
    expect(result.code).toBe(0);
    // The verdicts, then what lbsim models of nginx, said once.
    const lines = result.stdout.split('\n').filter((line) => !line.startsWith('note: '));
    expect(lines.slice(0, 2)).toEqual(['intro: valid scenario "intro": 2 strategies, 4 backends, 2000 sessions', 'shop-basic: valid scenario "shop-basic": 4 strategies, 8 backends, 6000 sessions']);
    expect(lines[2]).toMatch(/^shop-light: valid scenario "shop-light"/);
    expect(lines).toHaveLength(4);
  });

  it('traces and sweeps by name', async () => {
    const trace = await lbsim(['trace', 'intro', '--session', '1']);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/^Session 1 \(client /);
    const sweep = await lbsim(['sweep', 'intro', '--set', 'seed=1,2', '--sessions', '100', '--json', '--threads', '1']);
    expect(sweep.code).toBe(0);
    expect(JSON.parse(sweep.stdout).kind).toBe('sweep');
  });

  it('takes a file of that name first', async () => {
    const tiny = 'name: mine\nsessions: 3\narrivals: { rate: 10/s }\nbackends: [{ name: "a:80" }]\nstrategies: [{ name: rr, balancer: { method: round-robin }, store: local }]\n';
    const result = await lbsim(['validate', 'intro'], { intro: tiny });
    expect(result.stdout.split('\n')[0]).toBe('intro: valid scenario "mine": 1 strategies, 1 backends, 3 sessions');
  });

  it('refuses an unknown name with exit 2: the bundled names and the closest', async () => {
    for (const command of ['run', 'validate', 'trace', 'sweep']) {
      const extra = command === 'trace' ? ['--session', '1'] : command === 'sweep' ? ['--set', 'seed=1,2'] : [];
      const result = await lbsim([command, 'shop-basc', ...extra]);
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toMatch(/^shop-basc: no such file, nor a bundled scenario of that name \(did you mean "shop-basic"\?\); the bundled scenarios are ajax-cart, .*\(lbsim list describes them\)\n$/);
      for (const name of TOP_LEVEL) expect(result.stderr).toContain(name);
      expect(result.written.size).toBe(0);
    }
    expect((await lbsim(['run', 'zzzzzz'])).stderr).toMatch(/^zzzzzz: no such file, nor a bundled scenario of that name; the bundled/);
  });

  it('reads only files for a path with a folder in it', async () => {
    expect(await lbsim(['run', 'nowhere/shop-basic'])).toMatchObject({ code: 2, stderr: 'nowhere/shop-basic: cannot read the scenario: no such file\n' });
  });
});
