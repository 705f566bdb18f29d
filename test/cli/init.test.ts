/**
 * `lbsim init`: a starter scenario a workshop can edit and run at once. It validates, runs in a
 * moment and tells the seed story (round robin loses sessions, the shared cache keeps them,
 * ip_hash loses the dead backend's users); its first line points editors at the JSON Schema; it
 * never overwrites a file without --force.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { fakeIo } from '../helpers/fake-io.js';

const SCHEMA = resolve('schema/lbsim-scenario.schema.json');

/** Runs `lbsim init ARGS` and returns the one file it wrote. */
async function init(args: string[], files: Record<string, string> = {}) {
  const run = fakeIo({ files });
  const code = await main(['init', ...args], run.io);
  const [path, text] = [...run.written.entries()][0] ?? [];
  return { code, path, text, stdout: run.stdout(), stderr: run.stderr(), written: run.written };
}

/** The schema the file's `# yaml-language-server: $schema=` line names, resolved from the file's folder. */
function schemaReference(path: string, text: string): string | undefined {
  const reference = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
  return reference === undefined ? undefined : resolve(dirname(path), reference);
}

describe('lbsim init', () => {
  it('writes my-scenario.yaml: commented, naming the schema on its first line, and valid', async () => {
    const { code, path, text, stdout } = await init([]);
    expect(code).toBe(0);
    expect(path).toBe('my-scenario.yaml');
    expect(text!.split('\n')[0]).toBe('# yaml-language-server: $schema=schema/lbsim-scenario.schema.json');
    expect(schemaReference(path!, text!)).toBe(SCHEMA);
    expect(existsSync(SCHEMA)).toBe(true);
    expect(text).toContain('docs/scenario.md');
    expect(stdout).toBe('wrote my-scenario.yaml, a starter scenario; change what differs in your setup, then:\n  lbsim validate my-scenario.yaml\n  lbsim run my-scenario.yaml\n');
    // Every line fits 100 columns, and every field line of the top of the file says what it is.
    expect(text!.split('\n').filter((line) => line.length > 100)).toEqual([]);
    for (const field of ['name', 'seed', 'sessions', 'rate', 'networks', 'nat', 'count', 'workers', 'roundTrip', 'mode', 'duration']) {
      expect(text).toMatch(new RegExp(`^\\s*(- )?${field}: .* # \\S`, 'm'));
    }

    const loaded = parseScenarioText(text!, path!);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    const { scenario } = loaded;
    expect(scenario.name).toBe('my-scenario');
    expect(scenario.sessions).toBe(3000);
    expect(scenario.backends.map((b) => b.name)).toEqual(['10.0.0.1:8080', '10.0.0.2:8080', '10.0.0.3:8080', '10.0.0.4:8080']);
    expect(scenario.strategies.map((s) => [s.name, s.balancer.method, s.store])).toEqual([
      ['round-robin', 'round-robin', 'local'],
      ['shared-cache', 'round-robin', 'shared'],
      ['ip-hash', 'ip-hash', 'local'],
    ]);
    // 3000 sessions at 30/s take 100 s to arrive: the backend is refused from 50 s to 110 s.
    expect(scenario.timeline).toEqual([{ kind: 'mode', atMs: 50_000, backend: '10.0.0.2:8080', mode: 'refused', durationMs: 60_000 }]);
  });

  it('runs as written and tells the story: round robin breaks sessions, the shared cache keeps them, ip_hash loses the dead backend\'s users', async () => {
    const { text } = await init([]);
    const run = fakeIo({ files: { 'my-scenario.yaml': text! } });
    expect(await main(['run', 'my-scenario.yaml', '--json', '--threads', '1'], run.io)).toBe(0);
    expect([...run.written.keys()]).toContain('reports/my-scenario/summary.json');
    const summary = JSON.parse(run.stdout());
    const by = Object.fromEntries(summary.strategies.map((s: { name: string }) => [s.name, s])) as Record<string, { sessions: { total: number; broken: number }; breakageRate: number; brokenByCause: Record<string, number> }>;
    for (const s of Object.values(by)) expect(s.sessions.total).toBe(3000);
    expect(by['round-robin']!.breakageRate).toBeGreaterThan(0.8);
    expect(by['round-robin']!.brokenByCause['state-missing']).toBeGreaterThan(0.95 * by['round-robin']!.sessions.broken);
    expect(by['shared-cache']!.breakageRate).toBeLessThan(0.005);
    expect(by['shared-cache']!.brokenByCause['state-missing']).toBe(0);
    expect(by['ip-hash']!.brokenByCause['state-missing']).toBe(0);
    expect(by['ip-hash']!.brokenByCause['backend-failed']).toBeGreaterThan(50);
    expect(by['ip-hash']!.brokenByCause['failback']).toBeGreaterThan(0);
  });

  it('names the file after the argument, adding .yaml unless it ends in .yaml, .yml or .json', async () => {
    expect((await init(['checkout-test'])).path).toBe('checkout-test.yaml');
    expect((await init(['lab.yml'])).path).toBe('lab.yml');
    const spaced = await init(['Black Friday']);
    expect(spaced.path).toBe('Black Friday.yaml');
    const loaded = parseScenarioText(spaced.text!, spaced.path!);
    expect(loaded.ok && loaded.scenario.name).toBe('Black Friday');
    const quoted = await init(['true']);
    expect(quoted.text).toMatch(/^name: "true" /m);
    const q = parseScenarioText(quoted.text!, quoted.path!);
    expect(q.ok && q.scenario.name).toBe('true');
  });

  it('writes JSON for a .json name, with the schema as the $schema key (JSON has no comments)', async () => {
    const { path, text } = await init(['lab.json']);
    expect(path).toBe('lab.json');
    const document = JSON.parse(text!);
    expect(Object.keys(document).slice(0, 2)).toEqual(['$schema', 'name']);
    expect(document.$schema).toBe('schema/lbsim-scenario.schema.json');
    expect(document.name).toBe('lab');
    const loaded = parseScenarioText(text!, path!);
    expect(loaded.ok && loaded.scenario.strategies.map((s) => s.name)).toEqual(['round-robin', 'shared-cache', 'ip-hash']);
  });

  it('--out DIR writes into DIR, with the schema path relative to it', async () => {
    const { code, path, text } = await init(['--out', 'workshop/day1', 'lab']);
    expect(code).toBe(0);
    expect(path).toBe('workshop/day1/lab.yaml');
    expect(text!.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/lbsim-scenario.schema.json');
    expect(schemaReference(path!, text!)).toBe(SCHEMA);
  });

  it('names the schema by a file URL when the folder shares nothing with lbsim\'s but the root', async () => {
    const { path, text } = await init(['--out', '/lbsim-init-elsewhere']);
    expect(path).toBe('/lbsim-init-elsewhere/my-scenario.yaml');
    expect(text!.split('\n')[0]).toBe(`# yaml-language-server: $schema=${pathToFileURL(SCHEMA).href}`);
  });

  it('refuses to overwrite a file (exit 2, --force suggested, nothing written); --force replaces it', async () => {
    const refused = await init([], { 'my-scenario.yaml': 'name: mine\n' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('my-scenario.yaml: already exists; lbsim init does not overwrite a file. Give another name (lbsim init NAME), or --force to replace it.\n');
    expect(refused.written.size).toBe(0);
    // A real file on disk counts too.
    const onDisk = await init(['--out', 'scenarios', 'intro']);
    expect(onDisk.code).toBe(2);
    expect(onDisk.stderr).toContain('scenarios/intro.yaml: already exists');
    const forced = await init(['--force'], { 'my-scenario.yaml': 'name: mine\n' });
    expect(forced.code).toBe(0);
    expect(forced.text).toMatch(/^name: my-scenario /m);
  });

  it('refuses a name with nothing before the extension', async () => {
    const { code, stderr, written } = await init(['.yaml']);
    expect(code).toBe(2);
    expect(stderr).toBe('command line: init: expected a file name such as "my-scenario" or "my-scenario.yaml", got ".yaml"\n');
    expect(written.size).toBe(0);
  });
});
