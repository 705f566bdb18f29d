/**
 * parseNginxConfig: nginx's syntax and defaults (ngx_http_upstream_server, ngx_parse_time,
 * the proxy module's retry directives), and errors that name the line.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROXY_SETTINGS, parseNginxConfig } from '../../src/scenario/nginx-config.js';

function errorsOf(text: string): { line: number; message: string }[] {
  const parsed = parseNginxConfig(text);
  if (parsed.ok) throw new Error('expected errors');
  return [...parsed.errors];
}

describe('parseNginxConfig', () => {
  it("reads an upstream block with nginx's defaults filled in", () => {
    const parsed = parseNginxConfig(`
      # comments are ignored
      upstream app {
          server 10.0.0.1:8080;
          server 10.0.0.2:8080 weight=3 max_fails=0 fail_timeout=1m;
          server "10.0.0.3:8080" down;
          server 10.0.0.4:8080 backup;
      }`);
    expect(parsed).toEqual({
      ok: true,
      config: {
        upstreamName: 'app',
        method: 'round-robin',
        peers: [
          { name: '10.0.0.1:8080', weight: 1, down: false, backup: false, maxFails: 1, failTimeoutMs: 10_000 },
          { name: '10.0.0.2:8080', weight: 3, down: false, backup: false, maxFails: 0, failTimeoutMs: 60_000 },
          { name: '10.0.0.3:8080', weight: 1, down: true, backup: false, maxFails: 1, failTimeoutMs: 10_000 },
          { name: '10.0.0.4:8080', weight: 1, down: false, backup: true, maxFails: 1, failTimeoutMs: 10_000 },
        ],
        serverLines: [4, 5, 6, 7],
        proxy: DEFAULT_PROXY_SETTINGS,
      },
    });
  });

  it('reads ip_hash and the retry directives inside http/server/location, ignoring unrelated ones', () => {
    const parsed = parseNginxConfig(`http {
      upstream up { ip_hash; server a:1; server b:1; }
      server {
        listen 80;
        location / {
          proxy_pass http://up;
          proxy_next_upstream error non_idempotent;
          proxy_next_upstream_tries 2;
          proxy_connect_timeout 500ms;
          proxy_read_timeout 1m30s;
        }
      }
    }`);
    expect(parsed.ok && parsed.config.method).toBe('ip-hash');
    expect(parsed.ok && parsed.config.proxy).toEqual({
      nextUpstream: { error: true, timeout: false, nonIdempotent: true },
      tries: 2,
      connectTimeoutMs: 500,
      readTimeoutMs: 90_000,
    });
  });

  it('proxy_next_upstream off turns every class off, whatever else is listed', () => {
    const parsed = parseNginxConfig('upstream u { server a:1; }\nproxy_next_upstream error off;');
    expect(parsed.ok && parsed.config.proxy.nextUpstream).toEqual({ error: false, timeout: false, nonIdempotent: false });
  });

  it('reads nginx time syntax: a bare number is seconds', () => {
    const parsed = parseNginxConfig('upstream u { server a:1 fail_timeout=30; }\nproxy_read_timeout 2;');
    expect(parsed.ok && [parsed.config.peers[0]?.failTimeoutMs, parsed.config.proxy.readTimeoutMs]).toEqual([30_000, 2000]);
  });

  it('names the line of every problem in a server line', () => {
    expect(
      errorsOf(`upstream up {
    server a:1 weight=0;
    server b:1 fail_timeout=500ms;
    server c:1 max_fails=-1 slow;
    server weight=2;
}`),
    ).toEqual([
      { line: 2, message: 'invalid parameter "weight=0": weight must be a whole number from 1 to 1000' },
      { line: 3, message: 'invalid parameter "fail_timeout=500ms": fail_timeout takes whole seconds, e.g. 10s, 1m, 30 (nginx rejects "ms" here)' },
      { line: 4, message: 'invalid parameter "max_fails=-1": max_fails must be a whole number (0 turns failure accounting off)' },
      { line: 4, message: 'invalid parameter "slow" (expected weight=N, max_fails=N, fail_timeout=T, max_conns=N, down or backup)' },
      { line: 5, message: 'server needs an address first, e.g. "server 10.0.0.1:8080 weight=2;"' },
    ]);
  });

  it('rejects unknown and unsupported directives with their line', () => {
    expect(
      errorsOf(`upstream up {
    least_conn;
    server a:1;
    sever b:1;
}
proxy_read_timout 5s;
proxy_next_upstream error sometimes;
proxy_connect_timeout soon;`),
    ).toEqual([
      { line: 2, message: '"least_conn" is not supported by lbsim yet (an upstream block may hold server lines and ip_hash)' },
      { line: 4, message: 'unknown directive "sever" in upstream block (expected server or ip_hash) (did you mean "server"?)' },
      { line: 6, message: 'unknown directive "proxy_read_timout" (did you mean "proxy_read_timeout"?)' },
      { line: 7, message: expect.stringMatching(/^invalid value "sometimes" in proxy_next_upstream \(expected error, timeout, /) },
      { line: 8, message: 'invalid value "soon" in proxy_connect_timeout (expected a time such as 60s, 500ms, 1m)' },
    ]);
  });

  it('reports a missing upstream, an empty one, a second one, and backup with ip_hash', () => {
    expect(errorsOf('location / { proxy_pass http://up; }')).toEqual([{ line: 1, message: 'no "upstream NAME { server HOST:PORT; ... }" block found' }]);
    expect(errorsOf('\nupstream up {\n}')).toEqual([{ line: 2, message: 'upstream "up" has no server lines' }]);
    expect(errorsOf('upstream a { server x:1; }\nupstream b { server y:1; }')).toEqual([
      { line: 2, message: 'a second upstream block "b": lbsim replays one upstream (the first is "a" on line 1)' },
    ]);
    expect(errorsOf('upstream a {\n server x:1 backup;\n server y:1;\n ip_hash;\n}')).toEqual([
      { line: 2, message: 'ip_hash does not support backup servers (nginx: balancing method does not support parameter "backup")' },
    ]);
  });

  it('reports syntax errors: a missing ";", an unclosed "{", a stray "}", a directive set twice', () => {
    expect(errorsOf('upstream a {\n server x:1\n}')).toEqual([
      { line: 2, message: 'directive "server" is not terminated by ";"' },
      { line: 1, message: 'upstream "a" has no server lines' },
    ].sort((p, q) => p.line - q.line));
    expect(errorsOf('upstream a {\n server x:1;\n')).toEqual([{ line: 1, message: 'unexpected end of file: "{" is never closed' }]);
    expect(errorsOf('upstream a { server x:1; }\n}')).toEqual([{ line: 2, message: 'unexpected "}"' }]);
    expect(errorsOf('upstream a { server x:1; }\nfrobnicate on;')).toEqual([{ line: 2, message: 'unknown directive "frobnicate"' }]);
    expect(errorsOf('upstream a { server x:1; }\nproxy_read_timeout 1s;\nproxy_read_timeout 2s;')).toEqual([
      { line: 3, message: '"proxy_read_timeout" is set twice (first on line 2); lbsim models a single location' },
    ]);
  });
});
