/**
 * parseHaproxyConfig: a backend section as an lbsim balancer (balance, hash-type,
 * hash-balance-factor, cookie, option redispatch, server lines with HAProxy's defaults), and
 * errors that name the line.
 */
import { describe, expect, it } from 'vitest';
import { parseHaproxyConfig } from '../../src/scenario/haproxy-config.js';

const errorsOf = (text: string, backend?: string) => {
  const parsed = parseHaproxyConfig(text, backend === undefined ? {} : { backend });
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
};

describe('parseHaproxyConfig', () => {
  it('reads a backend: balance, hash-type, factor, redispatch from defaults, server parameters', () => {
    const parsed = parseHaproxyConfig(`global
    maxconn 100
defaults
    mode http
    option redispatch
    timeout connect 5s
backend app   # the shop
    balance hdr(X-Session-Id)
    hash-type consistent wt6 avalanche
    hash-balance-factor 150
    server web1 10.0.0.1:8080 weight 3 check inter 2s
    server web2 10.0.0.2:8080 id 7 disabled
    server web3 10.0.0.3:8080 backup cookie w3
`);
    expect(parsed).toEqual({
      ok: true,
      config: {
        backendName: 'app',
        balancer: { method: 'haproxy-hdr', key: 'hdr(X-Session-Id)', options: { hashType: 'consistent', hashFunction: 'wt6', avalanche: true, hashBalanceFactor: 150, redispatch: true } },
        peers: [
          { name: '10.0.0.1:8080', weight: 3, down: false, backup: false, maxFails: 0, failTimeoutMs: 10_000, cookie: '' },
          { name: '10.0.0.2:8080', weight: 1, down: true, backup: false, maxFails: 0, failTimeoutMs: 10_000, cookie: '', id: 7 },
          { name: '10.0.0.3:8080', weight: 1, down: false, backup: true, maxFails: 0, failTimeoutMs: 10_000, cookie: 'w3' },
        ],
        serverNames: ['web1', 'web2', 'web3'],
        serverLines: [11, 12, 13],
      },
    });
  });

  it('cookie insert over roundrobin is haproxy-cookie; "no option redispatch" undoes defaults', () => {
    const parsed = parseHaproxyConfig('defaults\n  option redispatch\nbackend be\n  no option redispatch\n  cookie SRV insert indirect nocache\n  server s1 127.0.0.1:9101 cookie s1\n');
    expect(parsed.ok && parsed.config.balancer).toEqual({ method: 'haproxy-cookie', options: { cookie: 'SRV' } });
  });

  it('retries N, from defaults or the backend (the backend wins); a retries without a whole number is refused', () => {
    const parsed = parseHaproxyConfig('defaults\n  retries 1\n  option redispatch\nbackend be\n  server s1 127.0.0.1:9101\n');
    expect(parsed.ok && parsed.config.balancer).toEqual({ method: 'haproxy-roundrobin', options: { redispatch: true, retries: 1 } });
    const own = parseHaproxyConfig('defaults\n  retries 1\nbackend be\n  retries 5\n  server s1 127.0.0.1:9101\n');
    expect(own.ok && own.config.balancer).toEqual({ method: 'haproxy-roundrobin', options: { retries: 5 } });
    expect(errorsOf('backend be\n  retries many\n  server s1 127.0.0.1:9101\n')).toEqual([{ line: 2, message: 'expected "retries N" with a whole number' }]);
  });

  it('the named backend, or the first', () => {
    const text = 'backend a\n  server s1 10.0.0.1:80\nbackend b\n  balance source\n  server s2 10.0.0.2:80\n';
    expect(parseHaproxyConfig(text).ok && parseHaproxyConfig(text)).toMatchObject({ config: { backendName: 'a' } });
    expect(parseHaproxyConfig(text, { backend: 'b' })).toMatchObject({ config: { backendName: 'b', balancer: { method: 'haproxy-source' } } });
    expect(errorsOf(text, 'c')).toEqual([{ line: 1, message: 'no backend named "c"; the backends are "a", "b"' }]);
  });

  it('names the line of every problem', () => {
    expect(
      errorsOf(`backend be
    balance leastconn
    hash-type consistent md5
    cookie SRV prefix
    server s1 10.0.0.1:80 weight 300
    server s2 10.0.0.2:80 maxconn 10 slowstart 5s track x/y
    server s3
    balanse roundrobin
`),
    ).toEqual([
      { line: 2, message: 'balance "leastconn" is not supported by lbsim (expected roundrobin, static-rr, source or hdr(NAME))' },
      { line: 3, message: 'unknown hash function "md5" (expected sdbm, djb2, wt6, crc32)' },
      { line: 4, message: 'lbsim models "cookie NAME insert [indirect] [nocache]" only' },
      { line: 5, message: 'invalid weight "300" (expected a whole number from 1 to 256)' },
      { line: 6, message: 'server parameter "track" is not supported by lbsim (expected weight, backup, disabled, id, cookie, check)' },
      { line: 6, message: 'server parameter "x/y" is not supported by lbsim (expected weight, backup, disabled, id, cookie, check)' },
      { line: 7, message: 'expected "server NAME ADDRESS:PORT [weight N] [backup] [disabled] [id N] [cookie VALUE]"' },
      { line: 8, message: 'unknown keyword "balanse" in backend section (did you mean "balance"?)' },
    ]);
  });

  it('checks the balancer as a scenario would: bounded loads need consistent hashing', () => {
    expect(errorsOf('backend be\n  balance source\n  hash-balance-factor 150\n  server s1 10.0.0.1:80\n')).toEqual([{ line: 2, message: 'bounded loads need hashType: consistent' }]);
  });
});
