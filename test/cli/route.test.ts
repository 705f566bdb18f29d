/**
 * `lbsim route` as a user runs it. Known answers: every recorded fixture of a real nginx 1.22.1
 * and HAProxy 2.6.12 (test/fixtures/nginx, test/fixtures/haproxy) goes through the command with
 * its own `upstream` / `backend` text and its keys on stdin, in order (state carries from line
 * to line as in one worker; `sequence` files are N keys that the method ignores), and every
 * printed server must be the recorded one. HAProxy's cookie files replay raw Cookie headers
 * that name a cookie twice, which `--cookie` cannot express; the library test covers them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

interface Fixture {
  upstream?: string[];
  backend?: string[];
  cases?: { key?: string | null; remote_addr?: string; backend?: string; server?: string }[];
  sequence?: string[];
}

const files = (family: string) =>
  readdirSync(join(FIXTURES, family)).filter((f) => f.endsWith('.json') && !f.startsWith('cookie_'));

describe('lbsim route: recorded fixtures, 100%', () => {
  for (const family of ['nginx', 'haproxy'] as const) {
    it.each(files(family))(`${family}/%s`, async (file) => {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, family, file), 'utf8')) as Fixture;
      const config = (fixture.upstream ?? fixture.backend ?? []).join('\n');
      // `remote_addr`: the address nginx saw when realip rejected the key the client sent.
      const keys = fixture.cases?.map((c) => c.remote_addr ?? c.key ?? '') ?? (fixture.sequence ?? []).map((_, i) => `request-${i}`);
      const expected = fixture.cases?.map((c) => c.backend ?? c.server) ?? fixture.sequence ?? [];
      const { io, stdout, stderr } = fakeIo({ files: { 'lb.conf': config }, stdin: `${keys.join('\n')}\n` });
      expect(await main(['route', `--${family}`, 'lb.conf'], io)).toBe(0);
      expect(stderr()).toBe('');
      const lines = stdout().split('\n').slice(0, -1);
      expect(lines.map((l) => l.split('\t')[0])).toEqual(keys);
      expect(lines.map((l) => l.split('\t')[1])).toEqual(expected);
    });
  }
});

const IP_HASH = 'upstream backend {\n    ip_hash;\n    server 192.168.1.106:80;\n    server 192.168.1.107:80;\n}\n';

describe('lbsim route', () => {
  it('keys as arguments; a key the method cannot read is reported, the others answered, exit 2', async () => {
    const { io, stdout, stderr } = fakeIo({ files: { 'u.conf': IP_HASH } });
    expect(await main(['route', '--nginx', 'u.conf', '10.0.0.1', 'not-an-ip', '10.0.1.7'], io)).toBe(2);
    // ip_hash hashes the first three bytes: 10.0.0 and 10.0.1 (derivation in test/strategies/ip-hash.test.ts).
    expect(stdout()).toBe('10.0.0.1\t192.168.1.107:80\n10.0.1.7\t192.168.1.106:80\n');
    expect(stderr()).toBe('lbsim route: "not-an-ip": ip-hash reads the client address: expected an IPv4 or IPv6 address\n');
  });

  it('--json prints an array of {key, server}; HAProxy servers by name', async () => {
    const cfg = 'backend app\n    balance roundrobin\n    server web1 10.0.0.1:80 weight 2 check\n    server web2 10.0.0.2:80 check\n';
    const { io, stdout } = fakeIo({ files: { 'h.cfg': cfg } });
    expect(await main(['route', '--haproxy', 'h.cfg', '--json', 'a', 'b', 'c'], io)).toBe(0);
    // HAProxy FWRR, weights 2 and 1: the heavier server takes both its turns first in a window
    // of 3 (as roundrobin_5_1_1 starts s1 s1 s1): web1 web1 web2.
    expect(JSON.parse(stdout())).toEqual([
      { key: 'a', server: 'web1' },
      { key: 'b', server: 'web1' },
      { key: 'c', server: 'web2' },
    ]);
  });

  it('a header key of any name: its value is the key (what nginx hashes is the value alone)', async () => {
    const byUser = 'upstream u {\n    hash $http_x_user_id consistent;\n    server 127.0.0.1:9001;\n    server 127.0.0.1:9002;\n    server 127.0.0.1:9003;\n    server 127.0.0.1:9004;\n    server 127.0.0.1:9005;\n}\n';
    const bySession = byUser.replace('$http_x_user_id', '$http_x_session_id');
    const keys = ['Ho0GNgPU0C4I0Sy4', 'GF5BW956Wbc51qKG', 'OdPoqfqwll7w7Xqp'];
    const a = fakeIo({ files: { 'u.conf': byUser } });
    const b = fakeIo({ files: { 'u.conf': bySession } });
    expect(await main(['route', '--nginx', 'u.conf', ...keys], a.io)).toBe(0);
    expect(await main(['route', '--nginx', 'u.conf', ...keys], b.io)).toBe(0);
    // hash_consistent_session_5.json recorded these three: 9004, 9005, 9003.
    expect(a.stdout()).toBe('Ho0GNgPU0C4I0Sy4\t127.0.0.1:9004\nGF5BW956Wbc51qKG\t127.0.0.1:9005\nOdPoqfqwll7w7Xqp\t127.0.0.1:9003\n');
    expect(a.stdout()).toBe(b.stdout());
  });

  it('--upstream picks a block by name; configuration errors name the file and line', async () => {
    const two = `upstream a { server 10.0.0.1:80; }\nupstream b {\n    hash $remote_addr consistent;\n    server 10.0.0.2:80;\n}\n`;
    const ok = fakeIo({ files: { 'n.conf': two } });
    expect(await main(['route', '--nginx', 'n.conf', '--upstream', 'b', '1.2.3.4'], ok.io)).toBe(0);
    expect(ok.stdout()).toBe('1.2.3.4\t10.0.0.2:80\n');
    const bad = fakeIo({ files: { 'n.conf': 'upstream a {\n    server 10.0.0.1:80;\n    sticky cookie srv;\n}\n' } });
    expect(await main(['route', '--nginx', 'n.conf', 'x'], bad.io)).toBe(2);
    expect(bad.stderr()).toBe('n.conf:3: "sticky" is not supported by lbsim (an upstream block may hold server lines and a method: ip_hash, hash, least_conn, random)\n');
  });

  it('a scenario: every strategy, and the chain of a request that meets a backend the timeline took down', async () => {
    const scenario = `name: r
sessions: 10
arrivals: { rate: 1/s }
backends: { count: 3, name: "10.0.0.{n}:80", maxFails: 0 }
strategies:
  - { name: rr, balancer: { method: round-robin }, store: local }
  - { name: maglev, balancer: { method: envoy-maglev, key: source_ip, options: { retries: 2 } }, store: local }
timeline:
  - { at: 5s, backend: "10.0.0.1:80", mode: refused }
`;
    const { io, stdout, stderr } = fakeIo({ files: { 's.yaml': scenario } });
    expect(await main(['route', 's.yaml', '--client', '10.1.1.1', '--client', '10.1.1.2', '--client', '10.1.1.3'], io)).toBe(0);
    expect(stderr()).toBe('');
    const text = stdout();
    expect(text.startsWith('# down: 10.0.0.1:80\n# rr\n')).toBe(true);
    // Round robin (weights 1): the first request meets 10.0.0.1 and is retried on the next one.
    expect(text).toContain('10.1.1.1\t10.0.0.2:80\t(tried 10.0.0.1:80 -> 10.0.0.2:80)\n');
    expect(text).toContain('# maglev\n');
  });
});
