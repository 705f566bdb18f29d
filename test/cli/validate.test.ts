/**
 * `lbsim validate` of several files at once: one verdict per file, in the order given (valid
 * ones on stdout, an invalid one's errors on stderr as file:line:column), exit 2 when any is
 * invalid; and `--json`, the same as data on stdout alone.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const BAD = 'name: bad\nsessions: 10\narrivals: { rate: 5/s }\nbackends: [{ name: "a:80" }]\nstrategies:\n  - { name: s, balancer: { method: ip-hsh }, store: local }\n';
const files = { 'bad.yaml': BAD };

describe('lbsim validate <scenarios..>', () => {
  it('gives every file its verdict on its own line, and exit 0 when all are valid', async () => {
    const { io, stdout, stderr } = fakeIo();
    expect(await main(['validate', 'scenarios/intro.yaml', 'test/scenarios/tiny.yaml'], io)).toBe(0);
    expect(stdout()).toMatch(/^scenarios\/intro.yaml: valid scenario "intro": 2 strategies, 4 backends, 2000 sessions\ntest\/scenarios\/tiny.yaml: valid scenario "tiny": 2 strategies, 2 backends, 3 sessions\n(note: lbsim models nginx .*\n)+$/);
    expect(stderr()).toBe('');
  });

  it('exit 2 when any is invalid: its error at file:line:column, the others still judged, and a count', async () => {
    const { io, stdout, stderr } = fakeIo({ files });
    expect(await main(['validate', 'scenarios/intro.yaml', 'bad.yaml', 'missing.yaml', 'test/scenarios/tiny.yaml'], io)).toBe(2);
    expect(stdout().split('\n').filter((line) => line && !line.startsWith('note: ')).map((line) => line.split(':')[0])).toEqual(['scenarios/intro.yaml', 'test/scenarios/tiny.yaml']);
    const lines = stderr().split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^bad\.yaml:6:\d+: strategies\[0\]\.balancer\.method: .*\(did you mean "ip-hash"\?\)$/);
    expect(lines[1]).toMatch(/^missing\.yaml: no such file, nor a bundled scenario of that name; the bundled scenarios are /);
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toBe('lbsim validate: 2 of 4 scenarios invalid');
  });

  it('--json: {ok, files} on stdout and nothing on stderr, errors with file:line:column', async () => {
    const { io, stdout, stderr } = fakeIo({ files });
    expect(await main(['validate', '--json', 'scenarios/intro.yaml', 'bad.yaml'], io)).toBe(2);
    expect(stderr()).toBe('');
    const report = JSON.parse(stdout()) as { ok: boolean; files: { file: string; ok: boolean; scenario?: unknown; errors?: { at: string; line: number; column: number; path: string; suggestion: string | null }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.file, f.ok])).toEqual([['scenarios/intro.yaml', true], ['bad.yaml', false]]);
    expect(report.files[0]!.scenario).toEqual({ name: 'intro', strategies: 2, backends: 4, sessions: 2000, note: expect.stringMatching(/^lbsim models nginx \(round-robin\) as one worker process/) });
    const [error] = report.files[1]!.errors!;
    expect(error).toMatchObject({ file: 'bad.yaml', line: 6, path: 'strategies[0].balancer.method', suggestion: 'ip-hash' });
    expect(error!.at).toBe(`bad.yaml:6:${error!.column}`);
    const valid = fakeIo();
    expect(await main(['validate', '--json', 'scenarios/intro.yaml'], valid.io)).toBe(0);
    expect(JSON.parse(valid.stdout()).ok).toBe(true);
  });

  it('asks for at least one file (exit 2)', async () => {
    const { io, stderr } = fakeIo();
    expect(await main(['validate'], io)).toBe(2);
    expect(stderr()).toMatch(/^lbsim: Not enough non-option arguments: got 0, need at least 1\nUsage: lbsim validate <scenarios\.\.> \[options\]\n/);
  });
});
