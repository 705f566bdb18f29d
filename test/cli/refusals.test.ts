/**
 * The command line answers every input: exit 0, or exit 2 with a message that names the file,
 * the field or the limit. Each case is one the adversarial pass of issue 18 found ending in a
 * crash (exit 1), a hang, or a run that silently did something else.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const UPSTREAM = 'upstream up {\n    server 10.0.0.1:80;\n    server 10.0.0.2:80;\n}\n';
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

async function lbsim(argv: readonly string[], files: Record<string, string> = {}, stdin?: string) {
  const { io, stdout, stderr } = fakeIo({ files, ...(stdin === undefined ? {} : { stdin }) });
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('input errors are exit 2, never a crash', () => {
  it('a JSON Lines request nested thousands deep', async () => {
    const result = await lbsim(['replay', '--nginx', 'n.conf', '--timeline', 't.json', 'r.jsonl'], { 'n.conf': UPSTREAM, 't.json': '[]', 'r.jsonl': `${DEEP}\n` });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'r.jsonl:1:1: [0]: lists and objects are nested more than 64 deep; at most 64\n' });
  });

  it('a replay timeline nested thousands deep', async () => {
    const result = await lbsim(['replay', '--nginx', 'n.conf', '--timeline', 't.json', 'r.jsonl'], { 'n.conf': UPSTREAM, 't.json': DEEP, 'r.jsonl': '' });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 't.json: [0]: lists and objects are nested more than 64 deep; at most 64\n' });
  });

  it('an HAProxy backend with two servers of one id, routed', async () => {
    const haproxy = 'backend app\n  balance source\n  server a 10.0.0.1:80 id 1\n  server b 10.0.0.2:80 id 1\n';
    const result = await lbsim(['route', '--haproxy', 'h.cfg', '203.0.113.9'], { 'h.cfg': haproxy });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'h.cfg:4: server b has id 1, as server a on line 3 has; ids are unique in a backend\n' });
  });

  it('a summary with a field edited to null, reported', async () => {
    const summary = await lbsim(['run', 'test/scenarios/tiny.yaml', '--json', '--out', 'out']);
    const edited = JSON.parse(summary.stdout) as { strategies: { latencyMs: { p95: unknown } }[] };
    edited.strategies[1]!.latencyMs.p95 = null;
    const result = await lbsim(['report', 'edited.json'], { 'edited.json': JSON.stringify(edited) });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'lbsim: edited.json: not an lbsim summary.json: strategies[1].latencyMs.p95: expected a number\n' });
  });
});

describe('options say what runs, or are refused', () => {
  const HASH = 'upstream up {\n    hash $cookie_route;\n    server 10.0.0.1:80;\n    server 10.0.0.2:80;\n}\n';

  it('an option given twice (found by the fuzz suite: --strategy twice was a crash, --seed twice blamed the file)', async () => {
    const result = await lbsim(['run', 'test/scenarios/tiny.yaml', '--strategy', 'a', '--strategy', 'b']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lbsim: --strategy is given more than once; give it once\nUsage: lbsim run \[scenario\] \[options\]\n/);
  });

  it('route --at abc: a time in seconds', async () => {
    const result = await lbsim(['route', 'scenarios/shop-basic.yaml', '--client', '203.0.113.9', '--at', 'abc']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'command line: --at: expected a time in seconds, 0 or more, got abc\n' });
  });

  it('route --cookie bad: NAME=VALUE', async () => {
    const result = await lbsim(['route', '--nginx', 'n.conf', '--client', '203.0.113.9', '--cookie', 'bad'], { 'n.conf': HASH });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'command line: --cookie: expected NAME=VALUE, got "bad"\n' });
  });
});

describe('files are read within bounds, and errors quote little of them', () => {
  const SECRET = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const withAddressFile = (file: string) => `name: f\nsessions: 10\narrivals: { rate: 10/s }\nclients: { addressFile: ${file} }\nbackends: { count: 2, name: "10.0.0.{n}:80" }\nstrategies: [{ name: rr, balancer: { method: round-robin }, store: local }]\n`;

  it('an address file that never ends (/dev/zero) is refused at its limit', async () => {
    const result = await lbsim(['validate', 's.yaml'], { 's.yaml': withAddressFile('/dev/zero') });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 's.yaml: clients.addressFile: cannot read the address file "/dev/zero": it is larger than 32 MB, the most lbsim reads of an address file\n' });
  });

  it('a scenario that never ends (/dev/zero) is refused at its limit', async () => {
    const result = await lbsim(['validate', '/dev/zero']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: '/dev/zero: cannot read the scenario: it is larger than 10 MB, the most lbsim reads of a scenario file\n' });
  });

  it('an environment file given as the address file: one short, escaped excerpt, never the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbsim-env-'));
    const env = join(dir, '.env');
    writeFileSync(env, `${SECRET}\nDB_PASSWORD=hunter2-but-longer\n`);
    try {
      const result = await lbsim(['validate', 's.yaml'], { 's.yaml': withAddressFile(env) });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`${env}:1:1: expected an IPv4 or IPv6 address at the start of the line, got "AWS_SECRET_ACCESS_…"\n${env}:2:1: expected an IPv4 or IPv6 address at the start of the line, got "DB_PASSWORD=hunter…"\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an environment file given as an nginx configuration: the word quoted is short', async () => {
    const result = await lbsim(['route', '--nginx', '.env', '203.0.113.9'], { '.env': `${SECRET};\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('.env:1: unknown directive "AWS_SECRET_ACCESS_…"\n');
  });
});

describe('exit 2 is for typed refusals only', () => {
  it('an unexpected exception is a bug: exit 1, whatever it is about', async () => {
    const { io, stderr } = fakeIo();
    const broken = { ...io, reserveOutputSet: async () => { throw new TypeError('a bug in a writer'); } };
    expect(await main(['run', 'test/scenarios/tiny.yaml', '--out', 'out'], broken)).toBe(1);
    expect(stderr()).toMatch(/^lbsim: internal error: a bug in a writer\nThis is a bug in lbsim/);
  });

  it('keys on standard input past their limit name the limit', async () => {
    const keys = '203.0.113.9\n'.repeat(6_000_000);
    const result = await lbsim(['route', '--nginx', 'n.conf'], { 'n.conf': UPSTREAM }, keys);
    expect(result).toEqual({ code: 2, stdout: '', stderr: '<stdin>: it is larger than the 67108864 bytes lbsim reads of requests or keys\n' });
  });
});
